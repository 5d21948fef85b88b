"""Shared by the web app's tests: a store with the demo board and one hostile ad, and
`skillscout serve` running as its own process (as a user runs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import skills
from pipeline.db import open_store
from pipeline.load import load_items
from pipeline.match import refresh_weights

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# Script and event-handler payloads as scraped ads can carry them (an HN comment, an ATS
# field that was HTML-escaped once too often): literal text in the stored ad.
HOSTILE_DESCRIPTION = (
    "We need SQL and Python.\n"
    "<script>window.__xss = 1; alert('xss')</script>\n"
    "<img src=x onerror=\"window.__xss = 2; alert('xss')\">\n"
    "<a href=\"javascript:window.__xss=3\">apply</a> Tableau is a plus.")
HOSTILE_ID_SOURCE = ("evilboard", "xss-1")


def hostile_item() -> dict:
    title = "Data Analyst <script>window.__xss = 4</script>"
    text = f"{title}\n{HOSTILE_DESCRIPTION}"
    return {"source": HOSTILE_ID_SOURCE[0], "source_id": HOSTILE_ID_SOURCE[1],
            "url": "javascript:window.__xss=5", "title": title,
            "company": "Evil <img src=x onerror=\"window.__xss=6\"> Ltd", "location": "Leeds, GB",
            "country": "GB", "remote": "hybrid", "role_family": "data analyst",
            "posted_at": datetime.now(UTC).replace(tzinfo=None).isoformat(),
            "description": HOSTILE_DESCRIPTION, "skills": skills.extract(text)}


def make_web_db(demo: Path, target: Path) -> Path:
    """A copy of the crawled demo store with the hostile ad loaded through the load path."""
    shutil.copy(demo, target)
    with open_store(target) as con:
        load_items(con, [hostile_item()], run_id="hostile", origin="evilboard:test")
        refresh_weights(con)
    return target


def hostile_job_id() -> str:
    from pipeline.load import job_id_for

    return job_id_for(*HOSTILE_ID_SOURCE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(db: Path, profile: Path, *extra: str) -> Iterator[str]:
    """`skillscout serve` on a free port, in its own process; yields the base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--db", str(db), "--profile",
                             str(profile), "--port", str(port), *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"skillscout serve exited: {proc.stdout.read()}")
            try:
                urllib.request.urlopen(base + "/static/app.css", timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("skillscout serve did not start within 120 s") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
