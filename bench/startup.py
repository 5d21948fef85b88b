"""CLI start-up: `skillscout match` on the demo database, the whole process from interpreter
start to exit, beside the floor every store-reading command stands on, `python -c "import
duckdb"`. The two run alternately, so a busy spell on the machine slows both."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import PROJECT_ROOT, Context, Result, Target

TARGET_OF_FLOOR = Target("<=", 3.0, of="ratio")
RUNS = 7


def _skillscout() -> list[str]:
    script = Path(sys.executable).with_name("skillscout")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def _demo_store(ctx: Context) -> tuple[Path, str]:
    """The demo's own store when the demo benchmark kept it; otherwise the demo board's 68
    ads loaded through the library (no Prefect, no crawl), which is the same size."""
    if ctx.demo_store and ctx.demo_store.exists():
        return ctx.demo_store, "the store `skillscout demo` filled in this run"
    from bench import synthetic
    from pipeline.db import connect
    from pipeline.load import load_items, sync_taxonomy
    from pipeline.match import refresh_weights
    from skills import load_taxonomy

    path = ctx.workdir / "startup.duckdb"
    con = connect(path)
    try:
        sync_taxonomy(con, load_taxonomy())
        load_items(con, synthetic.items(68, ctx.seed, with_skills=True), run_id="bench-startup",
                   origin="jobposting:bench")
        refresh_weights(con)
    finally:
        con.close()
    return path, "68 synthetic ads from the demo board loaded through the library"


def _time(cmd: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[-4:])} exited {proc.returncode}: "
                           f"{(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    return seconds


def run(ctx: Context) -> list[Result]:
    store, which = _demo_store(ctx)
    env = {**os.environ, "COLUMNS": "120"}
    ours_cmd = [*_skillscout(), "match", "--db", str(store)]
    floor_cmd = [sys.executable, "-c", "import duckdb"]
    _time(ours_cmd, env), _time(floor_cmd, env)  # warm the page cache: not a cold-disk figure
    ours, floor = [], []
    for _ in range(RUNS):
        ours.append(_time(ours_cmd, env))
        floor.append(_time(floor_cmd, env))
    ratios = sorted(o / f for o, f in zip(ours, floor, strict=True))
    return [Result(
        "startup", "skillscout match, demo store, whole process", statistics.median(ours) * 1000, "ms",
        TARGET_OF_FLOOR, floor=statistics.median(floor) * 1000, floor_name='python -c "import duckdb"',
        notes=(f"median of {RUNS} runs each, alternating, after a warm-up; ours "
               f"{min(ours) * 1000:,.0f}–{max(ours) * 1000:,.0f} ms, the import "
               f"{min(floor) * 1000:,.0f}–{max(floor) * 1000:,.0f} ms, ratio per pair "
               f"{ratios[0]:.2f}–{ratios[-1]:.2f}×; {which}"))]
