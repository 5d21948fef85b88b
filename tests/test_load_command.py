"""`skillscout load`: loading a kept run again changes nothing, keeps the folder, and a store
that cannot be written (full disk, read-only folder) is one `error:` line, exit 1, with
nothing half-stored (issue 12, wrong answers 2 and 9; faults and hostile input)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from typer.testing import CliRunner

from flows.cli import app
from flows.flow import crawl_flow

CLI = "from flows.cli import main; main()"


def _run_row(db: Path, run_id: str) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        (row,) = con.execute("SELECT status, items, new_jobs, updated_jobs, closed_jobs, finished_at, note "
                             "FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
        return row
    finally:
        con.close()


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608 - fixed names
                  for t in ("jobs", "job_sources", "job_skills", "raw_items", "crawl_source_runs")}
        (orphans,), = con.execute(
            "SELECT count(*) FROM raw_items r ANTI JOIN job_sources s USING (source, source_id)").fetchall()
        counts["raw items without their job"] = orphans
        return counts
    finally:
        con.close()


@pytest.fixture(scope="module")
def kept_run(prefect_harness, demo_url, tmp_path_factory):
    """Two small boards crawled with --keep-items: (db, run folder, crawl summary)."""
    db = tmp_path_factory.mktemp("kept") / "jobs.duckdb"
    sources = [{"spider": "greenhouse", "allow_private": True, "board": b, "api_url": demo_url}
               for b in ("quantloop", "northwind")]
    summary = crawl_flow(sources=sources, db=str(db), keep_items=True,
                         scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    assert summary["status"] == "ok" and sum(s["new"] for s in summary["sources"]) > 0
    run_dir = Path(summary["run_dir"])
    assert run_dir.parent == db.parent / "runs"  # beside the database
    return db, run_dir, summary


def test_loading_a_loaded_run_again_changes_nothing_and_keeps_the_folder(kept_run):
    db, run_dir, summary = kept_run
    row, counts = _run_row(db, summary["run_id"]), _counts(db)
    result = CliRunner().invoke(app, ["load", str(run_dir), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    again = json.loads(result.output[result.output.index("{"):])
    assert [(s["new"], s["updated"], s["closed"]) for s in again["sources"]] == [(0, 0, 0)] * 2
    assert _run_row(db, summary["run_id"]) == row  # new_jobs stays what the crawl found
    assert _counts(db) == counts
    assert run_dir.is_dir() and any(run_dir.glob("*.jsonl"))  # --keep-items was honoured


def test_load_help_says_where_run_folders_are():
    result = CliRunner().invoke(app, ["load", "--help"])
    assert "Run folders are in runs/ beside the database" in " ".join(result.output.split())


def _copy_store(kept_run, tmp_path: Path) -> tuple[Path, Path]:
    db, run_dir, _ = kept_run
    store = tmp_path / "store"
    store.mkdir()
    shutil.copy(db, store / "jobs.duckdb")
    # A fresh store for the run's items: everything in the folder is new to it.
    con = duckdb.connect(str(store / "jobs.duckdb"))
    for table in ("job_skills", "job_sources", "jobs", "raw_items", "crawl_source_runs", "crawl_runs"):
        con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    con.close()
    copy = tmp_path / run_dir.name
    shutil.copytree(run_dir, copy)
    return store / "jobs.duckdb", copy


def _cli_env(tmp_path: Path) -> dict[str, str]:
    from prefect.settings import get_current_settings

    return {**os.environ, "PREFECT_API_URL": get_current_settings().api.url,
            "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def _bulk_run(folder: Path, n: int = 800) -> Path:
    """A kept run of `n` ads: enough that writing them fills a small disk."""
    folder.mkdir(parents=True)
    with open(folder / "bulk.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"source": "bulk", "source_id": str(i), "url": f"https://jobs.example/{i}",
                                 "title": f"Data Analyst {i}", "company": f"Company {i % 300}",
                                 "location": "Leeds, GB", "description": "Requirements\n- SQL, Python and "
                                 "Excel\n" + "We count things and tell people. " * 20}) + "\n")
    (folder / "bulk.meta.json").write_text(json.dumps(
        {"source": "bulk", "spider": "jobposting", "items": n, "args": {}, "keep": ["all"]}))
    return folder


# Room to grow: none (the extracted items cannot be written next to the feed), or 256 KiB
# (they can; the database's write-ahead log cannot).
@pytest.mark.parametrize("room", [0, 256 * 1024])
def test_a_full_disk_during_a_load_is_one_line_and_stores_nothing(prefect_harness, tmp_path, room):
    from pipeline.db import connect

    db = tmp_path / "store" / "jobs.duckdb"
    connect(db).close()
    run_dir = _bulk_run(tmp_path / "runs" / "bulkrun")
    before = _counts(db)
    limit = db.stat().st_size + room

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG ("File too large") instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([sys.executable, "-c", CLI, "load", str(run_dir), "--db", str(db)], cwd=ROOT,
                          env=_cli_env(tmp_path), capture_output=True, text=True, preexec_fn=small_disk,
                          timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "the disk is full: could not write" in lines[0] and "Traceback" not in proc.stderr
    assert _counts(db) == before  # atomic: not one raw item without its job


def _honouring_permissions() -> list[str]:
    """A command prefix under which file permissions apply: root writes anywhere unless it
    gives up the capability to."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "run as root, this test needs util-linux's setpriv to drop CAP_DAC_OVERRIDE"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def test_a_load_into_a_folder_that_became_read_only_is_one_line(kept_run, tmp_path):
    db, run_dir = _copy_store(kept_run, tmp_path)
    before = _counts(db)
    db.parent.chmod(0o555)  # the database file is writable, its folder is not (no WAL can be made)
    try:
        proc = subprocess.run([*_honouring_permissions(), sys.executable, "-c", CLI, "load", str(run_dir),
                               "--db", str(db)], cwd=ROOT, env=_cli_env(tmp_path), capture_output=True,
                              text=True, timeout=300)
    finally:
        db.parent.chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "permission denied" in lines[0].lower() and str(db.parent) in lines[0]
    assert _counts(db) == before


LOAD_ONE = """
import sys
from datetime import datetime
from pipeline.db import StoreError, open_store
from pipeline.loading import SourceCrawl, load_source
item = {"source": "gh", "source_id": "1", "url": "https://x.example/1", "title": "Data Analyst", "skills": []}
try:
    with open_store(sys.argv[1]) as con:
        load_source(con, "r1", SourceCrawl("gh:acme", "greenhouse", [item], 1), datetime(2026, 11, 1))
except StoreError as exc:
    print(exc)
"""


def test_a_folder_that_becomes_read_only_mid_load_names_the_commits_cause(tmp_path):
    """After the up-front check: the commit fails (no WAL can be made), and the error says
    so, not the rollback's "no transaction is active"."""
    from pipeline.db import connect

    db = tmp_path / "store" / "jobs.duckdb"
    connect(db).close()
    db.parent.chmod(0o555)
    try:
        proc = subprocess.run([*_honouring_permissions(), sys.executable, "-c", LOAD_ONE, str(db)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    finally:
        db.parent.chmod(0o755)
    message = proc.stdout.strip()
    assert message.startswith(f"cannot write {db}.wal: permission denied"), proc.stdout + proc.stderr
    assert "no transaction is active" not in proc.stdout + proc.stderr
    assert _counts(db)["jobs"] == 0
