"""Loading one source's crawl into the store: the policy every path shares (the Prefect
flow, `skillscout load`, `skillscout ingest`, the evaluation).

`load_source` stores a source's items (identity and dedupe: `pipeline.identity`), closes
the jobs it no longer lists unless the crawl looks broken, and records its crawl health,
all in one transaction: a crash or a full disk leaves the source as it was before, and a
crawl killed between two sources keeps the sources it had loaded. `after_load` refreshes
what depends on every job (the taxonomy mirror, trend snapshots, ranking weights) once the
sources of a run are in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

import skills
from pipeline import runs
from pipeline.db import transaction
from pipeline.extraction import MAX_AD_CHARS, TRUNCATED_STAT
from pipeline.load import close_listings, sync_taxonomy, write_items
from pipeline.match import refresh_weights
from pipeline.trends import take_snapshot

# A crawl that returns fewer than this share of its last count is more often broken (a
# changed page, a block) than a hiring freeze: its missing jobs stay open until a healthy crawl.
SHRINK_GUARD = 0.5
PAGE_CAP_STAT = "skillscout/pagination/page_cap_reached"


@dataclass
class SourceCrawl:
    """One source's crawl, as a path hands it to the store."""
    source: str  # the configured source, e.g. "greenhouse:acme"
    spider: str
    items: list[dict[str, Any]]  # the items kept, each with its "skills"
    crawled: int  # items the crawl returned, before the source's keep rules
    stats: dict[str, Any] = field(default_factory=dict)  # Scrapy's, plus extraction's counts
    seen_at: datetime | None = None  # when the items were seen; default: when the crawl began


@dataclass
class SourceSummary:
    source: str
    status: str  # ok | empty | failed
    items: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skills: int = 0
    filtered: int = 0  # jobs outside the source's role families, not loaded
    error: str | None = None
    warning: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def shrank(crawled: int, previous: int | None) -> bool:
    return bool(previous) and crawled < previous * SHRINK_GUARD


def load_source(con: duckdb.DuckDBPyConnection, run_id: str, crawl: SourceCrawl,
                crawl_started: datetime) -> SourceSummary:
    """Store one source's crawl as part of run `run_id` (begun at `crawl_started`)."""
    with transaction(con):
        previous = runs.previous_items(con, crawl.source, run_id)
        recorded = runs.source_status(con, run_id, crawl.source)
        # Seen when their crawl began: loading a kept crawl later (`skillscout load`) says
        # what that crawl saw, and moves no date.
        result = write_items(con, crawl.items, run_id=run_id, origin=crawl.source,
                             seen_at=crawl.seen_at or crawl_started)
        summary = SourceSummary(crawl.source, "ok" if crawl.items else "empty", len(crawl.items),
                                result.new, result.updated, result.unchanged, skills=result.skills,
                                filtered=crawl.crawled - len(crawl.items))
        notes = []
        if shrank(crawl.crawled, previous):
            notes.append(f"{crawl.crawled} items, down from {previous} last run: "
                         "its missing jobs stay open until a crawl looks whole")
        elif crawl.crawled:
            summary.closed = close_listings(con, crawl.source, crawl_started)
        else:
            notes.append("the source returned no jobs")
        if crawl.stats.get(PAGE_CAP_STAT):
            notes.append(f"stopped at the page cap of {crawl.stats[PAGE_CAP_STAT]} listing pages")
        if crawl.stats.get(TRUNCATED_STAT):
            notes.append(f"{crawl.stats[TRUNCATED_STAT]} ad(s) over {MAX_AD_CHARS:,} characters: "
                         "skills read from their beginning")
        summary.warning = "; ".join(notes) or None
        # A source this run already stored keeps its record: loading a kept run again
        # changes nothing, so it must not replace the figures of the first load with zeros.
        if recorded in (None, "failed"):
            runs.record_source(
                con, run_id, crawl.source, crawl.spider, summary.status,
                runs.crawl_health(crawl.crawled, crawl.stats), crawl.stats, warning=summary.warning,
                changes={"loaded": summary.items, "new_jobs": summary.new,
                         "updated_jobs": summary.updated, "closed_jobs": summary.closed})
    return summary


def record_failure(con: duckdb.DuckDBPyConnection, run_id: str, source: str, spider: str,
                   error: str, stats: dict[str, Any] | None = None, crawled: int = 0) -> SourceSummary:
    """A source that could not be crawled (or loaded): its cause and whatever stats it left."""
    with transaction(con):
        if runs.source_status(con, run_id, source) in (None, "failed"):
            runs.record_source(con, run_id, source, spider, "failed",
                               runs.crawl_health(crawled, stats or {}), stats or {}, error=error)
    return SourceSummary(source, "failed", crawled, error=error)


def after_load(con: duckdb.DuckDBPyConnection, run_id: str, taken_at: datetime | None = None) -> None:
    """What depends on every stored job, refreshed once a run's sources are in."""
    sync_taxonomy(con, skills.load_taxonomy())
    take_snapshot(con, run_id, taken_at or _now())
    refresh_weights(con)
