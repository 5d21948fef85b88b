"""Run folders beside the database are kept while useful and no longer: a retention rule
(SKILLSCOUT_KEEP_RUNS_DAYS), folders kept on purpose never removed, and `skillscout runs`
listing what is kept and why (issue 12, scheduled crawls people leave running)."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime

from typer.testing import CliRunner

from flows.cli import app
from pipeline import run_folders, runs
from pipeline.db import open_store


def _folder(root, run_id: str, age_days: float, kept: str | None = None):
    folder = root / run_id
    folder.mkdir(parents=True)
    (folder / "greenhouse_acme.log").write_text("log\n")
    if kept:
        run_folders.mark_kept(folder, kept)
    then = time.time() - age_days * 86400
    for path in (*folder.iterdir(), folder):
        os.utime(path, (then, then))
    return folder


def test_old_unmarked_folders_go_and_kept_ones_stay(tmp_path, monkeypatch):
    root = tmp_path / "runs"
    _folder(root, "old", 20)
    _folder(root, "recent", 2)
    _folder(root, "kept", 90, kept="--keep-items")
    _folder(root, "current", 30)
    assert run_folders.prune(root, spare=frozenset({"current"})) == ["old"]  # default: 14 days
    monkeypatch.setenv("SKILLSCOUT_KEEP_RUNS_DAYS", "1")
    assert run_folders.prune(root) == ["current", "recent"]
    assert [f.run_id for f in run_folders.run_folders(root)] == ["kept"]


def test_skillscout_runs_lists_runs_and_their_folders(tmp_path, monkeypatch):
    db = tmp_path / "jobs.duckdb"
    with open_store(db) as con:
        for run_id in ("r1", "r2"):
            runs.start_run(con, run_id, datetime(2026, 11, int(run_id[1])), 1)
            runs.finish_run(con, run_id)
    root = run_folders.runs_root(db)
    _folder(root, "r1", 1, kept="--keep-items")
    _folder(root, "r2", 1)
    monkeypatch.setenv("SKILLSCOUT_KEEP_RUNS_DAYS", "14")
    result = CliRunner().invoke(app, ["runs", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    listed = {r["run_id"]: r for r in json.loads(result.output)}
    assert listed["r1"]["kept"] == "--keep-items" and listed["r1"]["folder"] == str(root / "r1")
    assert listed["r2"]["kept"].startswith("until ")
