"""Job-search APIs that say no: a key not set, a key rejected, a rate limit reached. Each is
one clear line naming the source, fails that source alone, and never shows the key."""

from __future__ import annotations

import pytest
from conftest import TEST_CRAWL_SETTINGS
from fixture_server import SOURCES, load_routes, serve_fixtures

from flows.crawl import CrawlError, read_items, run_crawl
from flows.sources import Source
from pipeline.runs import crawl_health

KEYS = {"ADZUNA_APP_ID": "fault-adzuna-id", "ADZUNA_APP_KEY": "fault-adzuna-key",
        "REED_API_KEY": "fault-reed-key"}
ADZUNA_REFS = {"app_id": "${ADZUNA_APP_ID}", "app_key": "${ADZUNA_APP_KEY}"}
JSON = "application/json"
FAST = {**TEST_CRAWL_SETTINGS, "RETRY_TIMES": 1, "SKILLSCOUT_RETRY_BACKOFF_BASE": 0.1}


def _refusing(path: str, status: int, headers: dict[str, str] | None = None) -> list[dict]:
    """Every request to `path` answered with `status` (and `headers`), and an empty page."""
    empty = "jobs-empty.json" if path == "/api/public/jobs" else "search-empty.json"
    return [{"path": path, "status": status, "file": empty, "content_type": JSON, "headers": headers or {}}]


def _crawl(spider: str, url: str, out, **args: str):
    return run_crawl(Source(spider, {"api_url": url, **args}, timeout=60), out, FAST)


@pytest.fixture
def keys(monkeypatch):
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def _one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    for secret in KEYS.values():
        assert secret not in message


def test_a_missing_key_names_the_variable_and_where_to_get_one(tmp_path, monkeypatch):
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
    with serve_fixtures("adzuna") as server, pytest.raises(CrawlError) as failure:
        _crawl("adzuna", server.url, tmp_path, what="data analyst")
    message = str(failure.value)
    _one_line(message)
    assert message.endswith("adzuna: ADZUNA_APP_ID and ADZUNA_APP_KEY are not set "
                            "(get a free key at https://developer.adzuna.com/signup)")
    assert server.requests == []  # nothing asked of the API without a key


def test_a_rejected_key_fails_at_once_with_the_reason(tmp_path, keys):
    routes = _refusing("/v1/api/jobs/gb/search/1", 401)
    with serve_fixtures(SOURCES / "adzuna", routes) as server, pytest.raises(CrawlError) as failure:
        _crawl("adzuna", server.url, tmp_path, what="data analyst", **ADZUNA_REFS)
    message = str(failure.value)
    _one_line(message)
    assert message.endswith("the API rejected the key (HTTP 401); check ADZUNA_APP_ID, ADZUNA_APP_KEY")
    assert failure.value.retry is False
    assert len([r for r in server.requests if r.startswith("/v1/")]) == 1  # 401 is not retried
    log = next(tmp_path.glob("*.log")).read_text()
    assert "rejected the key" in log and "fault-adzuna-key" not in log


def test_a_refused_key_on_the_details_endpoint_stops_the_crawl_too(tmp_path, keys):
    routes = [r for r in load_routes(SOURCES / "reed") if "/jobs/" not in r["path"]]
    routes.insert(0, {"path": "/api/1.0/jobs/55900001", "status": 403, "file": "search-empty.json",
                      "content_type": JSON})
    with serve_fixtures(SOURCES / "reed", routes) as server, \
            pytest.raises(CrawlError, match="rejected the key"):
        _crawl("reed", server.url, tmp_path, keywords="data analyst", results_to_take="2",
               api_key="${REED_API_KEY}")


def test_a_rate_limit_is_said_plainly(tmp_path):
    routes = _refusing("/api/public/jobs", 429, {"Retry-After": "0"})
    with serve_fixtures(SOURCES / "themuse", routes) as server, pytest.raises(CrawlError) as failure:
        _crawl("themuse", server.url, tmp_path, category="Data Science")
    message = str(failure.value)
    _one_line(message)
    assert "rate-limited by the API (1 request(s) refused, no jobs read)" in message
    assert failure.value.retry is False
    assert len([r for r in server.requests if r.startswith("/api/")]) == 2  # the try and one retry


def test_the_muse_spent_quota_is_a_rate_limit_not_a_bad_key(tmp_path):
    routes = _refusing("/api/public/jobs", 403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "500"})
    with serve_fixtures(SOURCES / "themuse", routes) as server, \
            pytest.raises(CrawlError, match="rate-limited"):
        _crawl("themuse", server.url, tmp_path, category="Data Science")


def test_a_rate_limit_midway_keeps_what_was_read(tmp_path, keys):
    routes = load_routes(SOURCES / "reed")
    routes.insert(0, {"path": "/api/1.0/search", "params": {"resultsToSkip": 2}, "status": 429,
                      "file": "search-empty.json", "content_type": JSON, "headers": {"Retry-After": "0"}})
    with serve_fixtures(SOURCES / "reed", routes) as server:
        output = _crawl("reed", server.url, tmp_path, keywords="data analyst", results_to_take="2")
    assert output.items == 2  # page 1 and its details
    assert crawl_health(output.items, output.stats)["rate_limited"] == 1
    # Loaded: what was read is stored, and the jobs this crawl could not reach stay open.
    from datetime import datetime

    from pipeline.db import open_store
    from pipeline.loading import SourceCrawl, load_source

    items = [{**item, "skills": []} for item in read_items(output.items_path)]
    earlier = {"source": "reed", "source_id": "earlier-1", "url": "https://www.reed.co.uk/jobs/1",
               "title": "Data Analyst", "skills": []}
    with open_store(tmp_path / "jobs.duckdb") as con:
        load_source(con, "r1", SourceCrawl("reed:search", "reed", [earlier], 1), datetime(2026, 11, 1))
        summary = load_source(con, "r2", SourceCrawl("reed:search", "reed", items, len(items), output.stats),
                              datetime(2026, 11, 2))
        open_ids = {r[0] for r in con.execute("SELECT source_id FROM open_jobs").fetchall()}
    assert summary.closed == 0 and "earlier-1" in open_ids and len(open_ids) == 3
    assert summary.warning.startswith("rate-limited by the API (1 request(s) refused)")


def test_each_refusal_fails_its_source_alone_in_the_flow(prefect_harness, tmp_path, monkeypatch):
    """Adzuna answers; Reed rejects its key; The Muse is rate-limited; Jooble has no key set:
    Adzuna's jobs are loaded, and each other source has its one line."""
    from flows.flow import crawl_flow
    from pipeline.db import open_store

    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JOOBLE_API_KEY", raising=False)
    limited = _refusing("/api/public/jobs", 429, {"Retry-After": "0"})
    with serve_fixtures("adzuna") as adzuna, \
            serve_fixtures(SOURCES / "reed", _refusing("/api/1.0/search", 401)) as reed, \
            serve_fixtures(SOURCES / "themuse", limited) as muse:
        sources = [
            {"spider": "adzuna", "api_url": adzuna.url, "what": "data analyst", "results_per_page": 2,
             **ADZUNA_REFS},
            {"spider": "reed", "api_url": reed.url, "keywords": "data analyst", "api_key": "${REED_API_KEY}"},
            {"spider": "themuse", "api_url": muse.url, "category": "Data Science"},
            {"spider": "jooble", "api_url": muse.url, "keywords": "data engineer"},
        ]
        for source in sources:
            source["allow_private"] = True  # the fixture servers listen on 127.0.0.1
        summary = crawl_flow(sources=sources, db=str(tmp_path / "jobs.duckdb"), keep_items=True,
                             scrapy_settings={**FAST, "LOG_LEVEL": "DEBUG"}, crawl_retries=2)
        reed_calls = [r for r in reed.requests if r.startswith("/api/")]
    by_source = {s["source"]: s for s in summary["sources"]}
    assert summary["status"] == "partial"
    assert by_source["adzuna:data analyst"]["status"] == "ok"
    assert by_source["adzuna:data analyst"]["items"] == 2  # the care assistant is not a data role
    assert by_source["reed:data analyst"]["error"] == (
        "the API rejected the key (HTTP 401); check REED_API_KEY")  # the source column names it
    assert len(reed_calls) == 1  # Prefect's retries skip a rejected key
    assert by_source["themuse:Data Science"]["error"].startswith(
        "rate-limited by the API (1 request(s) refused, no jobs read)")
    assert by_source["jooble:data engineer"]["error"] == (
        "jooble: JOOBLE_API_KEY is not set (get a free key at https://jooble.org/api/about)")
    for failed in ("reed:data analyst", "themuse:Data Science", "jooble:data engineer"):
        _one_line(by_source[failed]["error"])
    with open_store(tmp_path / "jobs.duckdb", read_only=True) as con:
        jobs = con.execute("SELECT source_id FROM jobs ORDER BY source_id").fetchall()
        health = con.execute("SELECT source, status, error FROM crawl_source_runs ORDER BY source").fetchall()
        tables = ("jobs", "job_sources", "raw_items", "crawl_source_runs", "crawl_runs")
        dump = "\n".join(str(r) for t in tables
                         for r in con.execute(f"SELECT * FROM {t}").fetchall())  # noqa: S608 - fixed names
    assert jobs == [("4419001",), ("4419002",)]
    assert [(s, st) for s, st, _ in health] == [
        ("adzuna:data analyst", "ok"), ("jooble:data engineer", "failed"), ("reed:data analyst", "failed"),
        ("themuse:Data Science", "failed")]
    run_files = "\n".join(p.read_text(errors="replace") for p in (tmp_path / "runs").rglob("*")
                          if p.is_file())
    for secret in KEYS.values():
        assert secret not in dump and secret not in run_files
    assert "app_key=***" in run_files  # the crawl's debug log shows where the key went, masked
