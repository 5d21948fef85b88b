"""Two crawl workers on one machine split the sources between them, write Parquet, and
the single writer ingests it without duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import yaml
from conftest import ROOT, TEST_CRAWL_SETTINGS, kept_ads

from flows.demo_board import demo_sources
from flows.scale_out import parse_shard, shard_of
from flows.sources import parse_sources

CLI = "from flows.cli import main; main()"


def test_shards_split_every_source_exactly_once():
    keys = [f"greenhouse:board{n}" for n in range(50)]
    owners = [shard_of(k, 3) for k in keys]
    assert set(owners) == {0, 1, 2}
    assert owners == [shard_of(k, 3) for k in keys]  # stable
    assert parse_shard("2/3") == (1, 3)


def test_two_workers_then_one_ingest(demo_url, demo_board, tmp_path):
    sources = [{**s, "settings": dict(TEST_CRAWL_SETTINGS)} for s in demo_sources(demo_url, demo_board)]
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(yaml.safe_dump({"sources": sources}))
    out = tmp_path / "parquet"
    workers = []
    for n in (1, 2):
        env = {**os.environ, "PREFECT_HOME": str(tmp_path / f"prefect-{n}"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
        env.pop("PREFECT_API_URL", None)  # each worker on its own, no shared server
        workers.append(subprocess.Popen(
            [sys.executable, "-c", CLI, "crawl", "--sources", str(sources_file), "--shard", f"{n}/2",
             "--parquet", str(out), "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True))
    results = []
    for worker in workers:
        stdout, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, stdout
        results.append(json.loads(stdout[stdout.index("{"):]))
    written = [sorted(w["source"] for w in r["written"]) for r in results]
    every = sorted(s.key for s in parse_sources(sources))
    assert sorted(written[0] + written[1]) == every  # each source crawled by exactly one worker
    assert not set(written[0]) & set(written[1])
    assert not any((out / "_work").iterdir())  # no failures: the workers' scratch folders are gone

    db = tmp_path / "store.duckdb"
    ingested = []
    for _ in range(2):  # a second ingest finds nothing new
        done = subprocess.run([sys.executable, "-c", CLI, "ingest", str(out), "--db", str(db), "--json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        ingested.append(json.loads(done.stdout))
    first, second = ingested
    assert first["updated"] == 0 and not first["failed"]  # a first ingest changes nothing it stored
    assert second["files"] == 0 and second["already_ingested"] == len(every)
    health = subprocess.run([sys.executable, "-c", CLI, "sources", "--db", str(db), "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    shown = {r["source"]: r for r in json.loads(health.stdout)}
    assert sorted(shown) == every and all(r["status"] == "ok" and r["items"] > 0 for r in shown.values())
    con = duckdb.connect(str(db), read_only=True)
    (jobs,), = con.execute("SELECT count(*) FROM jobs").fetchall()
    assert con.execute("SELECT count(*) FROM jobs WHERE changed_at IS NOT NULL").fetchall() == [(0,)]
    (dupes,), = con.execute(
        "SELECT count(*) FROM (SELECT fingerprint FROM jobs GROUP BY 1 HAVING count(*) > 1)").fetchall()
    (direct,), = con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning = true)",
                             [f"{out}/**/*.parquet"]).fetchall()
    con.close()
    assert jobs == len(kept_ads(demo_board)) and dupes == 0
    assert direct == sum(len(ad["published_on"]) for ad in kept_ads(demo_board))  # DuckDB reads the files too
