"""`skillscout ingest` follows the same rules as a local crawl: the same identity (a first
ingest marks nothing changed), the same shrink guard, and the worker's crawl health stored
for `skillscout sources` (issue 12, wrong answers 2, 3 and 7)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from test_store import job
from typer.testing import CliRunner

from flows.cli import app
from flows.scale_out import write_partition
from flows.sources import Source
from pipeline.db import open_store
from pipeline.ingest import ingest_parquet
from pipeline.runs import source_health


def _write(root: Path, source: str, run_id: str, crawled_at: datetime, items: list[dict]) -> None:
    """A worker's file in the plain layout (run_id, source, crawled_at, item)."""
    folder = root / f"crawl_date={crawled_at:%Y-%m-%d}" / f"source={source.replace(':', '_')}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({
        "run_id": [run_id] * len(items), "source": [source] * len(items),
        "crawled_at": pa.array([crawled_at] * len(items), pa.timestamp("us")),
        "item": [json.dumps(i) for i in items]}), folder / f"{run_id}.parquet")


def _ingest(db: Path, root: Path):
    with open_store(db) as con:
        return ingest_parquet(con, root)


def test_ingest_does_not_close_jobs_of_a_source_that_shrank(tmp_path):
    """A worker crawl that shrank from 200 to 10 closed 190 jobs; a local crawl would not."""
    db, root = tmp_path / "store.duckdb", tmp_path / "parquet"
    ads = [job("greenhouse", str(n), title=f"Data Analyst {n}") for n in range(200)]
    _write(root, "greenhouse:acme", "w1", datetime(2026, 11, 1), ads)
    assert _ingest(db, root).loaded.new == 200
    _write(root, "greenhouse:acme", "w2", datetime(2026, 11, 2), ads[:10])
    second = _ingest(db, root)
    assert second.closed == 0
    (summary,) = second.summaries
    assert "down from 200" in summary.warning
    with open_store(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM open_jobs").fetchall() == [(200,)]
    # A whole crawl again (nine in ten still listed) closes what is gone, as the flow does.
    _write(root, "greenhouse:acme", "w3", datetime(2026, 11, 3), ads[:180])
    assert _ingest(db, root).closed == 20


def test_a_first_ingest_of_an_ad_on_two_sources_marks_nothing_changed(tmp_path):
    db, root = tmp_path / "store.duckdb", tmp_path / "parquet"
    text = "Analyse things for the operations team."
    _write(root, "jobposting:careers.acme.example", "w1", datetime(2026, 11, 1),
           [job("jobposting", "careers.acme.example/1", description=text)])
    _write(root, "greenhouse:acme", "w1", datetime(2026, 11, 1),
           [job("greenhouse", "1", description=text + " With SQL and Python, every day.")])
    result = _ingest(db, root)
    assert (result.loaded.new, result.loaded.updated) == (1, 0)
    with open_store(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM jobs WHERE changed_at IS NOT NULL").fetchall() == [(0,)]


def test_worker_crawl_health_reaches_skillscout_sources(tmp_path):
    db, root = tmp_path / "store.duckdb", tmp_path / "parquet"
    crawled_at = datetime(2026, 11, 1)
    ok, broken = Source("greenhouse", {"board": "acme"}), Source("lever", {"site": "gone"})
    items = [{**job("greenhouse", str(n)), "skills": []} for n in range(4)]
    write_partition(root, ok, "w1", crawled_at, items, {
        "status": "ok", "crawled": 5, "stats": {"item_dropped_count": 1,
                                               "skillscout/field/salary/missing": 4}})
    write_partition(root, broken, "w1", crawled_at, [], {
        "status": "failed", "crawled": 0, "error": "DNS lookup failed for api.lever.co", "stats": {}})
    result = _ingest(db, root)
    assert result.files == 2 and [s.source for s in result.failed] == ["lever:gone"]
    with open_store(db, read_only=True) as con:
        health = {h["source"]: h for h in source_health(con)}
        (run,) = con.execute("SELECT status, sources, items FROM crawl_runs").fetchall()
    assert health["greenhouse:acme"]["items"] == 5 and health["greenhouse:acme"]["dropped"] == 1
    assert health["greenhouse:acme"]["missing_salary"] == 0.8
    assert health["lever:gone"]["warning"] == "failed: DNS lookup failed for api.lever.co"
    assert run == ("partial", 2, 4)
    shown = CliRunner().invoke(app, ["sources", "--db", str(db), "--json"])
    assert {r["source"] for r in json.loads(shown.output)} == {"greenhouse:acme", "lever:gone"}
