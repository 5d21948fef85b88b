"""The store: loading 100,000 jobs into a fresh DuckDB file (and again, the path every
repeated crawl takes) beside its floor, DuckDB's bulk insert of the same rows from pandas
into plain tables; then ranking and gap-finding over them."""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import PROJECT_ROOT, Context, Result, Target, synthetic

TARGET_MATCH_MS = Target("<=", 100)
TARGET_LOAD_OF_FLOOR = Target("<=", 2.0, of="ratio")
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


def _bulk_floor(path: Path, items: list[dict[str, Any]]) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds of all threads, seconds of the inserts alone, skill rows) of
    storing the rows the loader stores (the raw item, the job, where it was listed, its
    skills) with no identity, dedupe or constraints: frames built from the same items, then
    one INSERT … SELECT per table into a fresh file."""
    import duckdb
    import pandas as pd

    _remove_db(path)
    began, cpu = time.perf_counter(), time.process_time()
    fields = [k for k in items[0] if k != "skills"]
    jobs = pd.DataFrame({k: [it.get(k) for it in items] for k in fields})
    raw = pd.DataFrame({"source": jobs["source"], "source_id": jobs["source_id"],
                        "item": [json.dumps(it, ensure_ascii=False, default=str) for it in items]})
    listed = jobs[["source", "source_id", "url"]]
    skills = pd.DataFrame(
        [(it["source_id"], s["name"], s["category"], s["required"], s["years"], len(s.get("spans") or ()))
         for it in items for s in it["skills"]],
        columns=["job_id", "skill", "category", "required", "years", "mentions"])
    con = duckdb.connect(str(path))
    try:
        inserts = time.perf_counter()
        for table, frame in (("raw_items", raw), ("jobs", jobs), ("job_sources", listed),
                             ("job_skills", skills)):
            con.register("frame", frame)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame LIMIT 0")  # noqa: S608 - our names
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")  # noqa: S608
            con.unregister("frame")
        con.execute("CHECKPOINT")
        ended, cpu = time.perf_counter(), time.process_time() - cpu
    finally:
        con.close()
        _remove_db(path)
    return ended - began, cpu, ended - inserts, len(skills)


def _db_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + ".wal")) if p.exists())


def _in_worker(mode: str, items_path: Path, db: Path, run_id: str, batch: int) -> dict[str, Any]:
    """One load (or the floor) in a fresh interpreter, so that its memory is its own: RSS once
    the items are read, and the process's high-water mark after."""
    cmd = [sys.executable, "-m", "bench.store", mode, str(items_path), str(db), run_id, str(batch)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} worker failed: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_load(ctx: Context) -> list[Result]:
    n, batch = ctx.sizes.load_jobs, ctx.sizes.load_batch
    began = time.perf_counter()
    items = synthetic.items(n, ctx.seed, with_skills=True)
    generated = time.perf_counter() - began
    items_path = ctx.workdir / "items.pickle"
    with open(items_path, "wb") as fh:
        pickle.dump(items, fh, protocol=pickle.HIGHEST_PROTOCOL)
    del items
    path = ctx.workdir / "store.duckdb"
    _remove_db(path)
    try:
        floor = _in_worker("floor", items_path, ctx.workdir / "floor.duckdb", "", batch)
        first = _in_worker("load", items_path, path, "bench-first", batch)
        again = _in_worker("load", items_path, path, "bench-again", batch)
        size = _db_size(path)
    except BaseException:
        _remove_db(path)
        raise
    finally:
        items_path.unlink(missing_ok=True)
    if "match" in ctx.selected:
        ctx.store = path
    else:
        _remove_db(path)
    shape = (f"{n:,} jobs with {first['skills']:,} skills, {n // batch} batches of {batch:,}, one source; "
             f"items generated in {generated:.0f}s (not counted)")
    return [
        Result("load", "first load, fresh file, then weights", first["seconds"], "s", TARGET_LOAD_OF_FLOOR,
               floor=floor["seconds"], floor_name="bulk insert from pandas",
               notes=f"{shape}; {n / first['seconds']:,.0f} jobs/s; CPU {first['cpu']:.1f}s against the "
                     f"floor's {floor['cpu']:.1f}s ({first['cpu'] / floor['cpu']:.2f}×); "
                     f"{first['new']:,} new; "
                     f"file {size / MIB:,.0f} MiB; the floor builds frames from the same items and "
                     f"inserts {floor['skills']:,} skill rows into plain tables ({floor['inserts']:.1f}s of "
                     "it the inserts)"),
        Result("load", "same items again (idempotent)", again["seconds"], "s",
               floor=floor["seconds"], floor_name="bulk insert from pandas",
               notes=f"{n / again['seconds']:,.0f} jobs/s, CPU {again['cpu']:.1f}s; {again['unchanged']:,} "
                     f"unchanged, {again['new']:,} new, {again['updated']:,} updated"),
        *(Result("load", f"peak RSS, {label}", data["peak"] / MIB, "MiB",
                 notes=(f"its own process: {data['held'] / MIB:,.0f} MiB once the {n:,} items were read, "
                        f"so the work added {(data['peak'] - data['held']) / MIB:,.0f} MiB at most"))
          for label, data in (("first load", first), ("load again", again), ("bulk-insert floor", floor))),
    ]


def _worker(argv: list[str]) -> None:
    import gc
    import resource

    mode, items_path, db, run_id, batch = argv
    with open(items_path, "rb") as fh:
        items = pickle.load(fh)
    gc.collect()
    held = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    if mode == "floor":
        seconds, cpu, inserts, skills = _bulk_floor(Path(db), items)
        out = {"seconds": seconds, "cpu": cpu, "inserts": inserts, "skills": skills}
    else:
        seconds, cpu, result = _load(Path(db), items, int(batch), run_id)
        out = {"seconds": seconds, "cpu": cpu, "skills": result.skills, "new": result.new,
               "updated": result.updated, "unchanged": result.unchanged}
    out.update(held=held, peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    print(json.dumps(out))


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


if __name__ == "__main__":
    _worker(sys.argv[1:])
