"""One writer, many readers: a load must get the file even while readers reopen it back to
back (the web app serving pages during a scheduled crawl)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pipeline.db import BUSY_WAIT, connect, open_store

ROOT = Path(__file__).resolve().parent.parent

# Reopens the store read-only as fast as it can, holding it 50 ms each time, until killed.
READER = """
import sys, time
from pipeline.db import connect
print("reading", flush=True)
while True:
    con = connect(sys.argv[1], read_only=True, wait=30)
    con.execute("SELECT count(*) FROM jobs").fetchall()
    time.sleep(0.05)
    con.close()
"""


def test_a_writer_gets_the_file_between_back_to_back_readers(tmp_path):
    db = tmp_path / "jobs.duckdb"
    connect(db).close()
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                                text=True) for _ in range(2)]
    try:
        for reader in readers:
            assert reader.stdout.readline().strip() == "reading"
        time.sleep(1)  # both readers in their loop
        writes = []
        for n in range(3):
            started = time.monotonic()
            with open_store(db) as con:
                con.execute("INSERT INTO crawl_runs (run_id, started_at, status, sources) "
                            "VALUES (?, now(), 'ok', 0)", [f"r{n}"])
            writes.append(time.monotonic() - started)
        assert all(w < BUSY_WAIT for w in writes), writes
        assert all(r.poll() is None for r in readers)  # and the readers never failed
    finally:
        for reader in readers:
            reader.kill()
            reader.wait()
    assert not (tmp_path / "jobs.duckdb.write-wanted").exists()
