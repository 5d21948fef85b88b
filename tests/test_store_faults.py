"""The store under failure: a load killed halfway, a disk that fills up, a path that cannot
be written, an older database file. Nothing already stored is lost."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest
from conftest import ROOT

from pipeline.db import StoreError, connect
from pipeline.load import load_items
from pipeline.schema import MIGRATIONS, SCHEMA_VERSION

LOADER = textwrap.dedent("""
    import json, sys
    from pipeline.db import connect
    from pipeline.load import load_items
    n, run = int(sys.argv[2]), sys.argv[3]
    items = [{"source": "bulk", "source_id": str(i), "url": f"https://x.example/{i}",
              "title": f"Analyst {i}", "company": f"Company {i % 500}", "location": "Leeds, GB",
              "description": "SQL and Python " * 40,
              "skills": [{"name": s, "category": "tool", "required": True, "spans": []}
                         for s in ("SQL", "Python", "Excel", "dbt", "Tableau")]} for i in range(n)]
    con = connect(sys.argv[1])
    print("loading", flush=True)
    load_items(con, items, run_id=run, origin="bulk")
    print("done", flush=True)
""")


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608 - fixed names
                for t in ("jobs", "job_sources", "job_skills", "raw_items")}
    finally:
        con.close()


def _loader(db, n: int, run: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LOADER, str(db), str(n), run], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)


def test_a_load_killed_midway_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "store.duckdb"
    con = connect(db)
    load_items(con, [{"source": "gh", "source_id": "1", "url": "https://kept.example/1", "title": "Kept",
                      "skills": []}], run_id="r0", origin="gh")
    con.close()
    before = _counts(db)
    proc = _loader(db, 60_000, "r1")
    assert proc.stdout.readline().strip() == "loading"
    time.sleep(1.0)
    assert proc.poll() is None, "the load finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _counts(db) == before  # nothing half-written, nothing lost
    rerun = _loader(db, 2_000, "r2")
    assert rerun.communicate(timeout=120)[0].split() == ["loading", "done"]
    assert _counts(db)["jobs"] == before["jobs"] + 2_000


def test_a_full_disk_fails_the_load_cleanly(tmp_path):
    db = tmp_path / "store.duckdb"
    con = connect(db)
    con.close()
    size = db.stat().st_size

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 256 * 1024, size + 256 * 1024))

    proc = subprocess.run([sys.executable, "-c", LOADER, str(db), "20000", "r1"], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=small_disk, timeout=120)
    assert proc.returncode != 0
    assert "done" not in proc.stdout
    assert _counts(db)["jobs"] == 0  # the store still opens, and holds what it held


def test_an_unwritable_database_path_gets_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the database folder"):
        connect(blocker / "db" / "store.duckdb")


def test_an_older_database_file_is_upgraded_in_place(tmp_path):
    db = tmp_path / "v1.duckdb"
    old = duckdb.connect(str(db))
    old.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    old.execute(MIGRATIONS[0])
    old.execute("INSERT INTO schema_version VALUES (1, now())")
    old.execute("INSERT INTO jobs (id, source, source_id, url, title, fingerprint, content_hash, "
                "first_seen, last_seen) "
                "VALUES ('j1', 'gh', '1', 'https://x.example/1', 'Old job', 'f', 'h', now(), now())")
    old.close()
    reader = connect(db, read_only=True)  # reading an old file upgrades it first
    try:
        assert reader.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    finally:
        reader.close()
    con = connect(db)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT title, role_family FROM jobs").fetchall() == [("Old job", None)]
        assert con.execute("SELECT count(*) FROM skill_snapshots").fetchall() == [(0,)]
    finally:
        con.close()

