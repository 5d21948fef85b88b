"""Profiles as matching uses them: loaded and validated by `pipeline.profile`, with the
target roles turned into the role families the crawl stored (the classifier lives with
the scrapers, which `pipeline/` may not import)."""

from __future__ import annotations

from pathlib import Path

from pipeline.profile import Profile, load_profile
from scrapers.pipelines.role_family import role_family


def with_target_families(profile: Profile) -> Profile:
    profile.target_families = {role_family(t) for t in profile.target_roles} - {"other"}
    return profile


def load_profile_for_matching(path: Path | str) -> Profile:
    return with_target_families(load_profile(path))


def serve_profile_path() -> Path:
    """The profile `skillscout serve` and `skillscout status` use without --profile: the one
    saved from the browser (in the user's data folder) once there is one, else the example."""
    from pipeline.paths import default_profile_path
    from skillscout_data import EXAMPLE_PROFILE

    saved = default_profile_path()
    return saved if saved.exists() else EXAMPLE_PROFILE
