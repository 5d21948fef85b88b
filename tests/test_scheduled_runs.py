"""Scheduled crawls people leave running (issue 12): `skillscout schedule` served against the
session's Prefect server (a real server over HTTP), its runs triggered as "Quick run" does.

A run logs its per-source counts to the Prefect UI, publishes its crawl table, ends in a
state that names failed sources, and prints one line in the serving terminal; Ctrl-C ends
a run in a final state, in Prefect and in `crawl_runs`; a crawl killed outright is closed
and reported by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import ROOT, TEST_CRAWL_SETTINGS
from fault_server import serve_faults

CLI = "from flows.cli import main; main()"
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
NAME = "serve-test"


def _wait(predicate, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def _rows(db: Path, sql: str) -> list[tuple]:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:  # being written right now
        return []
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class Serve:
    """`skillscout schedule` in its own process group, as a terminal runs it."""

    def __init__(self, sources: Path, db: Path, home: Path) -> None:
        from prefect.settings import get_current_settings

        env = {**os.environ, "PREFECT_API_URL": get_current_settings().api.url, "PREFECT_HOME": str(home),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PREFECT_LOGGING_LEVEL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CLI, "schedule", "--sources", str(sources), "--cron", "0 6 1 1 *",
             "--db", str(db), "--name", NAME], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def ctrl_c(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)  # what the terminal sends the whole group

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.ctrl_c()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return "\n".join(self.lines)


def _run_now(client) -> uuid.UUID:
    from prefect.deployments import run_deployment

    return run_deployment(f"skillscout-crawl/{NAME}", timeout=0).id


def _final(client, run_id: uuid.UUID, timeout: float = 300):
    def state():
        s = client.read_flow_run(run_id).state
        return s if s and s.type.value in FINAL else None

    return _wait(state, timeout, "the flow run to end")


def test_a_served_schedule_reports_and_stops_cleanly(prefect_harness, demo_url, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )

    ok = {"spider": "greenhouse", "allow_private": True, "board": "quantloop", "api_url": demo_url,
          "settings": TEST_CRAWL_SETTINGS}
    refused = {"spider": "greenhouse", "allow_private": True, "board": "gone", "api_url": "http://127.0.0.1:9",
               "settings": {**TEST_CRAWL_SETTINGS, "RETRY_TIMES": 0}}
    sources, db = tmp_path / "sources.yaml", tmp_path / "jobs.duckdb"
    sources.write_text(yaml.safe_dump({"sources": [ok, refused]}))
    serve = Serve(sources, db, tmp_path / "home")
    try:
        with get_client(sync_client=True) as client:
            _wait(lambda: any(d.name == NAME for d in client.read_deployments()), 180, "the deployment")
            _wait(lambda: any("served" in ln for ln in serve.lines), 60, "serving to start")

            # 1. A run with a failed source: a named state, logs in the UI, the crawl table.
            first = _run_now(client)
            state = _final(client, first)
            assert (state.type.value, state.name) == ("COMPLETED", "Partial")
            assert "greenhouse:gone" in state.message and "connection refused" in state.message

            def logs() -> list[str]:  # the run's process sends its last batch as it exits
                found = [log.message for log in client.read_logs(
                    log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[first])))]
                return found if any(m.startswith("run ") for m in found) else []

            messages = _wait(logs, 60, "the run's logs")
            assert any(m.startswith("greenhouse:quantloop: 7 loaded, 7 new") for m in messages), messages
            assert any(m.startswith("greenhouse:quantloop: 7 of 7 items kept") for m in messages), messages
            (artifact,) = client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[first])))
            assert artifact.key == "crawl-summary" and "greenhouse:gone" in str(artifact.data)
            run_name = client.read_flow_run(first).name
            line = _wait(lambda: [ln for ln in serve.lines if f" {run_name}: " in ln], 30, "the run's line")
            assert len(line) == 1 and "Partial — 1 of 2 source(s) crawled" in line[0]

            # 2. Ctrl-C while a run waits on a hanging source: a final state everywhere.
            with serve_faults() as (fault_url, faults):
                hang = {"spider": "greenhouse", "allow_private": True, "board": "hang", "api_url": fault_url,
                        "settings": {**TEST_CRAWL_SETTINGS, "DOWNLOAD_TIMEOUT": 120}}
                sources.write_text(yaml.safe_dump({"sources": [ok, hang]}))  # read when a run starts
                second = _run_now(client)
                _wait(lambda: faults.hits("/v1/boards/hang/jobs"), 180, "the hanging request")
                serve.ctrl_c()
                state = _final(client, second, timeout=120)
            assert state.type.value in {"CRASHED", "CANCELLED", "FAILED"}
        assert serve.proc.wait(timeout=90) is not None
    finally:
        output = serve.stop()
    runs = {r[0]: r[1:] for r in _rows(db, "SELECT run_id, status, finished_at IS NOT NULL, note "
                                           "FROM crawl_runs")}
    assert sorted(status for status, _, _ in runs.values()) == ["interrupted", "partial"], output
    (note,) = [n for status, finished, n in runs.values() if status == "interrupted" and finished]
    assert note.startswith("stopped by Ctrl-C"), output


def test_a_crawl_killed_between_sources_is_closed_and_reported_by_the_next(prefect_harness, demo_url,
                                                                           tmp_path):
    from prefect.settings import get_current_settings

    from flows.flow import crawl_flow

    # The second source is the board's 50 JSON-LD pages: extracting and loading them takes
    # long enough to be caught in the middle (a 7-ad board is done before a poll sees it).
    sources = [{"spider": "greenhouse", "allow_private": True, "board": "quantloop", "api_url": demo_url,
                "settings": TEST_CRAWL_SETTINGS},
               {"spider": "jobposting", "allow_private": True, "start_url": f"{demo_url}/jobs/",
                "settings": TEST_CRAWL_SETTINGS}]
    db = tmp_path / "jobs.duckdb"
    script = ("import sys, yaml; from flows.flow import crawl_flow; "
              "crawl_flow(sources=yaml.safe_load(sys.argv[1]), db=sys.argv[2], crawl_retries=0)")
    env = {**os.environ, "PREFECT_API_URL": get_current_settings().api.url,
           "PREFECT_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-c", script, yaml.safe_dump(sources), str(db)], cwd=ROOT,
                            env=env)
    # The second source's extraction starts once the first is loaded: kill it there.
    runs = db.parent / "runs"
    _wait(lambda: list(runs.glob("*/jobposting_*.skills.jsonl")) or proc.poll() is not None, 300,
          "the second source's turn", every=0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (killed,) = _rows(db, "SELECT run_id, status, finished_at FROM crawl_runs")
    assert killed[1:] == ("running", None)

    summary = crawl_flow(sources=sources, db=str(db), scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    (recovered,) = summary["recovered"]
    assert recovered.startswith(f"run {killed[0]} had stopped before it finished")
    assert "of 2 source(s) loaded" in recovered
    rows = dict((r[0], r[1:]) for r in _rows(db, "SELECT run_id, status, note FROM crawl_runs"))
    assert rows[killed[0]][0] == "interrupted" and "had been loaded" in rows[killed[0]][1]
    assert rows[summary["run_id"]][0] == "ok"
    (jobs,), = _rows(db, "SELECT count(*) FROM jobs")
    # each ad once, whatever the killed run had stored: as many jobs as a clean store gets
    clean = crawl_flow(sources=sources, db=str(tmp_path / "clean.duckdb"),
                       scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    assert jobs == sum(s["new"] for s in clean["sources"]) > 0
