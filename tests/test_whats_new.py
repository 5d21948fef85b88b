"""What is new: two crawls of the demo board, the second finding ads the first did not;
`match --new` lists the strong matches among them, and the crawl-and-notify flow sends them
through a Prefect notification block to a webhook receiver on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_board import DemoBoard, demo_sources, serve_demo_board
from flows.notify import NotifyError, crawl_and_notify_flow, load_notification_block
from pipeline.db import open_store
from pipeline.gaps import STRONG_MATCH
from pipeline.match import rank
from pipeline.profile import load_profile
from pipeline.whats_new import new_strong_matches

PROFILE = ROOT / "data" / "profile.example.yaml"
# Ads the first crawl does not see: analyst and data-science roles, one of them (001) a
# strong match for the example profile, which has another (016) among the ads seen first.
LATER_ADS = {"001", "006", "018", "021", "034", "041", "059"}


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps what it is sent."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"path": self.path, "json": json.loads(body or b"null")})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def webhook_block(prefect_harness, receiver) -> str:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    CustomWebhookNotificationBlock(
        name="skillscout", url=receiver.url,
        json_data={"subject": "{{subject}}", "text": "{{body}}"},
    ).save("skillscout-test", overwrite=True)
    return "custom-webhook/skillscout-test"


@pytest.fixture(scope="module")
def two_crawls(webhook_block, receiver, tmp_path_factory):
    db = tmp_path_factory.mktemp("whats-new") / "jobs.duckdb"
    first_board = DemoBoard.load()
    first_board.hidden = set(LATER_ADS)
    summaries = []
    for board in (first_board, dataclasses.replace(first_board, hidden=set())):
        with serve_demo_board(board) as url:
            summaries.append(crawl_and_notify_flow(
                db=str(db), profile=str(PROFILE), notify=webhook_block,
                sources=demo_sources(url, board), scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0))
    return db, summaries


def _later_job_ids(db) -> set[str]:
    """Stored jobs of the ads only the second crawl saw (by their source ids)."""
    board = DemoBoard.load()
    greenhouse = {str(ad["greenhouse_id"]) for ad in board.ads
                  if ad["id"] in LATER_ADS and ad.get("greenhouse_id")}
    with open_store(db, read_only=True) as con:
        rows = con.execute("SELECT source, source_id, job_id FROM job_sources").fetchall()
    return {job for source, source_id, job in rows
            if (source == "jobposting" and source_id.rsplit("/", 1)[-1] in LATER_ADS)
            or source_id in greenhouse}


def test_match_new_lists_the_strong_matches_the_last_crawl_found_first(two_crawls):
    db, _ = two_crawls
    later = _later_job_ids(db)
    profile = load_profile(PROFILE)
    with open_store(db, read_only=True) as con:
        every_strong = {m.id for m in rank(con, profile, limit=None, min_score=STRONG_MATCH)}
        since, new = new_strong_matches(con, profile)
        (second_start,), = con.execute("SELECT max(started_at) FROM crawl_runs").fetchall()
    expected = every_strong & later
    assert expected and every_strong - later  # new strong matches, and older ones left out
    assert {m.id for m in new} == expected and since == second_start
    result = CliRunner().invoke(app, ["match", "--db", str(db), "--profile", str(PROFILE), "--new", "--json"])
    assert result.exit_code == 0, result.output
    assert {m["id"] for m in json.loads(result.output)} == expected
    # --since a date before both crawls: every strong match is new
    result = CliRunner().invoke(app, ["match", "--db", str(db), "--profile", str(PROFILE),
                                      "--since", "2000-01-01", "--json", "-n", "100"])
    assert {m["id"] for m in json.loads(result.output)} == every_strong
    table = CliRunner().invoke(app, ["match", "--db", str(db), "--profile", str(PROFILE), "--new"])
    assert "New strong matches" in table.output and "first seen since" in table.output


def test_each_crawl_sends_its_new_strong_matches_through_the_block(two_crawls, receiver):
    db, (first, second) = two_crawls
    profile = load_profile(PROFILE)
    later = _later_job_ids(db)
    with open_store(db, read_only=True) as con:
        strong = {m.id: m for m in rank(con, profile, limit=None, min_score=STRONG_MATCH)}
    # the first crawl found everything it saw; the second only the later ads
    assert set(first["notification"]["jobs"]) == set(strong) - later
    assert set(second["notification"]["jobs"]) == set(strong) & later
    assert len(receiver.received) == 2
    message = receiver.received[1]["json"]
    n = len(set(strong) & later)
    assert message["subject"] == f"skillscout: {n} new strong match{'es' if n > 1 else ''} for Sam Example"
    for job_id in set(strong) & later:
        assert strong[job_id].title in message["text"] and strong[job_id].url in message["text"]
    for job_id in set(strong) - later:
        assert strong[job_id].url not in message["text"]


def test_a_missing_or_wrong_block_is_a_clear_error(webhook_block):
    with pytest.raises(NotifyError, match="not found"):
        load_notification_block("custom-webhook/no-such-block")
    with pytest.raises(NotifyError, match="TYPE/NAME"):
        load_notification_block("skillscout-test")
    assert load_notification_block(webhook_block).url.startswith("http://127.0.0.1:")


def test_schedule_with_notify_deploys_the_crawl_and_notify_flow(webhook_block, tmp_path):
    from prefect.client.orchestration import get_client

    from flows.schedule import ScheduleError, register

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {spider: greenhouse, board: acme}\n")
    db = tmp_path / "jobs.duckdb"
    deployment_id = register(sources, "0 7 * * *", db, name="morning-news", profile=PROFILE,
                             notify=webhook_block)
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
        flow = client.read_flow(deployment.flow_id)
    assert flow.name == "skillscout-crawl-and-notify"
    assert deployment.parameters == {"sources_file": str(sources.resolve()), "db": str(db.resolve()),
                                     "profile": str(PROFILE.resolve()), "notify": webhook_block}
    with pytest.raises(ScheduleError, match="not found"):
        register(sources, "0 7 * * *", db, profile=PROFILE, notify="custom-webhook/nobody")
    with pytest.raises(ScheduleError, match="go together"):
        register(sources, "0 7 * * *", db, notify=webhook_block)
