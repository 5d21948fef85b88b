"""The Prefect flow end to end: crawl the demo board into a temporary DuckDB file, then
match against it."""

from __future__ import annotations

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS, kept_ads

from flows.demo_board import demo_sources
from flows.flow import crawl_flow
from pipeline.db import open_store
from pipeline.match import rank
from pipeline.profile import load_profile


def _table_counts(db) -> dict[str, int]:
    with open_store(db, read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608 - fixed names
                for t in ("jobs", "job_sources", "job_skills", "raw_items")}


@pytest.fixture(scope="module")
def crawled(demo_db):
    return demo_db


def test_flow_crawls_every_source(crawled, demo_board):
    _db, summary = crawled
    assert summary["status"] == "ok"
    by_source = {s["source"]: s for s in summary["sources"]}
    kept = {ad["id"] for ad in kept_ads(demo_board)}
    board = by_source["jobposting:127.0.0.1"]
    assert board["items"] + board["filtered"] == len(demo_board.board_ads())  # all crawled...
    assert board["items"] == len([a for a in demo_board.board_ads() if a["id"] in kept])  # ...data roles kept
    for token in demo_board.greenhouse_boards():
        assert by_source[f"greenhouse:{token}"]["items"] == len(demo_board.greenhouse_ads(token))


def test_cross_posted_ads_become_one_job(crawled, demo_board):
    db, _ = crawled
    counts = _table_counts(db)
    kept = kept_ads(demo_board)
    assert 60 <= len(kept) < len(demo_board.ads)  # the flow drops the two non-data roles
    assert counts["jobs"] == len(kept)  # every ad once, though some are on two sources
    listed = sum(len(ad["published_on"]) for ad in kept)
    assert counts["job_sources"] == listed
    with open_store(db, read_only=True) as con:
        per_job = con.execute("SELECT count(*) FROM job_skills GROUP BY job_id").fetchall()
        runs = con.execute("SELECT status, items FROM crawl_runs").fetchall()
    assert len(per_job) == len(kept) and min(n for (n,) in per_job) >= 2
    assert sorted(n for (n,) in per_job)[len(per_job) // 2] >= 10  # a typical ad names many
    assert runs == [("ok", counts["job_sources"])]
    filtered = sum(s["filtered"] for s in crawled[1]["sources"])
    assert filtered == sum(len(ad["published_on"]) for ad in demo_board.ads) - listed


def test_match_returns_sensible_results(crawled):
    db, _ = crawled
    profile = load_profile(ROOT / "data" / "profile.example.yaml")
    with open_store(db, read_only=True) as con:
        matches = rank(con, profile, limit=10)
    assert len(matches) == 10
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    for m in matches:
        assert m.matched, m.title  # every top job shares skills with the profile
        assert m.location and "GB" in m.location  # the profile only wants UK jobs
    top_titles = " ".join(m.title.lower() for m in matches[:5])
    assert "analyst" in top_titles or "bi " in top_titles or "power bi" in top_titles


def _versions(db) -> list[tuple]:
    with open_store(db, read_only=True) as con:
        return con.execute("SELECT id, changed_at, content_hash, source, source_id, closed_at "
                           "FROM jobs ORDER BY id").fetchall()


def test_rerunning_the_flow_changes_nothing_but_last_seen(crawled, demo_url, demo_board):
    """Issue 12, wrong answer 2: ads on two sources flipped between their copies, so an
    unchanged board reported updates and set changed_at."""
    db, _ = crawled
    before, versions = _table_counts(db), _versions(db)
    for _ in range(2):
        summary = crawl_flow(sources=demo_sources(demo_url, demo_board), db=str(db),
                             scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
        assert [(s["new"], s["updated"], s["closed"]) for s in summary["sources"]] == [
            (0, 0, 0)] * len(summary["sources"])
    assert _table_counts(db) == before
    assert _versions(db) == versions  # every changed_at (all None) and every record as it was
    assert all(changed is None for _, changed, *_ in versions)


def test_a_failing_source_does_not_fail_the_run(prefect_harness, demo_url, tmp_path):
    sources = [{"spider": "greenhouse", "board": "northwind", "api_url": demo_url, "allow_private": True},
               {"spider": "greenhouse", "board": "no-such-board", "api_url": demo_url, "allow_private": True}]
    summary = crawl_flow(sources=sources, db=str(tmp_path / "x.duckdb"),
                         scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    status = {s["source"]: s["status"] for s in summary["sources"]}
    assert status == {"greenhouse:northwind": "ok", "greenhouse:no-such-board": "failed"}
    assert summary["status"] == "partial"
