"""`skillscout import FILE`: JobSpy's CSV or rows of item fields (CSV or JSON Lines) go through
the crawl's pipelines, extraction and load as a source of their own. A bad row is named by
row (or line) and column, then skipped, or with --bad-rows refuse the file is refused and
nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixture_server import SOURCES
from typer.testing import CliRunner

from flows.cli import app
from flows.imports import check_import_file
from pipeline.db import open_store

JOBSPY_CSV = SOURCES / "jobspy" / "jobs.csv"
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def _flat(output: str) -> str:
    return " ".join(output.split())


def _broken_copy(tmp_path: Path) -> Path:
    """Our JobSpy CSV with the Glassdoor row's max_amount made unreadable."""
    text = JOBSPY_CSV.read_text(encoding="utf-8").replace(",60.0,70.0,", ",60.0,seventy,", 1)
    broken = tmp_path / "jobs-broken.csv"
    broken.write_text(text, encoding="utf-8")
    return broken


def _jsonl(tmp_path: Path, rows: list) -> Path:
    path = tmp_path / "jobs.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


@pytest.fixture(scope="module")
def imported(prefect_harness, tmp_path_factory):
    db = tmp_path_factory.mktemp("import") / "jobs.duckdb"
    first = _run("import", str(JOBSPY_CSV), "--db", str(db), "--json")
    again = _run("import", str(JOBSPY_CSV), "--db", str(db), "--json")
    return db, first, again


def test_jobspy_csv_is_loaded_like_a_crawl(imported):
    db, first, _ = imported
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output[first.output.index("{"):])
    (source,) = summary["sources"]
    assert [source[k] for k in ("source", "status", "new", "filtered")] == ["import:jobs.csv", "ok", 4, 0]
    assert source["skills"] > 10  # extraction ran on the ads that have text
    with open_store(db, read_only=True) as con:
        rows = con.execute("SELECT source, title, salary_annual_max, role_family FROM jobs "
                           "ORDER BY title").fetchall()
        origins = {o for (o,) in con.execute("SELECT DISTINCT origin FROM job_sources").fetchall()}
    # Hourly pay put on a yearly basis like any crawl's (220 days of 8 hours).
    assert rows[0] == ("jobspy_glassdoor", "Analytics Engineer (Contract)", 70 * 8 * 220,
                       "analytics engineer")
    assert origins == {"import:jobs.csv"}


def test_importing_the_same_file_again_adds_nothing(imported):
    _, _, again = imported
    summary = json.loads(again.output[again.output.index("{"):])
    assert (summary["sources"][0]["new"], summary["sources"][0]["updated"]) == (0, 0)


def test_a_bad_row_is_named_and_skipped(prefect_harness, tmp_path):
    db = tmp_path / "jobs.duckdb"
    result = _run("import", str(_broken_copy(tmp_path)), "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    assert "warning: jobs-broken.csv, row 4: column max_amount: not a number ('seventy'); skipped" in _flat(
        result.output)
    with open_store(db, read_only=True) as con:
        titles = {t for (t,) in con.execute("SELECT title FROM jobs").fetchall()}
    assert titles == {"Data Engineer", "Senior Data Analyst", "Data Scientist"}


def test_or_the_file_is_refused_and_nothing_written(tmp_path):
    db = tmp_path / "jobs.duckdb"
    result = _run("import", str(_broken_copy(tmp_path)), "--db", str(db), "--bad-rows", "refuse")
    assert result.exit_code == 1
    assert ("error: jobs-broken.csv, row 4: column max_amount: not a number ('seventy'); nothing imported"
            in _flat(result.output))
    assert not db.exists()


def test_json_lines_of_item_fields(prefect_harness, tmp_path):
    good = {"title": "Data Analyst", "url": "https://careers.example/jobs/1", "company": "Heron Bank",
            "location": "Leeds, UK", "salary_min": "38000", "salary_max": 42000, "salary_currency": "GBP",
            "description": "Requirements\n- SQL and Power BI", "posted_at": "2026-11-20"}
    rows = [good, "{not json", {**good, "url": "careers.example/jobs/2", "title": "BI Developer"},
            {**good, "url": "https://careers.example/jobs/3", "title": "Data Engineer", "salary_min": "lots"},
            {**good, "url": "https://careers.example/jobs/4", "title": ""}]
    path = _jsonl(tmp_path, rows)
    usable, problems = check_import_file(path)
    assert usable == 1
    assert problems == ["jobs.jsonl, line 2: not a row of jobs (Expecting property name enclosed in double "
                        "quotes: line 1 column 2 (char 1))",
                        "jobs.jsonl, line 3: column url: not a web address ('careers.example/jobs/2')",
                        "jobs.jsonl, line 4: column salary_min: not a number ('lots')",
                        "jobs.jsonl, line 5: column title: missing"]
    db = tmp_path / "jobs.duckdb"
    result = _run("import", str(path), "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    with open_store(db, read_only=True) as con:
        (row,) = con.execute("SELECT source, company, salary_min, salary_period, posted_at::VARCHAR "
                             "FROM jobs").fetchall()
        skills = {s for (s,) in con.execute("SELECT skill FROM job_skills").fetchall()}
    assert row == ("import", "Heron Bank", 38000, "year", "2026-11-20 00:00:00")
    assert {"SQL", "Power BI"} <= skills


@pytest.mark.parametrize(("name", "content", "message"), [
    ("jobs.txt", "title,url\n", "jobs.txt: expected a .csv or .jsonl file"),
    ("jobs.csv", "name,link\nx,y\n", "jobs.csv, header: needs a title column and job_url (JobSpy) or url"),
    ("missing.csv", None, "missing.csv: no such file"),
])
def test_a_file_that_cannot_be_read_is_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = _run("import", str(path), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1 and message in _flat(result.output)
    assert not (tmp_path / "x.duckdb").exists()
