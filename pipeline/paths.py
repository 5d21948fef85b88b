"""Where the database lives by default, without importing DuckDB (the CLI names it in its
help and checks arguments before any heavy import)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def default_db_path() -> Path:
    """`$SKILLSCOUT_DB`, else skillscout.duckdb in the user's data folder."""
    if os.environ.get("SKILLSCOUT_DB"):
        return Path(os.environ["SKILLSCOUT_DB"])
    return platformdirs.user_data_path("skillscout") / "skillscout.duckdb"


def default_profile_path() -> Path:
    """Where `skillscout serve` keeps the profile edited in the browser: beside the default
    database, in the user's data folder (never in the install)."""
    return platformdirs.user_data_path("skillscout") / "profile.yaml"
