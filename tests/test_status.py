"""Application tracking: statuses with notes and dates, validated, kept across re-crawls,
cross-posted ads merging into one job, and closing; `skillscout status` on the same data."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import datetime

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from test_store import job
from typer.testing import CliRunner

from flows.cli import app
from pipeline.db import open_store
from pipeline.load import close_missing, load_items
from pipeline.query import NoSuchJob
from pipeline.status import MAX_NOTE, StatusError, history, set_status, status_of, statuses

runner = CliRunner()
ME = "Sam Example"


def only_job_id(con) -> str:
    (job_id,), = con.execute("SELECT id FROM jobs").fetchall()
    return job_id


def test_set_list_clear_and_history(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1"), job("greenhouse", "2", title="Engineer")],
               run_id="r1", origin="gh")
    first, second = [r[0] for r in fresh_db.execute("SELECT id FROM jobs ORDER BY title").fetchall()]
    set_status(fresh_db, ME, first, "saved", at=datetime(2026, 11, 1))
    now = set_status(fresh_db, ME, first[:6], "applied", "  sent the CV  ", at=datetime(2026, 11, 3))
    assert (now.job_id, now.status, now.note) == (first, "applied", "sent the CV")
    assert (now.first_set, now.updated_at) == (datetime(2026, 11, 1), datetime(2026, 11, 3))
    set_status(fresh_db, ME, second, "hidden")
    set_status(fresh_db, "Someone Else", second, "offer")
    assert [(a.job_id, a.status) for a in statuses(fresh_db, ME, "applied")] == [(first, "applied")]
    assert {a.status for a in statuses(fresh_db, ME)} == {"applied", "hidden"}
    assert set_status(fresh_db, ME, second, "none") is None
    assert [a.job_id for a in statuses(fresh_db, ME)] == [first]
    assert [(c.status, c.note) for c in history(fresh_db, ME, first)] == [("saved", None),
                                                                        ("applied", "sent the CV")]
    assert status_of(fresh_db, "Someone Else", second).status == "offer"


@pytest.mark.parametrize(("status", "note", "problem"), [
    ("accepted", None, "unknown status 'accepted'"),
    ("", None, "unknown status ''"),
    ("saved", "x" * (MAX_NOTE + 1), "keep it under"),
])
def test_bad_values_are_refused_and_nothing_is_stored(fresh_db, status, note, problem):
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r1", origin="gh")
    with pytest.raises(StatusError, match=problem):
        set_status(fresh_db, ME, only_job_id(fresh_db), status, note)
    assert fresh_db.execute("SELECT count(*) FROM application_events").fetchall() == [(0,)]


def test_unknown_jobs_and_control_characters(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r1", origin="gh")
    with pytest.raises(NoSuchJob):
        set_status(fresh_db, ME, "ffffffffffffffff", "saved")
    now = set_status(fresh_db, ME, only_job_id(fresh_db), "Saved", "call back\x1b[2J\r\nMonday\u202e")
    assert (now.status, now.note) == ("saved", "call back[2J\nMonday")


def test_a_status_follows_the_job_through_a_merge_and_closing(fresh_db):
    load_items(fresh_db, [job("greenhouse", "4100001")], run_id="r1", origin="gh",
               seen_at=datetime(2026, 11, 1))
    job_id = only_job_id(fresh_db)
    set_status(fresh_db, ME, job_id, "applied", "phone screen Tuesday")
    # The same ad found on a job board: one job with two listings, the status still on it.
    load_items(fresh_db, [job("jobposting", "board/1", location="Leeds, West Yorkshire, GB")],
               run_id="r2", origin="jp", seen_at=datetime(2026, 11, 2))
    assert only_job_id(fresh_db) == job_id
    assert status_of(fresh_db, ME, job_id).status == "applied"
    # Both sources stop listing it: the job closes, the status stays and is still listed.
    for origin in ("gh", "jp"):
        close_missing(fresh_db, origin, datetime(2026, 11, 10))
    (closed,), = fresh_db.execute("SELECT closed_at FROM jobs").fetchall()
    assert closed == datetime(2026, 11, 10)
    [kept] = statuses(fresh_db, ME)
    assert (kept.job_id, kept.status, kept.note) == (job_id, "applied", "phone screen Tuesday")
    assert kept.closed_at == closed


def test_statuses_survive_a_recrawl_of_the_demo_board(demo_db, demo_url, demo_board, tmp_path):
    from flows.demo_board import demo_sources
    from flows.flow import crawl_flow

    db = tmp_path / "recrawl.duckdb"
    shutil.copy(demo_db[0], db)
    with open_store(db) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM open_jobs ORDER BY id LIMIT 3").fetchall()]
        for job_id, status in zip(ids, ("saved", "applied", "hidden"), strict=True):
            set_status(con, ME, job_id, status, f"note for {status}")
        before = {a.job_id: (a.status, a.note, a.updated_at) for a in statuses(con, ME)}
        # the shared demo store may have been re-crawled by earlier tests
        (runs_before,), = con.execute("SELECT count(*) FROM crawl_runs").fetchall()
    summary = crawl_flow(sources=demo_sources(demo_url, demo_board), db=str(db),
                         scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    assert summary["status"] == "ok"
    with open_store(db, read_only=True) as con:
        after = {a.job_id: (a.status, a.note, a.updated_at) for a in statuses(con, ME)}
        (runs,), = con.execute("SELECT count(*) FROM crawl_runs").fetchall()
    assert runs == runs_before + 1
    assert after == before and len(after) == 3


# --- skillscout status -------------------------------------------------------------------------

@pytest.fixture
def store_with_jobs(tmp_path):
    db = tmp_path / "jobs.duckdb"
    with open_store(db) as con:
        load_items(con, [job("greenhouse", "1"), job("greenhouse", "2", title="ML Engineer, <b>NLP</b>")],
                   run_id="r1", origin="gh")
        ids = dict(con.execute("SELECT title, id FROM jobs").fetchall())
    return db, ids


def cli(*args: str):
    return runner.invoke(app, ["status", *args, "--profile", str(ROOT / "data" / "profile.example.yaml")])


def test_status_command_sets_lists_and_exports(store_with_jobs):
    db, ids = store_with_jobs
    analyst, engineer = ids["Data Analyst"], ids["ML Engineer, <b>NLP</b>"]
    result = cli(analyst[:8], "applied", "--note", "sent, chase Friday", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "Data Analyst: applied (sent, chase Friday)" in result.output
    assert cli(engineer, "interviewing", "--db", str(db)).exit_code == 0
    table = cli("--db", str(db))
    assert table.exit_code == 0 and "applied" in table.output and "ML Engineer, <b>NLP</b>" in table.output
    rows = list(csv.DictReader(io.StringIO(cli("--csv", "--db", str(db)).output)))
    assert {(r["job_id"], r["status"], r["note"]) for r in rows} == {
        (analyst, "applied", "sent, chase Friday"), (engineer, "interviewing", "")}
    listed = json.loads(cli("--json", "--only", "interviewing", "--db", str(db)).output)
    assert [(r["job_id"], r["title"]) for r in listed] == [(engineer, "ML Engineer, <b>NLP</b>")]


@pytest.mark.parametrize(("args", "message"), [
    (["{analyst}", "accepted"], "unknown status 'accepted'"),
    (["{analyst}"], "give the status to set"),
    (["ffffffff", "saved"], "no stored job has id"),
    (["--only", "maybe"], "unknown status 'maybe'"),
])
def test_status_command_bad_input(store_with_jobs, args, message):
    db, ids = store_with_jobs
    result = cli(*[a.format(analyst=ids["Data Analyst"]) for a in args], "--db", str(db))
    assert result.exit_code == 1
    assert "error:" in result.output and message in result.output
    with open_store(db, read_only=True) as con:
        assert statuses(con, ME) == []
