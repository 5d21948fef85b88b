"""End to end: `skillscout demo` as a user runs it, Prefect start-up and all, beside its
floor, Prefect's own start: a process that runs one empty flow with a fresh Prefect home
(the temporary API server the demo's flow run needs starts in both)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import PROJECT_ROOT, Context, Result, Target

TARGET_SECONDS = Target("<=", 30)
EMPTY_FLOW = ("from prefect import flow\n"
              "@flow(name='empty')\n"
              "def empty() -> None:\n"
              "    pass\n"
              "empty()\n")


def _command() -> list[str]:
    script = Path(sys.executable).with_name("skillscout")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def _prefect_floor(env: dict[str, str], home: Path) -> float:
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", EMPTY_FLOW], cwd=PROJECT_ROOT,
                          env={**env, "PREFECT_HOME": str(home)}, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"an empty Prefect flow failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    return seconds


def run(ctx: Context) -> list[Result]:
    tmp = ctx.workdir / "demo"
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           # Prefect gives its ephemeral API server 20s to start, which a busy machine can
           # miss; the figure should then be slow, not missing.
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": os.environ.get(
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")}
    store = ctx.workdir / "demo.duckdb"
    try:
        floor = _prefect_floor(env, tmp / "prefect-floor")
        began = time.perf_counter()
        proc = subprocess.run([*_command(), "demo", "--db", str(store)], cwd=PROJECT_ROOT,
                              env=env, capture_output=True, text=True, timeout=1800)
        wall = time.perf_counter() - began
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if "startup" in ctx.selected and proc.returncode == 0:
        ctx.demo_store = store
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"skillscout demo exited {proc.returncode}: {last[0]}")
    own = re.search(r"demo finished in ([\d.]+)s", proc.stdout)
    jobs = re.search(r"(\d+) open jobs", proc.stdout)
    notes = "subprocess wall time, interpreter start to exit"
    if own:
        notes += f"; the command's own timer says {float(own.group(1)):.1f}s"
    if jobs:
        notes += f"; {jobs.group(1)} open jobs"
    return [Result("demo", "skillscout demo, start to finish", wall, "s", TARGET_SECONDS, floor=floor,
                   floor_name="an empty Prefect flow", notes=notes)]
