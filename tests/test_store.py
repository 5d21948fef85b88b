"""DuckDB storage: schema as documented, idempotent loads, cross-source dedupe, closing."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import pytest
from conftest import ROOT

from pipeline.db import DatabaseBusyError, StoreError, connect
from pipeline.load import close_missing, load_items
from pipeline.schema import SCHEMA_VERSION


def job(source: str, source_id: str, **fields) -> dict:
    base = {"source": source, "source_id": source_id, "url": f"https://{source}.example/{source_id}",
            "title": "Data Analyst", "company": "Acme", "location": "Leeds, GB", "country": "GB",
            "description": "Analyse things.", "skills": [
                {"name": "SQL", "category": "language", "required": True, "years": 2,
                 "spans": [{"start": 0, "end": 3, "text": "SQL"}]}]}
    return {**base, **fields}


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608 - fixed names
            for t in ("jobs", "job_sources", "job_skills", "raw_items")}


def test_schema_matches_the_readme(fresh_db):
    readme = (ROOT / "README.md").read_text()
    schema = readme[readme.index("## The DuckDB schema"):]
    schema = schema[:schema.index("\n## ", 1)]
    documented = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", schema, re.M))
    assert {"jobs", "job_sources", "job_skills", "raw_items", "crawl_runs"} <= set(documented)
    for table, cols in documented.items():
        actual = [r[0] for r in fresh_db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall()]
        assert actual == re.findall(r"`(\w+)`", cols), table
    views = {r[0] for r in fresh_db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW'").fetchall()}
    assert {"open_jobs", "skill_demand"} <= views


def test_loading_twice_adds_no_rows(fresh_db):
    items = [job("greenhouse", "1"), job("greenhouse", "2", title="Data Engineer")]
    first = load_items(fresh_db, items, run_id="r1", origin="greenhouse:acme")
    before = counts(fresh_db)
    second = load_items(fresh_db, items, run_id="r2", origin="greenhouse:acme")
    assert (first.new, second.new, second.unchanged) == (2, 0, 2)
    assert counts(fresh_db) == before == {"jobs": 2, "job_sources": 2, "job_skills": 2, "raw_items": 2}


def test_a_changed_ad_updates_its_row_and_keeps_the_old_version(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r1", origin="gh",
               seen_at=datetime(2026, 11, 1))
    result = load_items(fresh_db, [job("greenhouse", "1", description="Now with dbt.")],
                        run_id="r2", origin="gh", seen_at=datetime(2026, 11, 2))
    assert result.updated == 1
    row = fresh_db.execute("SELECT description, first_seen, last_seen, changed_at FROM jobs").fetchall()
    assert row == [("Now with dbt.", datetime(2026, 11, 1), datetime(2026, 11, 2), datetime(2026, 11, 2))]
    assert counts(fresh_db)["raw_items"] == 2


def test_the_same_ad_on_two_sources_is_one_job(fresh_db):
    load_items(fresh_db, [job("greenhouse", "4100001", location="Leeds, GB")], run_id="r1", origin="gh")
    load_items(fresh_db, [job("jobposting", "board/001", location="Leeds, West Yorkshire, GB",
                              salary_min=36000.0, salary_max=42000.0)], run_id="r1", origin="jp")
    assert counts(fresh_db)["jobs"] == 1
    sources = fresh_db.execute("SELECT source FROM job_sources ORDER BY source").fetchall()
    assert sources == [("greenhouse",), ("jobposting",)]


def test_a_repost_linking_the_original_is_the_same_job(fresh_db):
    load_items(fresh_db, [job("greenhouse", "77", url="https://boards.greenhouse.io/acme/jobs/77")],
               run_id="r1", origin="gh")
    repost = job("remoteok", "rk-1", title="Data Analyst (Remote)", location="Remote",
                 url="https://www.boards.greenhouse.io/acme/jobs/77/?utm_source=remoteok&ref=rok")
    load_items(fresh_db, [repost], run_id="r1", origin="rok")
    assert counts(fresh_db)["jobs"] == 1


def test_same_company_and_title_elsewhere_merge_only_when_the_ad_text_matches(fresh_db):
    text = "We are hiring a data analyst to build reporting for our operations team " * 5
    load_items(fresh_db, [job("greenhouse", "1", location="London, UK", description=text)],
               run_id="r1", origin="gh")
    load_items(fresh_db, [job("jobposting", "a", location="Remote (UK)", description=text + " Apply now.")],
               run_id="r1", origin="jp")
    assert counts(fresh_db)["jobs"] == 1
    other = "A different analyst job in our finance team, covering budgets and forecasts " * 5
    load_items(fresh_db, [job("jobposting", "b", location="Manchester, UK", description=other)],
               run_id="r1", origin="jp")
    assert counts(fresh_db)["jobs"] == 2


def test_two_openings_with_one_title_on_one_source_stay_two_jobs(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1"), job("greenhouse", "2")], run_id="r1", origin="gh")
    assert counts(fresh_db)["jobs"] == 2


def test_jobs_no_longer_listed_are_closed_not_deleted(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1"), job("greenhouse", "2", title="Engineer")],
               run_id="r1", origin="gh", seen_at=datetime(2026, 11, 1))
    second_crawl = datetime(2026, 11, 2)
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r2", origin="gh", seen_at=second_crawl)
    assert close_missing(fresh_db, "gh", second_crawl) == 1
    rows = fresh_db.execute("SELECT title, closed_at FROM jobs ORDER BY title").fetchall()
    assert rows == [("Data Analyst", None), ("Engineer", second_crawl)]
    # Seen again later: open again.
    load_items(fresh_db, [job("greenhouse", "2", title="Engineer")], run_id="r3", origin="gh")
    assert fresh_db.execute("SELECT count(*) FROM open_jobs").fetchall() == [(2,)]


def test_a_failed_load_leaves_the_store_as_it_was(fresh_db):
    load_items(fresh_db, [job("greenhouse", "1")], run_id="r1", origin="gh")
    before = counts(fresh_db)
    bad = job("greenhouse", "2", salary_min=90000.0, salary_max=10.0)  # violates a CHECK
    with pytest.raises(duckdb.Error):
        load_items(fresh_db, [job("greenhouse", "3"), bad], run_id="r2", origin="gh")
    assert counts(fresh_db) == before


def test_migrations_are_recorded(fresh_db):
    assert fresh_db.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_second_writer_gets_a_clear_busy_error(db_path):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(30)", str(db_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusyError, match="database is busy"):
            connect(db_path)
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="skillscout crawl"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_skill_demand_medians_are_per_currency(fresh_db):
    """Wrong answer 6: one median across pounds, dollars and euros meant nothing."""
    from test_match import skill

    pay = [("GBP", 40000), ("GBP", 50000), ("GBP", 60000), ("USD", 200000), ("USD", 220000)]
    load_items(fresh_db, [{"source": "t", "source_id": str(n), "url": f"https://x.example/{n}",
                           "title": "Data Analyst", "company": f"C{n}", "salary_min": amount,
                           "salary_max": amount, "salary_annual_max": amount, "salary_currency": currency,
                           "salary_period": "year",
                           "skills": [skill("SQL")]} for n, (currency, amount) in enumerate(pay)],
               run_id="r1", origin="t")
    (row,) = fresh_db.execute("SELECT jobs, median_salary_max, salary_currency, median_salary_by_currency "
                              "FROM skill_demand WHERE skill = 'SQL'").fetchall()
    assert row == (5, 50000.0, "GBP", {"GBP": 50000.0, "USD": 210000.0})


def test_a_file_from_an_older_skillscout_is_upgraded_when_opened_to_read(tmp_path):
    """Read commands open the store once; a file one migration behind is upgraded first."""
    from pipeline.schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for version, sql in enumerate(MIGRATIONS[:-1], 1):
        old.execute(sql)
        old.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    old.close()
    con = connect(path, read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT count(*) FROM jobs").fetchall() == [(0,)]
    finally:
        con.close()
