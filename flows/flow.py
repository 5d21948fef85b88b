"""The Prefect flow: crawl every source → extract skills → load into DuckDB.

Sources crawl in parallel, each in its own subprocess; a source that fails (after its
retries) is reported in the run summary and does not fail the others. Extraction and
loading run one source at a time, because DuckDB has a single writer."""

from __future__ import annotations

import os

# Offline, Prefect's telemetry would print connection errors on every run.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The temporary server of a one-off run can take longer than Prefect's 20 s to start on a
# small, busy machine (two crawl workers starting at once on two cores, say).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import json
import shutil
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

import skills
from flows.crawl import CrawlOutput, read_items, run_crawl, saved_outputs
from flows.sources import Source, load_sources, parse_sources
from pipeline import runs
from pipeline.db import default_db_path, open_store
from pipeline.load import LoadResult, close_missing, load_items, sync_taxonomy
from pipeline.match import refresh_weights
from pipeline.trends import take_snapshot


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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@task(retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE,
      task_run_name="crawl {source.key}")
def crawl_source(source: Source, run_dir: Path, settings: dict[str, Any] | None = None) -> CrawlOutput:
    return run_crawl(source, run_dir, settings)


@task(cache_policy=NO_CACHE, task_run_name="extract {output.source}")
def extract_skills(output: CrawlOutput) -> Path:
    """Keep the source's data/ML roles and add a "skills" list to each; written next to the
    feed."""
    items = read_items(output.items_path)
    if output.spec is not None:
        items = [it for it in items if output.spec.keeps(it)]
    texts = (f"{it.get('title') or ''}\n{it.get('description') or ''}" for it in items)
    extracted_path = output.items_path.with_suffix(".skills.jsonl")
    with open(extracted_path, "w", encoding="utf-8") as fh:
        for item, found in zip(items, skills.extract_many(texts), strict=True):
            fh.write(json.dumps({**item, "skills": found}, ensure_ascii=False) + "\n")
    return extracted_path


@task(cache_policy=NO_CACHE, task_run_name="load {output.source}")
def load_source(db: Path, run_id: str, output: CrawlOutput, extracted: Path,
                crawl_started: datetime) -> SourceSummary:
    items = read_items(extracted)
    filtered = output.items - len(items)
    with open_store(db) as con:
        previous = runs.previous_items(con, output.source, run_id)
        result: LoadResult = load_items(con, items, run_id=run_id, origin=output.source)
        summary = SourceSummary(output.source, "ok" if items else "empty", len(items),
                                result.new, result.updated, result.unchanged, skills=result.skills,
                                filtered=filtered)
        if previous and output.items < previous / 2:
            # Far fewer ads than last time is more often a broken crawl than a hiring
            # freeze: warn, and keep the missing jobs open until a healthy crawl.
            summary.warning = f"{output.items} items, down from {previous} last run"
        elif output.items:
            summary.closed = close_missing(con, output.source, crawl_started)
        else:
            summary.warning = "the source returned no jobs"
        runs.record_source(con, run_id, output.source, output.spider, summary.status,
                           output.health(), output.stats, warning=summary.warning)
    return summary


def _load_all(db_path: Path, run_id: str, crawled: list[CrawlOutput], started: datetime,
              summaries: list[SourceSummary]) -> None:
    """Extract and load each crawl; a failed load is reported and its items stay on disk."""
    logger = get_run_logger()
    for output in crawled:
        try:
            extracted = extract_skills(output)
            summaries.append(load_source(db_path, run_id, output, extracted, started))
        except Exception as exc:
            logger.warning("loading %s failed: %s", output.source, exc)
            summaries.append(SourceSummary(output.source, "failed", output.items,
                                           error=f"load failed: {exc}"))
    if any(s.status == "ok" for s in summaries):
        finish_loads(db_path, run_id)


def finish_loads(db_path: Path, run_id: str) -> None:
    """After a crawl's loads: the taxonomy the skills were found with, the run's skill
    snapshot and the stored ranking weights."""
    with open_store(db_path) as con:
        sync_taxonomy(con, skills.get_nlp().get_pipe("skill_extractor").taxonomy)
        take_snapshot(con, run_id, _now())
        refresh_weights(con)


def _finish(db_path: Path, run_id: str, run_dir: Path, summaries: list[SourceSummary],
            keep_items: bool) -> dict[str, Any]:
    failed = [s for s in summaries if s.status == "failed"]
    status = "failed" if len(failed) == len(summaries) else "partial" if failed else "ok"
    note = None
    if any((s.error or "").startswith("load failed") for s in failed):
        note = f"items kept in {run_dir}; load them again with: skillscout load {run_dir}"
    with open_store(db_path) as con:
        runs.finish_run(con, run_id, status, summaries, note)
    if not keep_items and not failed:
        shutil.rmtree(run_dir, ignore_errors=True)
    return {"run_id": run_id, "status": status, "db": str(db_path), "note": note,
            "sources": [asdict(s) for s in summaries]}


@flow(name="skillscout-crawl", log_prints=False)
def crawl_flow(sources: list[dict[str, Any]] | None = None, sources_file: str | None = None,
               db: str | None = None, keep_items: bool = False,
               scrapy_settings: dict[str, Any] | None = None,
               crawl_retries: int = 2) -> dict[str, Any]:
    """Crawl the sources (a list, or a sources file) into the database at `db`."""
    logger = get_run_logger()
    selected: list[Source] = (load_sources(sources_file) if sources_file
                              else parse_sources(sources or [], "sources"))
    db_path = Path(db) if db else default_db_path()
    run_id = uuid.uuid4().hex[:12]
    started = _now()
    run_dir = db_path.parent / "runs" / run_id
    with open_store(db_path) as con:
        runs.start_run(con, run_id, started, len(selected))

    crawl = crawl_source.with_options(retries=crawl_retries)
    futures = {s.key: crawl.submit(s, run_dir, scrapy_settings) for s in selected}
    summaries: list[SourceSummary] = []
    crawled: list[CrawlOutput] = []
    for source in selected:
        try:
            crawled.append(futures[source.key].result())
        except Exception as exc:  # one broken source must not sink the run
            logger.warning("source %s failed: %s", source.key, exc)
            summaries.append(SourceSummary(source.key, "failed", error=str(exc)))
            with open_store(db_path) as con:
                runs.record_source(con, run_id, source.key, source.spider, "failed", {}, {},
                                   error=str(exc))
    _load_all(db_path, run_id, crawled, started, summaries)
    return _finish(db_path, run_id, run_dir, summaries, keep_items)


@flow(name="skillscout-load", log_prints=False)
def load_flow(run_dir: str, db: str | None = None) -> dict[str, Any]:
    """Load the items a crawl kept on disk (after a failed load) without crawling again."""
    folder = Path(run_dir)
    crawled = saved_outputs(folder)
    if not crawled:
        raise FileNotFoundError(f"{folder}: no crawled items to load")
    db_path = Path(db) if db else default_db_path()
    run_id = folder.name
    with open_store(db_path) as con:
        started = runs.run_started(con, run_id) or _now()
    summaries: list[SourceSummary] = []
    _load_all(db_path, run_id, crawled, started, summaries)
    return _finish(db_path, run_id, folder, summaries, keep_items=False)
