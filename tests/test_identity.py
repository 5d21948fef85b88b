"""Which job an item is and which listing a job's record shows: loading the same data again
changes nothing but `last_seen`, however the ad is spread over sources and in whatever
order they load (issue 12, wrong answer 2)."""

from __future__ import annotations

from datetime import datetime

import pytest
from test_store import counts, job

from pipeline.identity import (
    NEW,
    REFRESHED,
    REPLACED,
    UNCHANGED,
    UPDATED,
    StoredJob,
    plan_jobs,
    prepare_rows,
    richness,
    skills_signature,
)
from pipeline.load import close_missing, load_items

BOARD = dict(description="Analyse things for the operations team.")  # the board's shorter copy
API = dict(description="Analyse things for the operations team, with SQL and Python, every day.")


def _stored(row: dict, **changes) -> StoredJob:
    base = StoredJob(row["source"], row["source_id"], row["content_hash"], richness(row),
                     primary_gone=False, skills=skills_signature(row.get("skills")))
    return StoredJob(**{**base.__dict__, **changes})


def _row(item: dict, job_id: str = "j1") -> dict:
    (row,) = prepare_rows([item])
    return {**row, "job_id": job_id}


# --- the decisions, without a store ------------------------------------------------------

def test_a_new_job_takes_its_richest_listing():
    board, api = _row(job("jobposting", "b/1", **BOARD)), _row(job("greenhouse", "1", **API))
    (plan,) = plan_jobs([board, api], {})
    assert (plan.action, plan.row["source"]) == (NEW, "greenhouse")


def test_the_primary_listing_unchanged_is_unchanged():
    api = _row(job("greenhouse", "1", **API))
    (plan,) = plan_jobs([api], {"j1": _stored(api)})
    assert plan.action == UNCHANGED and not plan.writes_record


def test_the_primary_listing_changed_is_an_update():
    old, new = _row(job("greenhouse", "1", **API)), _row(job("greenhouse", "1", description="New text"))
    (plan,) = plan_jobs([new], {"j1": _stored(old)})
    assert plan.action == UPDATED and plan.changed


def test_new_skills_for_the_same_ad_rewrite_it_without_calling_it_updated():
    old = _row(job("greenhouse", "1", **API))
    new = {**old, "skills": [*old["skills"], {"name": "dbt", "category": "tool", "required": False}]}
    (plan,) = plan_jobs([new], {"j1": _stored(old)})
    assert plan.action == REFRESHED and plan.writes_record and not plan.changed


def test_a_poorer_copy_elsewhere_leaves_the_record_alone():
    api, board = _row(job("greenhouse", "1", **API)), _row(job("jobposting", "b/1", **BOARD))
    (plan,) = plan_jobs([board], {"j1": _stored(api)})
    assert plan.action == UNCHANGED


def test_a_richer_copy_elsewhere_takes_over_without_counting_as_a_change():
    board, api = _row(job("jobposting", "b/1", **BOARD)), _row(job("greenhouse", "1", **API))
    (plan,) = plan_jobs([api], {"j1": _stored(board)})
    assert plan.action == REPLACED and plan.writes_record and not plan.changed


def test_a_copy_takes_over_when_the_primary_listing_is_gone():
    api, board = _row(job("greenhouse", "1", **API)), _row(job("jobposting", "b/1", **BOARD))
    (plan,) = plan_jobs([board], {"j1": _stored(api, primary_gone=True)})
    assert plan.action == REPLACED and plan.row["source"] == "jobposting"


def test_rows_get_their_role_family_where_they_are_read():
    (row,) = prepare_rows([{**job("x", "1", title="Senior Data Engineer"), "role_family": "stale"}])
    assert row["role_family"] == "data engineer"


# --- loads through the store ---------------------------------------------------------------

def _changes(con) -> list:
    return con.execute("SELECT id, changed_at, content_hash, source FROM jobs ORDER BY id").fetchall()


@pytest.mark.parametrize("order", [("board", "api"), ("api", "board")])
def test_an_ad_on_two_sources_is_stable_across_loads(fresh_db, order):
    """Re-crawling an unchanged board reported cross-posted ads as updated, because the two
    copies overwrote each other on every load."""
    listings = {"board": ("jobposting", job("jobposting", "b/1", **BOARD)),
                "api": ("greenhouse", job("greenhouse", "1", **API))}
    first = [load_items(fresh_db, [listings[name][1]], run_id="r1", origin=listings[name][0],
                        seen_at=datetime(2026, 11, 1)) for name in order]
    assert sum(r.new for r in first) == 1 and sum(r.updated for r in first) == 0  # an empty store
    assert fresh_db.execute("SELECT changed_at, source FROM jobs").fetchall() == [(None, "greenhouse")]
    before, rows_before = _changes(fresh_db), counts(fresh_db)
    for day in (2, 3):
        again = [load_items(fresh_db, [listings[name][1]], run_id=f"r{day}", origin=listings[name][0],
                            seen_at=datetime(2026, 11, day)) for name in order]
        assert [(r.new, r.updated) for r in again] == [(0, 0), (0, 0)]
    assert _changes(fresh_db) == before and counts(fresh_db) == rows_before
    assert fresh_db.execute("SELECT last_seen FROM jobs").fetchall() == [(datetime(2026, 11, 3),)]


def test_a_change_on_the_primary_listing_is_one_update(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1", **API)], run_id="r1", origin="gh",
               seen_at=datetime(2026, 11, 1))
    load_items(fresh_db, [job("jobposting", "b/1", **BOARD)], run_id="r1", origin="jp",
               seen_at=datetime(2026, 11, 1))
    changed = load_items(fresh_db, [job("greenhouse", "1", description=API["description"] + " Now dbt.")],
                         run_id="r2", origin="gh", seen_at=datetime(2026, 11, 2))
    board = load_items(fresh_db, [job("jobposting", "b/1", **BOARD)], run_id="r2", origin="jp",
                       seen_at=datetime(2026, 11, 2))
    assert (changed.updated, board.updated) == (1, 0)
    assert fresh_db.execute("SELECT changed_at, description LIKE '%dbt%' FROM jobs").fetchall() == [
        (datetime(2026, 11, 2), True)]


def test_a_job_closed_by_a_newer_crawl_stays_closed_when_an_older_one_is_loaded(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r1", origin="gh", seen_at=datetime(2026, 11, 1))
    close_missing(fresh_db, "gh", datetime(2026, 11, 3))  # the crawl of the 3rd no longer lists it
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r2", origin="gh", seen_at=datetime(2026, 11, 2))
    assert fresh_db.execute("SELECT closed_at FROM jobs").fetchall() == [(datetime(2026, 11, 3),)]
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r4", origin="gh", seen_at=datetime(2026, 11, 4))
    assert fresh_db.execute("SELECT closed_at FROM jobs").fetchall() == [(None,)]  # back: reopened
