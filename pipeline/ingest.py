"""Load the Parquet files crawl workers wrote (see flows/scale_out.py) into the store.

The store is the only writer. Each file is ingested once (`ingested_files`); loading goes
through `load_items`, so a job a second worker also saw merges as usual; a source's jobs
it no longer lists are closed after its newest file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipeline.load import LoadResult, close_missing, load_items


@dataclass
class IngestResult:
    files: int = 0
    skipped: int = 0
    loaded: LoadResult = field(default_factory=LoadResult)
    closed: int = 0
    sources: set[str] = field(default_factory=set)


def ingest_parquet(con: duckdb.DuckDBPyConnection, root: Path) -> IngestResult:
    result = IngestResult()
    # Oldest first, so that a job's latest version is the one that stays.
    files = sorted(root.glob("crawl_date=*/source=*/*.parquet"),
                   key=lambda p: (p.parent.parent.name, p.stat().st_mtime))
    done = {path for (path,) in con.execute("SELECT path FROM ingested_files").fetchall()}
    newest: dict[str, datetime] = {}
    for path in files:
        rel = str(path.relative_to(root))
        if rel in done:
            result.skipped += 1
            continue
        rows = con.execute("SELECT run_id, source, crawled_at, item FROM read_parquet(?) ",
                           [str(path)]).fetchall()
        if not rows:
            continue
        run_id, source, crawled_at = rows[0][0], rows[0][1], rows[0][2]
        items = [json.loads(r[3]) for r in rows]
        result.loaded += load_items(con, items, run_id=run_id, origin=source, seen_at=crawled_at)
        con.execute("INSERT INTO ingested_files VALUES (?, ?, ?, ?, ?, ?)",
                    [rel, run_id, source, crawled_at, len(items), datetime.now(UTC).replace(tzinfo=None)])
        result.files += 1
        result.sources.add(source)
        newest[source] = max(crawled_at, newest.get(source, crawled_at))
    for source, crawled_at in newest.items():
        result.closed += close_missing(con, source, crawled_at)
    return result
