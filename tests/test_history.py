"""Crawling again later: jobs that disappeared are closed (not deleted), changed ads are
updated, and skill trends move; schedules need a real Prefect server."""

from __future__ import annotations

import copy

import pytest
from conftest import TEST_CRAWL_SETTINGS, kept_ads
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_board import DemoBoard, demo_sources, serve_demo_board
from flows.flow import crawl_flow
from pipeline.db import open_store
from pipeline.trends import trends

ML_ADS = {"004", "005", "009", "010", "012", "026", "027", "028", "034", "035", "038", "060", "063"}


@pytest.fixture(scope="module")
def two_crawls(prefect_harness, tmp_path_factory):
    db = tmp_path_factory.mktemp("history") / "jobs.duckdb"
    board = DemoBoard.load()
    summaries = []
    with serve_demo_board(board) as url:
        summaries.append(crawl_flow(sources=demo_sources(url, board), db=str(db),
                                    scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0))
    # A week later: the ML ads are gone, and one analyst ad now asks for dbt.
    later = copy.deepcopy(board)
    later.hidden = set(ML_ADS)
    changed = next(ad for ad in later.ads if ad["id"] == "001")
    changed["description_html"] += "<h3>Desirable</h3><ul><li>Experience with dbt</li></ul>"
    with serve_demo_board(later) as url:
        summaries.append(crawl_flow(sources=demo_sources(url, later), db=str(db),
                                    scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0))
    return db, summaries


def test_jobs_gone_from_every_source_are_closed_not_deleted(two_crawls):
    db, (_, second) = two_crawls
    assert sum(s["closed"] for s in second["sources"]) == len(ML_ADS)
    with open_store(db, read_only=True) as con:
        (total, open_now, closed), = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE closed_at IS NULL), "
            "count(*) FILTER (WHERE closed_at IS NOT NULL) FROM jobs").fetchall()
    kept = len(kept_ads(DemoBoard.load()))
    assert (total, closed) == (kept, len(ML_ADS)) and open_now == kept - len(ML_ADS)


def test_a_changed_ad_is_updated_and_its_history_kept(two_crawls):
    db, (_, second) = two_crawls
    assert sum(s["updated"] for s in second["sources"]) >= 1
    with open_store(db, read_only=True) as con:
        rows = con.execute(
            "SELECT j.changed_at IS NOT NULL, list(DISTINCT s.skill), "
            "(SELECT count(*) FROM raw_items r WHERE r.source = j.source AND r.source_id = j.source_id) "
            "FROM jobs j JOIN job_skills s ON s.job_id = j.id "
            "WHERE j.title = 'Data Analyst' AND j.company = 'Northwind Energy' GROUP BY ALL").fetchall()
    (changed, skills, versions), = rows
    assert changed and "dbt" in skills and versions == 2


def test_trends_move_between_crawls(two_crawls):
    db, _ = two_crawls
    with open_store(db, read_only=True) as con:
        history = {t.skill: t for t in trends(con)}
    assert len(history["PyTorch"].series) == 2
    assert history["PyTorch"].change < 0  # the ML ads closed
    assert history["SQL"].last_share > history["SQL"].first_share  # a bigger share of what is left
    result = CliRunner().invoke(app, ["trends", "--db", str(db), "--skill", "pytorch", "--json"])
    assert result.exit_code == 0
    (pytorch,) = __import__("json").loads(result.output)
    assert pytorch["skill"] == "PyTorch" and pytorch["change"] < 0


def test_schedule_without_a_server_is_a_clear_error(tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {spider: greenhouse, board: acme}\n")
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        result = CliRunner().invoke(app, ["schedule", "--sources", str(sources), "--cron", "0 6 * * *"])
    assert result.exit_code == 1
    assert "no Prefect server answers" in result.output and "prefect server start" in result.output


def test_schedule_registers_a_cron_deployment(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client

    from flows.schedule import ScheduleError, register

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {spider: greenhouse, board: acme}\n")
    deployment_id = register(sources, "0 6 * * *", tmp_path / "jobs.duckdb", name="morning")
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
    assert deployment.name == "morning"
    assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * *"]
    assert deployment.parameters["sources_file"] == str(sources.resolve())
    with pytest.raises(ScheduleError, match="not a valid cron"):
        register(sources, "every morning", tmp_path / "jobs.duckdb")
