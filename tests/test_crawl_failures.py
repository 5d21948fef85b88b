"""Crawls that go wrong, as the flow and the command line report them (issue 12): one line
per failed source with its cause and where the logs are, crawls at a bounded concurrency
with each source's timeout counted from its own start, and an oversized ad that does not
sink its source."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
from conftest import TEST_CRAWL_SETTINGS
from fault_server import serve_faults
from prefect.states import Failed
from typer.testing import CliRunner

from flows.cli import app
from flows.crawl import CrawlError
from flows.flow import crawl_flow, crawl_source, worth_retrying


def _closed_port() -> int:
    with serve_faults() as (url, _):
        return int(url.rsplit(":", 1)[1])


def test_failed_sources_are_one_line_each_with_the_cause_and_the_logs(prefect_harness, demo_url, tmp_path):
    port = _closed_port()
    sources = tmp_path / "sources.yaml"
    gone = f"http://127.0.0.1:{port}"
    sources.write_text(
        f"sources:\n  - {{spider: greenhouse, board: quantloop, api_url: '{demo_url}',\n"
        f"      allow_private: true}}\n"
        f"  - {{spider: greenhouse, board: gone, api_url: '{gone}', allow_private: true,\n"
        f"      settings: {{RETRY_TIMES: 0}}}}\n"
        f"  - {{spider: lever, site: x, api_url: '{gone}', allow_private: true,\n"
        f"      settings: {{RETRY_TIMES: 0}}}}\n")
    db = tmp_path / "db.duckdb"
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(db)])
    assert result.exit_code == 0, result.output  # partial: the board that answered is loaded
    lines = result.output.splitlines()
    for source in ("greenhouse:gone", "lever:x"):  # each whole, on a line of its own
        assert any(ln.startswith(f"failed: {source}: no items: connection refused by 127.0.0.1:{port} (")
                   and ln.endswith(")") for ln in lines), result.output
    (logs,) = [ln.removeprefix("logs: ") for ln in lines if ln.startswith("logs: ")]
    assert (Path(logs) / "greenhouse_gone.log").exists() and (Path(logs) / "lever_x.log").exists()
    assert "Traceback" not in result.output


def test_crawls_run_a_few_at_a_time_and_each_timeout_starts_with_its_crawl(prefect_harness, demo_url,
                                                                          tmp_path):
    db = tmp_path / "db.duckdb"
    with serve_faults() as (fault_url, _):
        summary = crawl_flow(sources=[
            {"spider": "greenhouse", "allow_private": True, "board": "hang", "api_url": fault_url,
             "timeout": 20,
             "settings": {"DOWNLOAD_TIMEOUT": 120}},
            {"spider": "greenhouse", "allow_private": True, "board": "quantloop", "api_url": demo_url,
             "timeout": 20},
        ], db=str(db), scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0, concurrency=1)
    status = {s["source"]: s for s in summary["sources"]}
    assert status["greenhouse:quantloop"]["status"] == "ok"
    hang = status["greenhouse:hang"]
    assert hang["status"] == "failed" and hang["error"].startswith("did not finish within 20s")
    assert "waiting on " in hang["error"] and "/v1/boards/hang/jobs" in hang["error"]
    con = duckdb.connect(str(db), read_only=True)
    (started,), = con.execute("SELECT started_at FROM crawl_runs").fetchall()
    stats = {s: json.loads(j)
             for s, j in con.execute("SELECT source, stats FROM crawl_source_runs").fetchall()}
    con.close()
    assert stats["greenhouse:hang"]["downloader/request_count"] >= 1  # the failure kept its stats
    # One at a time: the board began after the hanging source's 20 s, and was not timed out
    # although the run had been going for longer than its own timeout.
    board_began = datetime.fromisoformat(stats["greenhouse:quantloop"]["start_time"]).replace(tzinfo=None)
    assert (board_began - started).total_seconds() >= 20


def test_an_ad_of_megabytes_is_read_from_its_beginning_and_counted(prefect_harness, tmp_path):
    with serve_faults() as (url, _):
        summary = crawl_flow(sources=[{"spider": "greenhouse", "allow_private": True, "board": "huge",
                                       "api_url": url}],
                             db=str(tmp_path / "db.duckdb"), scrapy_settings=TEST_CRAWL_SETTINGS,
                             crawl_retries=0)
    (source,) = summary["sources"]
    assert (source["status"], source["items"], source["new"]) == ("ok", 3, 3)
    assert "1 ad(s) over 100,000 characters" in source["warning"]
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    skills = con.execute("SELECT j.title, list(s.skill ORDER BY s.skill) FROM jobs j JOIN job_skills s "
                         "ON s.job_id = j.id WHERE length(j.description) > 1000000 GROUP BY 1").fetchall()
    con.close()
    assert skills == [("Data Engineer 1", ["Python", "SQL"])]


def test_a_relative_run_folder_is_not_taken_twice(demo_url, tmp_path, monkeypatch):
    """`crawl --parquet shared/` (as the README says) or a relative --db: the crawl process
    runs inside its folder, so a relative path there named a folder that did not exist."""
    from flows.crawl import run_crawl
    from flows.sources import Source

    monkeypatch.chdir(tmp_path)
    source = Source("greenhouse", {"board": "quantloop", "api_url": demo_url})
    output = run_crawl(source, Path("shared/_work/x"), TEST_CRAWL_SETTINGS)
    assert output.items == 7 and (tmp_path / "shared" / "_work" / "x" / "greenhouse_quantloop.log").exists()


def test_a_host_that_does_not_resolve_is_not_crawled_again():
    """Offline, every source failed three times over (Prefect's retries): 200 s before the
    summary. A name that did not resolve is not retried; a refused connection still is."""
    assert crawl_source.retry_condition_fn is worth_retrying
    dns = CrawlError("greenhouse:x: no items: DNS lookup failed for boards-api.greenhouse.io")
    refused = CrawlError("greenhouse:x: no items: connection refused by 127.0.0.1:9")
    assert not worth_retrying(crawl_source, None, Failed(data=dns))
    assert worth_retrying(crawl_source, None, Failed(data=refused))
