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

from flows.crawl import CrawlOutput, read_items
from flows.flow import crawl_source, extract_skills
from flows.sources import Source, load_sources, parse_sources

PARQUET_COLUMNS = ("run_id", "source", "crawled_at", "item")


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


def write_partition(out_dir: Path, output: CrawlOutput, extracted: Path, run_id: str,
                    crawled_at: datetime) -> Path:
    items = read_items(extracted)
    slug = output.spec.slug if output.spec else output.source
    folder = out_dir / f"crawl_date={crawled_at:%Y-%m-%d}" / f"source={slug}"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "run_id": [run_id] * len(items),
        "source": [output.source] * len(items),
        "crawled_at": pa.array([crawled_at] * len(items), pa.timestamp("us")),
        # Items keep their nested skills lists; JSON keeps the schema the same for every
        # source and every version of the item.
        "item": [json.dumps(item, ensure_ascii=False) for item in items],
    })
    path = folder / f"{run_id}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    tmp.rename(path)  # readers never see half a file
    return path


@flow(name="skillscout-crawl-shard", log_prints=False)
def crawl_shard_flow(out_dir: str, shard: int, shards: int, sources_file: str | None = None,
                     sources: list[dict[str, Any]] | None = None, crawl_retries: int = 2,
                     scrapy_settings: dict[str, Any] | None = None) -> dict[str, Any]:
    logger = get_run_logger()
    every: list[Source] = load_sources(sources_file) if sources_file else parse_sources(sources or [])
    mine = [s for s in every if shard_of(s.key, shards) == shard]
    run_id = uuid.uuid4().hex[:12]
    crawled_at = datetime.now(UTC).replace(tzinfo=None)
    out = Path(out_dir)
    work = out / "_work" / run_id
    crawl = crawl_source.with_options(retries=crawl_retries)
    futures = {s.key: crawl.submit(s, work, scrapy_settings) for s in mine}
    written, failed = [], []
    for source in mine:
        try:
            output = futures[source.key].result()
        except Exception as exc:  # the others still land
            logger.warning("source %s failed: %s", source.key, exc)
            failed.append({"source": source.key, "error": str(exc)})
            continue
        path = write_partition(out, output, extract_skills(output), run_id, crawled_at)
        written.append({"source": source.key, "file": str(path)})
    return {"run_id": run_id, "shard": f"{shard + 1}/{shards}", "written": written, "failed": failed}
