"""Load the Parquet files crawl workers wrote (see flows/scale_out.py) into the store.

The store is the only writer. Each file is ingested once (`ingested_files`), through
`pipeline.loading.load_source` like a local crawl: the same identity and dedupe, the same
rule for closing jobs (not after a crawl that shrank to under half its last count), and
the worker's crawl health, which each file carries in its Parquet metadata, recorded in
`crawl_source_runs` so `skillscout sources` shows worker crawls too. A source the worker
could not crawl arrives as a file with no rows and its failure in the metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from pipeline import runs
from pipeline.load import LoadResult
from pipeline.loading import SourceCrawl, SourceSummary, after_load, load_source, record_failure

CRAWL_METADATA = b"skillscout.crawl"  # the worker's crawl of this source, as JSON


@dataclass
class IngestResult:
    files: int = 0
    skipped: int = 0
    loaded: LoadResult = field(default_factory=LoadResult)
    closed: int = 0
    sources: set[str] = field(default_factory=set)
    summaries: list[SourceSummary] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceSummary]:
        return [s for s in self.summaries if s.status == "failed"]


def crawl_metadata(path: Path) -> dict[str, Any]:
    """What the worker recorded about the crawl behind a file ({} for files written before
    workers recorded it)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[CRAWL_METADATA]) if CRAWL_METADATA in meta else {}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ingest_parquet(con: duckdb.DuckDBPyConnection, root: Path) -> IngestResult:
    result = IngestResult()
    # Oldest first, so that a job's latest version is the one that stays.
    files = sorted(root.glob("crawl_date=*/source=*/*.parquet"),
                   key=lambda p: (p.parent.parent.name, p.stat().st_mtime))
    done = {path for (path,) in con.execute("SELECT path FROM ingested_files").fetchall()}
    touched: dict[str, None] = {}
    for path in files:
        rel = str(path.relative_to(root))
        if rel in done:
            result.skipped += 1
            continue
        meta = crawl_metadata(path)
        # Not hive-partitioned: the folder's source=<slug> would replace the file's source key.
        rows = con.execute("SELECT run_id, source, crawled_at, item "
                           "FROM read_parquet(?, hive_partitioning = false)", [str(path)]).fetchall()
        if not rows and not meta:
            continue  # nothing to say about anything
        run_id = rows[0][0] if rows else meta["run_id"]
        source = rows[0][1] if rows else meta["source"]
        crawled_at = rows[0][2] if rows else datetime.fromisoformat(meta["crawled_at"])
        items = [json.loads(r[3]) for r in rows]
        runs.start_run(con, run_id, crawled_at, 0)
        touched[run_id] = None
        spider = meta.get("spider") or (items[0].get("source") if items else "?")
        if meta.get("status") == "failed":
            summary = record_failure(con, run_id, source, spider, meta.get("error") or "failed",
                                     meta.get("stats"), meta.get("crawled", 0))
        else:
            summary = load_source(con, run_id, SourceCrawl(
                source, spider, items, crawled=meta.get("crawled", len(items)),
                stats=meta.get("stats") or {}, seen_at=crawled_at), crawl_started=crawled_at)
            result.loaded.items += summary.items
            result.loaded.new += summary.new
            result.loaded.updated += summary.updated
            result.loaded.unchanged += summary.unchanged
            result.loaded.skills += summary.skills
            result.closed += summary.closed
        con.execute("INSERT INTO ingested_files VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [rel, run_id, source, crawled_at, len(items), _now()])
        result.files += 1
        result.sources.add(source)
        result.summaries.append(summary)
    for run_id in touched:
        (recorded,), = con.execute("SELECT count(*) FROM crawl_source_runs WHERE run_id = ?",
                                   [run_id]).fetchall()
        con.execute("UPDATE crawl_runs SET sources = greatest(coalesce(sources, 0), ?) WHERE run_id = ?",
                    [recorded, run_id])
        runs.finish_run(con, run_id)
    if result.files:
        after_load(con, f"ingest-{_now():%Y%m%dT%H%M%S}")
    return result
