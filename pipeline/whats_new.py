"""What is new for a person: strong matches first seen since the last crawl (or a date).

A job is new from the crawl that first found it (`jobs.first_seen`); one that closed and came
back keeps its first sighting, so it is not news twice."""

from __future__ import annotations

from datetime import datetime

import duckdb

from pipeline.gaps import STRONG_MATCH
from pipeline.match import Match, rank
from pipeline.profile import Profile
from skills.taxonomy import Taxonomy


def last_crawl_started(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the latest crawl began (None before the first one)."""
    (started,), = con.execute("SELECT max(started_at) FROM crawl_runs").fetchall()
    return started


def run_started(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime | None:
    rows = con.execute("SELECT started_at FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
    return rows[0][0] if rows else None


def new_strong_matches(con: duckdb.DuckDBPyConnection, profile: Profile, since: datetime | None = None,
                       threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None
                       ) -> tuple[datetime | None, list[Match]]:
    """(since when, the strong matches among open jobs first seen since then), best first.
    `since` defaults to the start of the latest crawl; with no crawl recorded, every job
    is new."""
    since = since or last_crawl_started(con)
    ids = [job_id for (job_id,) in con.execute(
        "SELECT id FROM open_jobs WHERE ?::TIMESTAMP IS NULL OR first_seen >= ?", [since, since]).fetchall()]
    if not ids:
        return since, []
    return since, rank(con, profile, limit=None, min_score=threshold, taxonomy=taxonomy, only=ids)
