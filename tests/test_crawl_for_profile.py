"""`skillscout crawl --for PROFILE`: the profile's target roles × places become one search per
job-search API (here Adzuna, Reed and The Muse, served from recorded fixtures), next to an
employer's own Greenhouse board; an ad found on several of them is one job with every URL,
keeping its whole text over a snippet; `match` and the report say which ads are snippets."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT
from fixture_server import serve_fixtures
from typer.testing import CliRunner

from flows.cli import app
from pipeline.db import open_store

PROFILE = ROOT / "data" / "profile.example.yaml"  # data analyst / scientist / analytics engineer, GB, remote
KEYS = {"ADZUNA_APP_ID": "for-adzuna-id", "ADZUNA_APP_KEY": "for-adzuna-key", "REED_API_KEY": "for-reed-key"}
runner = CliRunner()


@pytest.fixture(scope="module")
def searched(prefect_harness, tmp_path_factory):
    folder = tmp_path_factory.mktemp("for-profile")
    with pytest.MonkeyPatch.context() as env:
        for name, value in KEYS.items():
            env.setenv(name, value)
        with serve_fixtures("adzuna") as adzuna, serve_fixtures("reed") as reed, \
                serve_fixtures("themuse") as muse, serve_fixtures("greenhouse") as greenhouse:
            sources = folder / "sources.yaml"
            # A local server: private address allowed, no politeness delays.
            fast = "allow_private: true, settings: {DOWNLOAD_DELAY: 0, AUTOTHROTTLE_ENABLED: false}"
            sources.write_text(
                "sources:\n"
                f"  - {{spider: greenhouse, board: northwind, api_url: '{greenhouse.url}', {fast}}}\n"
                "searches:\n"
                "  apis:\n"
                f"    adzuna: {{api_url: '{adzuna.url}', results_per_page: 2, {fast}}}\n"
                f"    reed: {{api_url: '{reed.url}', results_to_take: 2, {fast}}}\n"
                f"    themuse: {{api_url: '{muse.url}', {fast}}}\n")
            db = folder / "jobs.duckdb"
            result = runner.invoke(app, ["crawl", "--for", str(PROFILE), "--sources", str(sources),
                                         "--db", str(db), "--json"], catch_exceptions=False)
            servers = {"adzuna": adzuna, "reed": reed, "themuse": muse, "greenhouse": greenhouse}
            return result, db, {name: list(s.requests) for name, s in servers.items()}, folder


def _summary(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def test_one_search_per_api_for_each_role_and_place(searched):
    result, _, requests, _ = searched
    summary = _summary(result)
    assert {s["source"]: s["status"] for s in summary["sources"]} == {
        "greenhouse:northwind": "ok", "reed:search": "ok", "themuse:search": "ok", "adzuna:search": "ok"}
    roles = ["data analyst", "data scientist", "analytics engineer"]
    adzuna = [parse_qs(urlsplit(r).query) for r in requests["adzuna"]
              if r.startswith("/v1/api/jobs/gb/search/1")]
    assert sorted(q["what"][0] for q in adzuna) == sorted(roles + [f"{r} remote" for r in roles])
    reed = [parse_qs(urlsplit(r).query) for r in requests["reed"]
            if r.startswith("/api/1.0/search") and "resultsToSkip=0" in r]
    assert sorted(q["keywords"][0] for q in reed) == sorted(roles + [f"{r} remote" for r in roles])
    muse = {(q["category"][0], q.get("location", [""])[0]) for q in
            (parse_qs(urlsplit(r).query) for r in requests["themuse"] if "page=1&" in r)}
    assert muse == {("Data and Analytics", ""), ("Data and Analytics", "Flexible / Remote"),
                    ("Data Science", ""), ("Data Science", "Flexible / Remote")}


def test_the_same_ad_everywhere_is_one_job_with_every_url(searched):
    _, db, _, _ = searched
    with open_store(db, read_only=True) as con:
        # Each job by its title and company's first word (the company's spelling is the
        # latest source's: "Northwind Analytics Ltd" on Adzuna).
        jobs = con.execute("SELECT j.title, split_part(j.company, ' ', 1), count(*), "
                           "list(s.source ORDER BY s.source), j.description_truncated "
                           "FROM jobs j JOIN job_sources s ON s.job_id = j.id "
                           "GROUP BY ALL ORDER BY ALL").fetchall()
        urls = [u for (u,) in con.execute(
            "SELECT s.url FROM job_sources s JOIN jobs j ON j.id = s.job_id "
            "WHERE j.title = 'Senior Data Analyst' ORDER BY s.source").fetchall()]
    by_title = {(t, c): (n, sources, cut) for t, c, n, sources, cut in jobs}
    assert by_title[("Senior Data Analyst", "Northwind")][:2] == (
        3, ["adzuna", "greenhouse", "reed"])
    assert urls[0].endswith("/jobs/details/4419001?utm_medium=api&utm_source=5e1f0c2a")
    assert urls[1] == "https://boards.greenhouse.io.example/northwind/jobs/7700101"
    assert urls[2].endswith("/jobs/senior-data-analyst/55900001")
    # Same company, title and town on Adzuna and The Muse.
    assert by_title[("Data Scientist", "Kestrel")] == (2, ["adzuna", "themuse"], False)
    # Bristol on Reed, "Flexible / Remote" on The Muse: the same ad text joins them.
    assert by_title[("Analytics Engineer", "Fennec")][:2] == (2, ["reed", "themuse"])
    assert len(jobs) == 9  # and the care assistant Adzuna found is not a data role
    assert by_title[("Data Analyst", "Aire")] == (1, ["adzuna"], True)
    assert by_title[("Data Analyst - 12 Month Fixed Term Contract", "Larkspur")][2] is True


def test_a_snippet_never_replaces_the_whole_ad(searched):
    _, db, _, _ = searched
    with open_store(db, read_only=True) as con:
        (text,), = con.execute("SELECT description FROM jobs WHERE company LIKE 'Kestrel%'").fetchall()
    assert "Spark is a plus" in text  # The Muse's full ad, though Adzuna's snippet came later


def test_match_and_the_report_mark_snippets(searched):
    _, db, _, folder = searched
    result = runner.invoke(app, ["match", "--profile", str(PROFILE), "--db", str(db), "--json", "-n", "50"])
    matches = {m["title"]: m for m in json.loads(result.output)}
    assert matches["Data Analyst"]["description_truncated"] is True
    assert matches["Senior Data Analyst"]["description_truncated"] is False
    table = runner.invoke(app, ["match", "--profile", str(PROFILE), "--db", str(db), "-n", "50"])
    assert "snippet only" in table.output
    report = folder / "report.html"
    runner.invoke(app, ["report", "--profile", str(PROFILE), "--db", str(db), "-o", str(report),
                        "--top", "50"])
    assert "Only a snippet of this ad was available" in report.read_text()
    sources = json.loads(runner.invoke(app, ["sources", "--db", str(db), "--json"]).output)
    health = {s["source"]: s["truncated_description"] for s in sources}
    assert health["adzuna:search"] == 0.75  # 3 of the 4 ads crawled


def test_without_keys_the_keyed_apis_are_skipped_with_a_note(monkeypatch, tmp_path):
    from flows.sources import sources_for_profile
    from pipeline.profile import load_profile

    for name in ("ADZUNA_APP_ID", "ADZUNA_APP_KEY", "REED_API_KEY", "USAJOBS_API_KEY", "USAJOBS_EMAIL",
                 "JOOBLE_API_KEY", "FINDWORK_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REED_API_KEY", "set")
    data, notes = sources_for_profile(load_profile(PROFILE))
    assert "adzuna: ADZUNA_APP_ID and ADZUNA_APP_KEY are not set (get a free key at " \
           "https://developer.adzuna.com/signup): skipped" in notes
    assert not any(n.startswith("reed") for n in notes)
    assert data["searches"]["roles"] == ["data analyst", "data scientist", "analytics engineer"]
    assert data["searches"]["places"] == [{"country": "GB"}, {"country": "GB", "remote": True}]


def test_for_is_refused_in_worker_mode_before_anything_runs(tmp_path):
    result = runner.invoke(app, ["crawl", "--for", str(PROFILE), "--shard", "1/2",
                                 "--parquet", str(tmp_path / "out"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1 and "searches:" in " ".join(result.output.split())
    assert not (tmp_path / "x.duckdb").exists() and not (tmp_path / "out").exists()
