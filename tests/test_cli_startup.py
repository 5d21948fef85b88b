"""Commands that only read the store start light: they import neither Prefect, Scrapy nor
spaCy, nor pandas. Each runs in a fresh interpreter, as a user starts it, and reports which
of those modules it loaded by the time it exited. (How fast that start is, is a figure in
`bench/startup.py`, not a test.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_match import add_jobs, skill

from pipeline.db import connect
from pipeline.trends import take_snapshot

HEAVY = ("prefect", "scrapy", "twisted", "spacy", "thinc", "pandas", "pyarrow")
# Runs the CLI as its console script does, then prints the heavy packages it loaded.
RUN = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: print("LOADED " + json.dumps(sorted(
    {{name.split(".")[0] for name in sys.modules}} & set(heavy))), file=sys.stderr))
sys.argv = ["skillscout", *sys.argv[1:]]
from flows.cli import main
main()
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    from datetime import datetime

    db = tmp_path_factory.mktemp("startup") / "store.duckdb"
    con = connect(db)
    add_jobs(con, {"Data Analyst": [skill("SQL"), skill("Python")], "BI Developer": [skill("Power BI")]})
    take_snapshot(con, "first", datetime(2026, 11, 1))
    con.close()
    return db


def _run(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    proc = subprocess.run([sys.executable, "-c", RUN.format(heavy=HEAVY), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=_env())
    loaded = [line for line in proc.stderr.splitlines() if line.startswith("LOADED ")]
    assert loaded, proc.stderr
    return proc, json.loads(loaded[-1].removeprefix("LOADED "))


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "COLUMNS": "120",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def _job_id(store: Path) -> str:
    con = connect(store, read_only=True)
    try:
        return con.execute("SELECT id FROM jobs WHERE title = 'Data Analyst'").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("command", [
    ["match", "--json"], ["gaps", "--json"], ["jobs", "--json"], ["trends", "--json"],
    ["sources", "--json"], ["show"], ["report"],
])
def test_reading_commands_import_nothing_heavy(store, tmp_path, command):
    args = [*command]
    if command == ["show"]:
        args.append(_job_id(store))
    if command == ["report"]:
        args += ["-o", str(tmp_path / "report.html")]
    proc, loaded = _run(*args, "--db", str(store), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert loaded == [], f"`skillscout {' '.join(command)}` imported {', '.join(loaded)}"
    # ... and still did its work: the store's jobs are in its answer.
    if command[0] == "match":
        assert [m["title"] for m in json.loads(proc.stdout)][:1] == ["Data Analyst"]
    elif command[0] == "jobs":
        assert sorted(j["title"] for j in json.loads(proc.stdout)) == ["BI Developer", "Data Analyst"]
    elif command[0] == "show":
        assert "Data Analyst" in proc.stdout
    elif command[0] == "report":
        assert "Data Analyst" in (tmp_path / "report.html").read_text()


def test_the_check_sees_a_heavy_import(store, tmp_path):
    """The check itself works: a command that does extract (and so needs spaCy) is caught."""
    ad = tmp_path / "ad.txt"
    ad.write_text("Data Analyst\nEssential: SQL and Python.\n")
    proc, loaded = _run("extract", str(ad), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "spacy" in loaded
