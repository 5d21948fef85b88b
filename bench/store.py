"""The store: loading 100,000 jobs into a fresh DuckDB file (and again, the path every
repeated crawl takes), then ranking and gap-finding over them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import PROJECT_ROOT, Context, Result, Target, synthetic

TARGET_MATCH_MS = Target("<", 200)
ORIGIN = "jobposting:bench"
EXAMPLE_PROFILE = PROJECT_ROOT / "data" / "profile.example.yaml"
MIB = 2**20


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _load(path: Path, items: list[dict[str, Any]], batch: int, run_id: str
          ) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of all threads, LoadResult) of loading `items`, then
    storing the ranking weights, as the flow does after its loads."""
    from pipeline.db import connect
    from pipeline.load import LoadResult, load_items
    from pipeline.match import refresh_weights

    con = connect(path)
    total = LoadResult()
    try:
        began, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(items), batch):
            total += load_items(con, items[start : start + batch], run_id=run_id, origin=ORIGIN)
        refresh_weights(con)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    finally:
        con.close()
    return seconds, cpu, total


def _db_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + ".wal")) if p.exists())


def run_load(ctx: Context) -> list[Result]:
    n, batch = ctx.sizes.load_jobs, ctx.sizes.load_batch
    began = time.perf_counter()
    items = synthetic.items(n, ctx.seed, with_skills=True)
    generated = time.perf_counter() - began
    path = ctx.workdir / "store.duckdb"
    _remove_db(path)
    try:
        first_s, first_cpu, first = _load(path, items, batch, "bench-first")
        again_s, again_cpu, again = _load(path, items, batch, "bench-again")
        size = _db_size(path)
    except BaseException:
        _remove_db(path)
        raise
    if "match" in ctx.selected:
        ctx.store = path
    else:
        _remove_db(path)
    shape = (f"{n:,} jobs with {first.skills:,} skills, {n // batch} batches of {batch:,}, one source; "
             f"items generated in {generated:.0f}s (not counted)")
    return [
        Result("load", "first load, fresh file", n / first_s, "rows/s",
               notes=f"{shape}; {first_s:.1f}s, CPU {first_cpu:.0f}s; {first.new:,} new; "
                     f"file {size / MIB:,.0f} MiB"),
        Result("load", "same items again (idempotent)", n / again_s, "rows/s",
               notes=f"{again_s:.1f}s, CPU {again_cpu:.0f}s; {again.unchanged:,} unchanged, "
                     f"{again.new:,} new, {again.updated:,} updated"),
    ]


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], float]:
    """Median seconds of `runs` calls after one warm-up call, all the timings, and the
    median CPU seconds (DuckDB's threads included)."""
    fn()
    times, cpus = [], []
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
    return statistics.median(times), times, statistics.median(cpus)


def _spread(times: list[float], cpu: float) -> str:
    return (f"median of {len(times)} runs after a warm-up ({min(times) * 1000:,.0f}–"
            f"{max(times) * 1000:,.0f} ms), CPU {cpu * 1000:,.0f} ms")


def run_match(ctx: Context) -> list[Result]:
    from pipeline.db import connect
    from pipeline.gaps import gaps
    from pipeline.match import profile_filters, rank
    from pipeline.profile import Profile, load_profile

    path, built_here = ctx.store, ctx.store is None
    if path is None:
        path = ctx.workdir / "match.duckdb"
        _remove_db(path)
        _load(path, synthetic.items(ctx.sizes.load_jobs, ctx.seed, with_skills=True),
              ctx.sizes.load_batch, "bench-match")
    try:
        con = connect(path, read_only=True)
        try:
            example = load_profile(EXAMPLE_PROFILE)
            anywhere = Profile.from_skills(dict(example.skills), name="no preferences")
            (jobs,), = con.execute("SELECT count(*) FROM open_jobs").fetchall()
            runs, results = ctx.sizes.timed_runs, []
            for label, profile in (("example profile", example), ("no preferences", anywhere)):
                where, params = profile_filters(profile)
                (eligible,), = con.execute(
                    f"SELECT count(*) FROM open_jobs j WHERE {where}", params).fetchall()  # noqa: S608 - our own clauses
                median, times, cpu = _timed(lambda p=profile: rank(con, p, limit=20), runs)
                results.append(Result(
                    "match", f"rank(limit=20), {label}", median * 1000, "ms", TARGET_MATCH_MS,
                    notes=f"{_spread(times, cpu)}; {eligible:,} of {jobs:,} open jobs pass "
                          "the preferences"))
            median, times, cpu = _timed(lambda: gaps(con, example), runs)
            results.append(Result("match", "gaps, example profile", median * 1000, "ms",
                                  notes=f"{_spread(times, cpu)}; limit 10"))
        finally:
            con.close()
    finally:
        if built_here or ctx.store == path:
            _remove_db(path)
            ctx.store = None
    return results
