"""The Prefect flow: crawl every source → extract skills → load into DuckDB.

Sources crawl in parallel, at most SKILLSCOUT_CRAWL_CONCURRENCY at a time (default: twice
the cores), each in its own subprocess; a source that fails (after its retries) is reported
in the run summary and does not fail the others. Extraction and loading run one source at
a time, because DuckDB has a single writer. Every decision about the data is the library's
(`pipeline.loading`, `pipeline.extraction`): the tasks here only call it.

What a run tells: per-source counts, extraction and load summaries in its log (INFO, in the
Prefect UI), its crawl table as a Prefect artifact, and its final state: Completed, a
Completed state named "Partial" listing the sources that failed, or Failed when all did."""

from __future__ import annotations

import os

# Offline, Prefect's telemetry would print connection errors on every run.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The temporary server of a one-off run can take longer than Prefect's 20 s to start on a
# small, busy machine (two crawl workers starting at once on two cores, say).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import TerminationSignal
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State

from flows import crawl as crawls
from flows.crawl import CrawlError, CrawlOutput, iter_items, read_items, run_crawl, saved_outputs
from flows.sources import Source, load_sources, parse_sources
from pipeline import loading, run_folders, runs
from pipeline.db import StoreError, default_db_path, open_store, write_error
from pipeline.extraction import TRUNCATED_STAT, Extracted, extract_feed
from pipeline.loading import SourceCrawl, SourceSummary


class CrawlFailed(RuntimeError):
    """Every source of a run failed; `summary` says how each did."""

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary


def crawl_concurrency() -> int:
    """How many sources crawl at once: SKILLSCOUT_CRAWL_CONCURRENCY, else twice the cores
    (a crawl mostly waits on the network and on politeness delays)."""
    value = os.environ.get("SKILLSCOUT_CRAWL_CONCURRENCY", "")
    return int(value) if value.isdigit() and int(value) > 0 else 2 * (os.cpu_count() or 1)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def worth_retrying(task: Any, task_run: Any, state: State) -> bool:
    """A host that does not resolve will not resolve ten seconds later (no network, a wrong
    name): retrying it only tripled how long an offline crawl took to fail. Nor will a
    rejected API key or a spent rate limit (CrawlError.retry)."""
    try:
        state.result()
    except CrawlError as exc:
        return exc.retry and "DNS lookup failed" not in str(exc)
    except Exception:
        return True
    return True


@task(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=worth_retrying,
      cache_policy=NO_CACHE, task_run_name="crawl {source.key}")
def crawl_source(source: Source, run_dir: Path, settings: dict[str, Any] | None = None) -> CrawlOutput:
    return run_crawl(source, run_dir, settings)


@task(cache_policy=NO_CACHE, task_run_name="extract {output.source}")
def extract_skills(output: CrawlOutput) -> Extracted:
    """The source's data/ML roles, each with its skills, written next to the feed."""
    extracted = extract_feed(iter_items(output.items_path), output.items_path.with_suffix(".skills.jsonl"),
                             keep=output.spec.keeps if output.spec else None)
    get_run_logger().info("%s: %d of %d items kept, skills extracted%s", output.source, extracted.kept,
                          output.items, f"; {extracted.truncated} oversized ad(s) truncated"
                          if extracted.truncated else "")
    return extracted


def source_crawl(output: CrawlOutput, extracted: Extracted, seen_at: datetime | None = None) -> SourceCrawl:
    stats = {**output.stats, **({TRUNCATED_STAT: extracted.truncated} if extracted.truncated else {})}
    return SourceCrawl(output.source, output.spider, read_items(extracted.path), output.items, stats, seen_at)


@task(cache_policy=NO_CACHE, task_run_name="load {output.source}")
def store_source(db: Path, run_id: str, output: CrawlOutput, extracted: Extracted,
                 crawl_started: datetime) -> SourceSummary:
    with open_store(db) as con:
        summary = loading.load_source(con, run_id, source_crawl(output, extracted), crawl_started)
    get_run_logger().info("%s: %d loaded, %d new, %d updated, %d closed, %d skills%s", summary.source,
                          summary.items, summary.new, summary.updated, summary.closed, summary.skills,
                          f" ({summary.warning})" if summary.warning else "")
    return summary


@task(cache_policy=NO_CACHE, task_run_name="refresh trends and weights")
def refresh_after_load(db: Path, run_id: str) -> None:
    with open_store(db) as con:
        loading.after_load(con, run_id)


def crawl_all(selected: list[Source], run_dir: Path, settings: dict[str, Any] | None, retries: int,
              concurrency: int) -> dict[str, CrawlOutput | BaseException]:
    """Crawl every source, `concurrency` at a time; each source's timeout starts with it."""
    crawl = crawl_source.with_options(retries=retries)
    waiting = list(selected)
    running: dict[Any, Source] = {}
    results: dict[str, CrawlOutput | BaseException] = {}
    for source in [s for s in waiting if s.problem]:  # an API key not set: nothing to crawl with
        results[source.key] = CrawlError(source.problem, retry=False)
    waiting = [s for s in waiting if not s.problem]
    while waiting or running:
        while waiting and len(running) < concurrency:
            source = waiting.pop(0)
            running[crawl.submit(source, run_dir, settings)] = source
        done = next(as_completed(list(running)))
        source = running.pop(done)
        try:
            results[source.key] = done.result()
        except Exception as exc:  # one broken source must not sink the run
            results[source.key] = exc
    return results


def _load_all(db_path: Path, run_id: str, crawled: list[CrawlOutput], started: datetime,
              summaries: list[SourceSummary]) -> None:
    """Extract and load each crawl. A source whose load fails is reported and its items stay
    on disk; a store that cannot be written (full disk, read-only folder) stops the run."""
    logger = get_run_logger()
    for output in crawled:
        try:
            summaries.append(store_source(db_path, run_id, output, extract_skills(output), started))
        except StoreError:
            raise
        except Exception as exc:
            if (problem := write_error(exc)) is not None:  # a full disk, a read-only folder
                raise problem from exc
            message = crawls.one_line(f"load failed: {exc}")
            logger.warning("%s: %s", output.source, message)
            with open_store(db_path) as con:
                summaries.append(loading.record_failure(con, run_id, output.source, output.spider,
                                                        message, output.stats, output.items))
    if any(s.status == "ok" for s in summaries):
        refresh_after_load(db_path, run_id)


def _record_crawl_failures(db_path: Path, run_id: str, selected: list[Source],
                           results: dict[str, CrawlOutput | BaseException]) -> list[SourceSummary]:
    logger = get_run_logger()
    failed = []
    with open_store(db_path) as con:
        for source in selected:
            exc = results[source.key]
            if isinstance(exc, BaseException):
                message = crawls.one_line(str(exc).removeprefix(f"{source.key}: "))
                logger.warning("%s failed: %s", source.key, message)
                known = isinstance(exc, CrawlError)
                failed.append(loading.record_failure(con, run_id, source.key, source.spider, message,
                                                     exc.stats if known else None, exc.items if known else 0))
    return failed


def _finish(db_path: Path, run_id: str, run_dir: Path, summaries: list[SourceSummary],
            keep_items: bool, remove_when_done: bool = True) -> dict[str, Any]:
    failed = [s for s in summaries if s.status == "failed"]
    load_failed = any((s.error or "").startswith("load failed") for s in failed)
    note = (f"items kept in {run_dir}; load them again with: skillscout load {run_dir}"
            if load_failed else None)
    with open_store(db_path) as con:
        status = runs.finish_run(con, run_id, note)
    if keep_items:
        run_folders.mark_kept(run_dir, "--keep-items")
    elif not failed and remove_when_done:
        run_folders.remove(run_dir)
    # Earlier runs' folders past the retention time go now (never this run's).
    run_folders.prune(run_folders.runs_root(db_path), spare=frozenset({run_id}))
    kept = run_dir.exists()
    return {"run_id": run_id, "status": status, "db": str(db_path), "note": note,
            "run_dir": str(run_dir) if kept else None, "logs": str(run_dir) if kept and failed else None,
            "sources": [s.to_dict() for s in summaries]}


def summary_line(summary: dict[str, Any]) -> str:
    sources = summary["sources"]
    total = lambda key: sum(s.get(key) or 0 for s in sources)  # noqa: E731 - a local sum
    failed = [s for s in sources if s["status"] == "failed"]
    line = (f"{len(sources) - len(failed)} of {len(sources)} source(s) crawled, {total('items')} items, "
            f"{total('new')} new, {total('updated')} updated, {total('closed')} closed")
    if failed:
        line += "; failed: " + "; ".join(f"{s['source']} ({s['error']})" for s in failed)
    return line


def _report(summary: dict[str, Any]) -> State:
    """Log the run, publish its crawl table, and give it the state that says how it went."""
    logger = get_run_logger()
    line = summary_line(summary)
    logger.info("run %s %s: %s", summary["run_id"], summary["status"], line)
    for text in summary.get("recovered") or []:
        logger.warning("recovered: %s", text)
    create_table_artifact(
        key="crawl-summary",
        table=[{k: s.get(k) for k in ("source", "status", "items", "filtered", "new", "updated",
                                      "closed", "skills", "warning", "error")} for s in summary["sources"]],
        description=f"skillscout crawl {summary['run_id']}: {summary['status']}. {line}")
    if summary["status"] == "failed":
        return Failed(message=line, data=CrawlFailed(line, summary))
    if summary["status"] == "partial":
        return Completed(name="Partial", message=line, data=summary)
    return Completed(message=line, data=summary)


def _interrupted(db_path: Path, run_id: str, exc: BaseException) -> None:
    """A run being stopped (Ctrl-C, SIGTERM, a store error) still ends with a final status;
    what its sources loaded stays."""
    with _signals_held():  # a second Ctrl-C or SIGTERM must not cut this short
        if isinstance(exc, KeyboardInterrupt):
            cause = "stopped by Ctrl-C (SIGINT)"
        elif isinstance(exc, TerminationSignal):
            cause = "stopped by SIGTERM"
        else:
            cause = f"stopped: {crawls.one_line(str(exc)) or type(exc).__name__}"
        # The store may be what failed: then the next run closes this one.
        with suppress(Exception), open_store(db_path) as con:
            runs.finish_run(con, run_id, note=cause, status="interrupted")
        crawls.stop_all()


@contextmanager
def _signals_held() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)


def _print_finished(flow: Any, flow_run: Any, state: State) -> None:
    """One line in the terminal that serves the schedule, per finished run."""
    if getattr(flow_run, "deployment_id", None) and state.is_final():
        print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {flow_run.name}: {state.name}"
              f"{' — ' + state.message if state.message else ''}", flush=True)


@flow(name="skillscout-crawl", log_prints=False, on_completion=[_print_finished],
      on_failure=[_print_finished], on_crashed=[_print_finished], on_cancellation=[_print_finished])
def crawl_flow(sources: list[dict[str, Any]] | dict[str, Any] | None = None, sources_file: str | None = None,
               db: str | None = None, keep_items: bool = False,
               scrapy_settings: dict[str, Any] | None = None,
               crawl_retries: int = 2, concurrency: int | None = None) -> State:
    """Crawl the sources (a list or a {sources, searches} mapping, or a sources file) into the
    database at `db`."""
    logger = get_run_logger()
    selected: list[Source] = (load_sources(sources_file) if sources_file
                              else parse_sources(sources or [], "sources"))
    db_path = Path(db) if db else default_db_path()
    run_id = uuid.uuid4().hex[:12]
    started = _now()
    run_dir = run_folders.runs_root(db_path) / run_id
    with open_store(db_path) as con:
        recovered = runs.recover_stale_runs(con, run_id)
        runs.start_run(con, run_id, started, len(selected))
    for text in recovered:
        logger.warning("recovered: %s", text)
    try:
        results = crawl_all(selected, run_dir, scrapy_settings, crawl_retries,
                             concurrency or crawl_concurrency())
        summaries = _record_crawl_failures(db_path, run_id, selected, results)
        # Loaded in the sources file's order, whichever crawl finished first.
        crawled = [r for r in (results[s.key] for s in selected) if isinstance(r, CrawlOutput)]
        _load_all(db_path, run_id, crawled, started, summaries)
        order = {s.key: n for n, s in enumerate(selected)}
        summaries.sort(key=lambda s: order.get(s.source, len(order)))
        summary = _finish(db_path, run_id, run_dir, summaries, keep_items)
    except BaseException as exc:
        _interrupted(db_path, run_id, exc)
        raise
    summary["recovered"] = recovered
    return _report(summary)


@flow(name="skillscout-load", log_prints=False)
def load_flow(run_dir: str, db: str | None = None) -> State:
    """Load the items a crawl kept on disk (after a failed load) without crawling again."""
    folder = Path(run_dir)
    crawled = saved_outputs(folder)
    if not crawled:
        raise FileNotFoundError(f"{folder}: no crawled items to load")
    db_path = Path(db) if db else default_db_path()
    run_id = folder.name
    with open_store(db_path) as con:
        started = runs.run_started(con, run_id)
        if started is None:  # a folder from another store: the run is new here
            started = _now()
            runs.start_run(con, run_id, started, len(crawled))
    summaries: list[SourceSummary] = []
    _load_all(db_path, run_id, crawled, started, summaries)
    # The folder is the user's to keep: `load` never removes it (retention may, later, if it
    # sits beside the database unmarked).
    summary = _finish(db_path, run_id, folder, summaries, keep_items=False, remove_when_done=False)
    summary["recovered"] = []
    return _report(summary)
