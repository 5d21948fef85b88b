"""End to end: `skillscout demo` as a user runs it, Prefect start-up and all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import PROJECT_ROOT, Context, Result


def _command() -> list[str]:
    script = Path(sys.executable).with_name("skillscout")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


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
    return [Result("demo", "skillscout demo", wall, "s", notes=notes)]
