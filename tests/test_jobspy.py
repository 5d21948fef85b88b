"""JobSpy as a source: `scrape_jobs` runs inside the spider's own process (replaced here by
`fake_jobspy`, which returns a recorded CSV instead of touching the network), its rows go
through the same pipelines as any crawl, and through the flow they merge with the
employer's own ATS board. The rows' expected values are read from the CSV at run time."""

from __future__ import annotations

import csv
import inspect
import json
from pathlib import Path

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from fixture_server import SOURCES, serve_fixtures

from flows.crawl import CrawlError, read_items, run_crawl
from flows.sources import Source, parse_sources
from scrapers.bases.jobspy import SEARCH_ARGS, markdown_to_text

FIXTURE = SOURCES / "jobspy" / "jobs.csv"
REAL = sorted((ROOT.parent / "shared" / "real-payloads" / "jobspy").glob("*.csv"))
FAKE = {**TEST_CRAWL_SETTINGS, "SKILLSCOUT_JOBSPY_SCRAPER": "fake_jobspy.scrape_jobs"}
SEARCH = {"site_name": json.dumps(["indeed", "linkedin", "zip_recruiter", "glassdoor"]),
          "search_term": "data analyst", "location": "Leeds, UK", "results_wanted": "20", "hours_old": "72",
          "country_indeed": "uk"}


@pytest.fixture
def fake_jobspy(monkeypatch, tmp_path):
    """Point the spider's process at fake_jobspy; returns a function to choose the CSV."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))
    monkeypatch.setenv("FAKE_JOBSPY_CALLS", str(tmp_path / "calls.json"))

    def use(csv_path: Path) -> Path:
        monkeypatch.setenv("FAKE_JOBSPY_CSV", str(csv_path))
        return tmp_path / "calls.json"

    return use


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, escapechar="\\"))


def _crawl(tmp_path: Path) -> list[dict]:
    output = run_crawl(Source("jobspy", dict(SEARCH), timeout=120), tmp_path / "out", FAKE)
    return read_items(output.items_path)


def test_jobspy_rows_become_items(fake_jobspy, tmp_path):
    calls = fake_jobspy(FIXTURE)
    items = {i["source_id"]: i for i in _crawl(tmp_path)}
    called = json.loads(calls.read_text())
    assert called == {"site_name": ["indeed", "linkedin", "zip_recruiter", "glassdoor"],
                      "search_term": "data analyst", "location": "Leeds, UK", "results_wanted": 20,
                      "hours_old": 72, "country_indeed": "uk", "description_format": "markdown", "verbose": 0}
    engineer = items["in-5b7e21c0d94f3a18"]
    assert (engineer["source"], engineer["title"], engineer["company"], engineer["country"]) == (
        "jobspy_indeed", "Data Engineer", "Northwind Analytics", "GB")
    # The employer's own page is the link to keep: it is where to apply, and what the ATS lists.
    assert engineer["url"] == "https://boards.greenhouse.io.example/northwind/jobs/7700102?gh_src=8f1a2b3c"
    pay = ("salary_min", "salary_max", "salary_currency", "salary_period", "employment_type")
    assert tuple(engineer[f] for f in pay) == (50000, 60000, "GBP", "year", "full_time")
    lines = engineer["description"].splitlines()
    assert "You will" in lines and "- Build ELT pipelines with Airflow and dbt into Snowflake" in lines
    assert "Terraform is a plus (infrastructure-as-code)" in engineer["description"]
    assert "*" not in engineer["description"] and engineer["description_truncated"] is False
    linkedin = items["li-4419900112"]  # LinkedIn without linkedin_fetch_description: no text at all
    assert linkedin["description"] is None and linkedin["description_truncated"] is None
    teaser = items["zr-7d1c0b9e"]
    assert teaser["description_truncated"] is True and teaser["description"].endswith("...")
    contract = items["gd-1009911223344"]
    assert tuple(contract[f] for f in ("remote", "location", "salary_period", "employment_type")) == (
        "remote", None, "hour", "contract")
    assert contract["description"].splitlines()[0] == "About Pelican Pay"


@pytest.mark.skipif(not REAL, reason="real JobSpy output is not distributed with skillscout")
@pytest.mark.parametrize("recorded", REAL, ids=[p.name for p in REAL])
def test_real_jobspy_output(fake_jobspy, tmp_path, recorded):
    fake_jobspy(recorded)
    items = _crawl(tmp_path)
    rows = _rows(recorded)
    assert len(items) == len(rows)
    for row, item in zip(rows, items, strict=True):
        assert item["source"] == f"jobspy_{row['site']}"
        assert item["source_id"] == (row.get("id") or row["job_url"])
        assert item["title"] == " ".join(row["title"].split())
        assert item["company"] == (" ".join(row["company"].split()) or None)
        assert item["url"] == (row["job_url_direct"] or row["job_url"])
        if row["min_amount"]:
            assert item["salary_min"] == float(row["min_amount"])
        assert item["description_truncated"] is (
            None if not row["description"] else row["description"].rstrip().endswith("..."))
        if row["description"]:
            assert "**" not in item["description"] and "\\-" not in item["description"]


def test_a_failing_jobspy_is_one_line(fake_jobspy, tmp_path, monkeypatch):
    fake_jobspy(FIXTURE)
    monkeypatch.setenv("FAKE_JOBSPY_FAIL", "Indeed answered 403")
    with pytest.raises(CrawlError) as failure:
        _crawl(tmp_path)
    assert "jobspy: scrape_jobs failed: ConnectionError: Indeed answered 403" in str(failure.value)
    assert "\n" not in str(failure.value)


def test_jobspy_through_the_flow_merges_with_the_employers_board(prefect_harness, fake_jobspy, tmp_path):
    from flows.flow import crawl_flow
    from pipeline.db import open_store

    fake_jobspy(FIXTURE)
    with serve_fixtures("greenhouse") as board:
        search = {k: json.loads(v) if k == "site_name" else v for k, v in SEARCH.items()}
        sources = [{"spider": "greenhouse", "board": "northwind", "api_url": board.url,
                    "allow_private": True},
                   {"source": "jobspy", **search, "timeout": 120}]
        summary = crawl_flow(sources=sources, db=str(tmp_path / "jobs.duckdb"), scrapy_settings=FAKE,
                             crawl_retries=0)
    assert {s["source"]: s["status"] for s in summary["sources"]} == {
        "greenhouse:northwind": "ok", "jobspy:data analyst/Leeds, UK": "ok"}
    with open_store(tmp_path / "jobs.duckdb", read_only=True) as con:
        jobs = dict(con.execute("SELECT j.title, list(s.source ORDER BY s.source) FROM jobs j "
                                "JOIN job_sources s ON s.job_id = j.id GROUP BY j.title").fetchall())
    assert jobs["Data Engineer"] == ["greenhouse", "jobspy_indeed"]  # the same URL, less its tracking
    assert jobs["Senior Data Analyst"] == ["greenhouse", "jobspy_linkedin"]  # company, title and town
    assert jobs["Data Scientist"] == ["jobspy_zip_recruiter"]
    assert len(jobs) == 4


def test_without_the_extra_a_jobspy_source_says_how_to_add_it(monkeypatch):
    import flows.sources as sources_module

    real = sources_module.importlib.util.find_spec
    monkeypatch.setattr(sources_module.importlib.util, "find_spec",
                        lambda name, *a: None if name == "jobspy" else real(name, *a))
    (source,) = parse_sources([{"source": "jobspy", "search_term": "data analyst"}])
    assert source.problem == "jobspy: python-jobspy is not installed: pip install 'skillscout[jobspy]'"


def test_the_installed_jobspy_takes_every_argument_we_pass():
    import jobspy  # the `jobspy` extra, installed by `make test`

    accepted = set(inspect.signature(jobspy.scrape_jobs).parameters)
    assert set(SEARCH_ARGS) | {"description_format", "verbose"} <= accepted


def test_markdown_becomes_plain_lines():
    text = markdown_to_text("### **Role**\n* Python \\- and [SQL](https://x.example)\n+ dbt\n"
                            "*Remote* only\u00a0")
    assert text.splitlines() == ["Role", "- Python - and SQL", "- dbt", "Remote only "]
