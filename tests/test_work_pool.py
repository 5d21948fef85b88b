"""Two Prefect workers polling one process work pool take the shard deployments between
them; the Parquet they write holds every source once, and ingesting it stores every job once.

The session's Prefect test server is a real server, so the workers are real
`prefect worker start` processes talking to it over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import ROOT, TEST_CRAWL_SETTINGS, kept_ads
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_board import demo_sources
from flows.sources import parse_sources

POOL = "skillscout-test"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def start_worker(name: str, api_url: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_WORKER_PREFETCH_SECONDS": "0", "PREFECT_LOGGING_LEVEL": "INFO"}
    # --limit 1: a worker busy with one shard leaves the other to the second worker.
    return subprocess.Popen(
        [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--name", name, "--limit", "1",
         "--type", "process"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def test_two_prefect_workers_split_the_shards(prefect_harness, demo_url, demo_board, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    sources = [{**s, "settings": dict(TEST_CRAWL_SETTINGS)} for s in demo_sources(demo_url, demo_board)]
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(yaml.safe_dump({"sources": sources}))
    out = tmp_path / "parquet"
    api_url = get_current_settings().api.url

    # An earlier deployment with three shards must not survive a redeploy with two.
    for shards in (3, 2):
        deployed = CliRunner().invoke(app, ["deploy", "--sources", str(sources_file), "--parquet", str(out),
                                            "--shards", str(shards), "--pool", POOL, "--json"])
        assert deployed.exit_code == 0, deployed.output
    assert sorted(json.loads(deployed.output)["deployments"]) == [
        "skillscout-crawl-shard/shard-1-of-2", "skillscout-crawl-shard/shard-2-of-2"]

    workers = [start_worker(f"worker-{n}", api_url, tmp_path / f"home-{n}") for n in (1, 2)]
    try:
        with get_client(sync_client=True) as client:
            wait_for(lambda: len(client.read_workers_for_work_pool(POOL)) == 2, 120, "both workers to poll")
            names = [d.name for d in client.read_deployments()
                     if d.work_pool_name == POOL]
            assert sorted(names) == ["shard-1-of-2", "shard-2-of-2"]  # shard-3-of-3 was removed
            from prefect.deployments import run_deployment

            runs = [run_deployment(f"skillscout-crawl-shard/{n}", timeout=0).id for n in sorted(names)]

            def finished():
                states = [client.read_flow_run(r).state for r in runs]
                return states if all(s.type.value in TERMINAL for s in states) else None

            states = wait_for(finished, 420, "both shard runs to finish")
            assert [s.type.value for s in states] == ["COMPLETED", "COMPLETED"], states
            run_names = [client.read_flow_run(r).name for r in runs]
    finally:
        logs = []
        for worker in workers:
            worker.terminate()
            try:
                logs.append(worker.communicate(timeout=60)[0])
            except subprocess.TimeoutExpired:
                # A loaded machine once kept a worker shutting down past a minute after both
                # runs had completed; its log up to then is what the checks below read.
                worker.kill()
                logs.append(worker.communicate()[0])

    # Each worker ran one shard: neither ran both while the other idled. (A worker may also
    # try for the run the other already took; the server aborts that submission.)
    for log in logs:
        ran = [n for n in run_names if f"Flow run '{n}' submitted to infrastructure" in log]
        assert len(ran) == 1, log[-3000:]

    files = sorted(out.glob("crawl_date=*/source=*/*.parquet"))
    crawled = sorted(f.parent.name.removeprefix("source=") for f in files)
    every = sorted(s.slug for s in parse_sources(sources))
    assert crawled == every  # every source once, by exactly one of the two shards

    db = tmp_path / "store.duckdb"
    for _ in range(2):  # a second ingest finds nothing new
        done = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", "ingest", str(out),
                               "--db", str(db), "--json"], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"] == 0
    con = duckdb.connect(str(db), read_only=True)
    (jobs,), = con.execute("SELECT count(*) FROM jobs").fetchall()
    con.close()
    assert jobs == len(kept_ads(demo_board))


def test_deploy_without_a_server_is_a_clear_error(tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {spider: greenhouse, board: acme}\n")
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        result = CliRunner().invoke(app, ["deploy", "--sources", str(sources), "--parquet", str(tmp_path)])
    assert result.exit_code == 1
    assert "no Prefect server answers" in result.output and "prefect server start" in result.output
