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
