"""Which profile file `skillscout serve` and `skillscout status` read when none is given."""

from __future__ import annotations

from pathlib import Path


def serve_profile_path() -> Path:
    """The profile `skillscout serve` and `skillscout status` use without --profile: the one
    saved from the browser (in the user's data folder) once there is one, else the example."""
    from pipeline.paths import default_profile_path
    from skillscout_data import EXAMPLE_PROFILE

    saved = default_profile_path()
    return saved if saved.exists() else EXAMPLE_PROFILE
