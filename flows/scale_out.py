"""Past one machine: crawl workers that share nothing but a folder of Parquet files.

Each worker takes the sources whose key hashes to its shard (`--shard 1/3`), crawls and
extracts them as the single-machine flow does, and writes the items as Parquet, partitioned
by crawl date and source:

    <out>/crawl_date=2026-11-25/source=greenhouse_acme/<run_id>.parquet

No worker touches DuckDB, so any number can run at once, on one machine or many (the folder
can be a network share or an object-store mount). One process, the only writer, then
ingests new files into the DuckDB store (`skillscout ingest <out>`); DuckDB can also query
the files directly with `read_parquet('<out>/**/*.parquet', hive_partitioning = true)`."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from prefect import flow, get_run_logger
from prefect.states import Completed, Failed, State

from flows import crawl as crawls
from flows.crawl import CrawlError, CrawlOutput, read_items
from flows.flow import CrawlFailed, crawl_all, crawl_concurrency, extract_skills
from flows.sources import Source, load_sources, parse_sources
from pipeline import run_folders
from pipeline.extraction import TRUNCATED_STAT, Extracted
from pipeline.ingest import CRAWL_METADATA


def shard_of(key: str, shards: int) -> int:
    """Stable across machines and Python runs (unlike hash())."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % shards


def parse_shard(text: str) -> tuple[int, int]:
    """"2/3" → (1, 3): the second of three shards (shards count from 1 for people)."""
    try:
        number, total = (int(x) for x in text.split("/"))
    except ValueError as exc:
        raise ValueError(f"a shard is written N/M, like 1/2: got {text!r}") from exc
    if not 1 <= number <= total:
        raise ValueError(f"shard {text!r}: N must be between 1 and M")
    return number - 1, total


def write_partition(out_dir: Path, source: Source, run_id: str, crawled_at: datetime,
                    items: list[dict[str, Any]], crawl: dict[str, Any]) -> Path:
    """One source's crawl as a Parquet file: its items (none when it failed), and its crawl
    health in the file's metadata, for `skillscout ingest` to record."""
    folder = out_dir / f"crawl_date={crawled_at:%Y-%m-%d}" / f"source={source.slug}"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "run_id": pa.array([run_id] * len(items), pa.string()),
        "source": pa.array([source.key] * len(items), pa.string()),
        "crawled_at": pa.array([crawled_at] * len(items), pa.timestamp("us")),
        # Items keep their nested skills lists; JSON keeps the schema the same for every
        # source and every version of the item.
        "item": pa.array([json.dumps(item, ensure_ascii=False) for item in items], pa.string()),
    })
    meta = {"run_id": run_id, "source": source.key, "spider": source.spider,
            "crawled_at": crawled_at.isoformat(), **crawl}
    table = table.replace_schema_metadata({CRAWL_METADATA: json.dumps(meta, default=str)})
    path = folder / f"{run_id}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    tmp.rename(path)  # readers never see half a file
    return path


def crawl_record(output: CrawlOutput, extracted: Extracted) -> dict[str, Any]:
    stats = {**output.stats, **({TRUNCATED_STAT: extracted.truncated} if extracted.truncated else {})}
    return {"status": "ok", "crawled": output.items, "stats": stats}


@flow(name="skillscout-crawl-shard", log_prints=False)
def crawl_shard_flow(out_dir: str, shard: int, shards: int, sources_file: str | None = None,
                     sources: list[dict[str, Any]] | None = None, crawl_retries: int = 2,
                     scrapy_settings: dict[str, Any] | None = None,
                     concurrency: int | None = None) -> State:
    logger = get_run_logger()
    every: list[Source] = load_sources(sources_file) if sources_file else parse_sources(sources or [])
    mine = [s for s in every if shard_of(s.key, shards) == shard]
    run_id = uuid.uuid4().hex[:12]
    crawled_at = datetime.now(UTC).replace(tzinfo=None)
    out = Path(out_dir)
    work = out / "_work" / run_id
    results = crawl_all(mine, work, scrapy_settings, crawl_retries, concurrency or crawl_concurrency())
    written, failed = [], []
    for source in mine:
        result = results[source.key]
        if isinstance(result, BaseException):
            error = crawls.one_line(str(result).removeprefix(f"{source.key}: "))
            logger.warning("source %s failed: %s", source.key, error)
            stats = result.stats if isinstance(result, CrawlError) else {}
            write_partition(out, source, run_id, crawled_at, [], {
                "status": "failed", "error": error, "stats": stats,
                "crawled": getattr(result, "items", 0)})
            failed.append({"source": source.key, "error": error})
            continue
        extracted = extract_skills(result)
        path = write_partition(out, source, run_id, crawled_at, read_items(extracted.path),
                               crawl_record(result, extracted))
        logger.info("%s: %d items written to %s", source.key, extracted.kept, path)
        written.append({"source": source.key, "file": str(path)})
    # What is in Parquet needs no work folder; a failed source's log stays for the retention time.
    if not failed:
        run_folders.remove(work)
    run_folders.prune(out / "_work", spare=frozenset({run_id}))
    summary = {"run_id": run_id, "shard": f"{shard + 1}/{shards}", "written": written, "failed": failed,
               "logs": str(work) if failed else None}
    line = (f"shard {shard + 1}/{shards}: {len(written)} of {len(mine)} source(s) written"
            + ("; failed: " + "; ".join(f"{f['source']} ({f['error']})" for f in failed) if failed else ""))
    logger.info(line)
    if failed and not written:
        return Failed(message=line, data=CrawlFailed(line, summary))
    return Completed(name="Partial" if failed else "Completed", message=line, data=summary)
