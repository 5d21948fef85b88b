"""The job-search API spiders against real responses recorded by other projects
(`../shared/real-payloads/<api>/`, see its README), served on 127.0.0.1 at the path each
spider asks for: every record becomes an item with the title, company, location and pay the
record has, and the right full-text/snippet flag; through `scrapy crawl NAME -a api_url=...`
and through the Prefect flow into DuckDB. What each item must show is read from the payload
at run time (the payloads' text is not copied here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from fixture_server import serve_fixtures
from lxml import etree
from source_crawl import Case, Crawl, crawl_all

from scrapers.bases.search_api import company_name, plain
from scrapers.pipelines.location import tidy_location

REAL_PAYLOADS = ROOT.parent / "shared" / "real-payloads"
if not REAL_PAYLOADS.is_dir():
    pytest.skip("real payloads are not distributed with skillscout", allow_module_level=True)

KEYS = {"ADZUNA_APP_ID": "real-test-id", "ADZUNA_APP_KEY": "real-test-key", "REED_API_KEY": "real-test-reed",
        "USAJOBS_API_KEY": "real-test-usajobs", "USAJOBS_EMAIL": "tests@example.org",
        "JOOBLE_API_KEY": "real-test-jooble", "FINDWORK_API_KEY": "real-test-findwork"}
JSON = "application/json; charset=utf-8"


@dataclass
class Want:
    """What the item made from one record must show (None: the record has none)."""

    source_id: str
    title: str
    company: str | None
    location: str | None
    pay: tuple[float | None, float | None] | None  # None: not checked (no structured pay)
    truncated: bool


@dataclass
class Payload:
    spider: str
    path: str  # where the spider asks for it
    method: str = "GET"
    args: tuple[tuple[str, str], ...] = ()
    content_type: str = JSON


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _num(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _adzuna(path: Path) -> list[Want]:
    out = []
    for j in _json(path)["results"]:
        pay = None if j["salary_is_predicted"] == "1" else (_num(j["salary_min"]), _num(j["salary_max"]))
        out.append(Want(str(j["id"]), plain(j["title"]), company_name(j["company"]["display_name"]),
                        j["location"]["display_name"], pay, True))
    return out


def _reed(path: Path) -> list[Want]:
    return [Want(str(j["jobId"]), plain(j["jobTitle"]), j["employerName"].strip(), j["locationName"],
                 (_num(j["minimumSalary"]), _num(j["maximumSalary"])), True) for j in _json(path)["results"]]


def _usajobs(path: Path) -> list[Want]:
    out = []
    for entry in _json(path)["SearchResult"]["SearchResultItems"]:
        job = entry["MatchedObjectDescriptor"]
        pay = job["PositionRemuneration"][0]
        out.append(Want(entry["MatchedObjectId"], plain(job["PositionTitle"]), job["OrganizationName"], "*",
                        (_num(pay["MinimumRange"]), _num(pay["MaximumRange"])),
                        not job["UserArea"]["Details"].get("MajorDuties")))
    return out


def _themuse(path: Path) -> list[Want]:
    return [Want(str(j["id"]), plain(j["name"]), company_name(j["company"]["name"]),
                 "; ".join(p["name"] for p in j["locations"]), None, False) for j in _json(path)["results"]]


def _jooble(path: Path) -> list[Want]:
    return [Want(str(j["id"]), plain(j["title"]), company_name(j.get("company")), j["location"], None, True)
            for j in _json(path)["jobs"]]


def _findwork(path: Path) -> list[Want]:
    return [Want(j["id"], plain(j["role"]), company_name(j["company_name"]),
                 None if (j["location"] or "").startswith("http") else j["location"], None, False)
            for j in _json(path)["results"]]


def _jobicy(path: Path) -> list[Want]:
    out = []
    for j in _json(path)["jobs"]:
        low, high = j.get("salaryMin", j.get("annualSalaryMin")), j.get("salaryMax", j.get("annualSalaryMax"))
        out.append(Want(str(j["id"]), plain(j["jobTitle"]), plain(j["companyName"]), j["jobGeo"],
                        (_num(low), _num(high)) if low is not None else None, False))
    return out


def _himalayas(path: Path) -> list[Want]:
    return [Want(j["guid"], plain(j["title"]), j["companyName"],
                 "; ".join(j["locationRestrictions"]) or "Anywhere",
                 (_num(j["minSalary"]), _num(j["maxSalary"])) if j["minSalary"] is not None else None, False)
            for j in _json(path)["jobs"]]


def _workingnomads(path: Path) -> list[Want]:
    return [Want(j["url"].rstrip("/").rsplit("/", 1)[1], plain(j["title"]), j["company_name"], j["location"],
                 None, False) for j in _json(path)]


def _weworkremotely(path: Path) -> list[Want]:
    out = []
    for item in etree.parse(str(path)).getroot().iter("item"):
        company, _, title = item.findtext("title").partition(": ")
        out.append(Want(item.findtext("guid"), plain(title), company, item.findtext("region"), None, False))
    return out


EXPECTED: dict[str, Callable[[Path], list[Want]]] = {
    "adzuna": _adzuna, "reed": _reed, "usajobs": _usajobs, "themuse": _themuse, "jooble": _jooble,
    "findwork": _findwork, "jobicy": _jobicy, "himalayas": _himalayas, "workingnomads": _workingnomads,
    "weworkremotely": _weworkremotely}
# The payloads are single pages: one page per query, and no ad pages fetched (their URLs
# are the real sites'; Reed's details answer 404 here, so its snippets stay snippets).
ONE_PAGE = (("max_pages", "1"), ("full_text", "details"))
PAYLOADS = {
    "adzuna": Payload("adzuna", "/v1/api/jobs/{country}/search/1"),
    "reed": Payload("reed", "/api/1.0/search", args=ONE_PAGE),
    "usajobs": Payload("usajobs", "/api/search", args=ONE_PAGE),
    "themuse": Payload("themuse", "/api/public/jobs", args=ONE_PAGE),
    "jooble": Payload("jooble", "/api/real-test-jooble", method="POST", args=ONE_PAGE),
    "findwork": Payload("findwork", "/api/jobs/", args=ONE_PAGE),
    "jobicy": Payload("jobicy", "/api/v2/remote-jobs"),
    "himalayas": Payload("himalayas", "/jobs/api", args=ONE_PAGE),
    "workingnomads": Payload("workingnomads", "/api/exposed_jobs/"),
    "weworkremotely": Payload("weworkremotely", "/remote-jobs.rss", content_type="application/rss+xml"),
}
FILES = sorted((api, path) for api in PAYLOADS for path in (REAL_PAYLOADS / api).glob("*.*")
               if not path.name.endswith("_job_detail.json"))
FLOW_FILES = [next((a, p) for a, p in FILES if a == api) for api in PAYLOADS]


def _route(api: str, path: Path) -> dict[str, Any]:
    payload = PAYLOADS[api]
    where = payload.path
    if api == "adzuna":  # the country is in the path
        country = _json(path)["results"][0]["location"]["area"][0].lower()
        where = where.format(country="gb" if country == "uk" else country)
    return {"path": where, "method": payload.method, "file": path.name, "content_type": payload.content_type}


def _args(api: str, path: Path) -> dict[str, str]:
    args = dict(PAYLOADS[api].args)
    if api == "adzuna":
        args.update(country=_route(api, path)["path"].split("/")[4], max_pages="1", full_text="snippet")
    return args


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, Crawl | Exception]:
    cases = {f"{api}/{path.name}": Case(api, path.parent, [_route(api, path)], args=_args(api, path))
             for api, path in FILES}
    with pytest.MonkeyPatch.context() as env:
        for name, value in KEYS.items():
            env.setenv(name, value)
        return crawl_all(cases, tmp_path_factory.mktemp("real-search"))


def test_every_search_api_has_a_real_payload():
    assert {api for api, _ in FILES} == set(PAYLOADS)


@pytest.mark.parametrize(("api", "path"), FILES, ids=[f"{a}/{p.name}" for a, p in FILES])
def test_every_record_becomes_an_item(crawls, api, path):
    crawl = crawls[f"{api}/{path.name}"]
    if isinstance(crawl, Exception):
        raise crawl
    wanted = EXPECTED[api](path)
    assert wanted, "a payload with no records tests nothing"
    assert sorted(i["source_id"] for i in crawl.items) == sorted(w.source_id for w in wanted)
    assert crawl.stat(f"skillscout/{api}/skipped") == 0
    for want in wanted:
        item = crawl.item(source_id=want.source_id)
        assert item["title"] == want.title
        assert item["company"] == (" ".join(want.company.split()) if want.company else None), want.source_id
        if want.location == "*":
            assert item["location"], want.source_id
        else:
            assert item["location"] == tidy_location(want.location), want.source_id
        if want.pay is not None:
            assert (item["salary_min"], item["salary_max"]) == want.pay, want.source_id
        assert item["description_truncated"] is want.truncated, want.source_id
        assert item["description"] and "<" not in item["description"], want.source_id
    if api == "adzuna":
        estimated = sum(w.pay is None for w in wanted)
        assert crawl.stat("skillscout/adzuna/salary_estimated") == estimated


def test_reed_details_give_the_whole_ad(tmp_path):
    """The recorded /jobs/{id} answer, behind a one-result search made from it at run time."""
    recorded = REAL_PAYLOADS / "reed" / "nomidomi_huntdora_job_detail.json"
    detail = _json(recorded)
    fields = ("jobId", "employerId", "employerName", "jobTitle", "locationName", "minimumSalary",
              "maximumSalary", "currency", "expirationDate", "jobUrl")
    result = {**{k: detail[k] for k in fields}, "date": detail["datePosted"],
              "jobDescription": "cut short... "}
    (tmp_path / "search.json").write_text(json.dumps({"results": [result], "totalResults": 1}))
    (tmp_path / "detail.json").write_text(recorded.read_text())
    routes = [{"path": "/api/1.0/search", "file": "search.json", "content_type": JSON},
              {"path": f"/api/1.0/jobs/{detail['jobId']}", "file": "detail.json", "content_type": JSON}]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REED_API_KEY", "real-test-reed")
        crawl = crawl_all({"reed": Case("reed", tmp_path, routes, args={"keywords": "accountant"})},
                          tmp_path / "out")["reed"]
    if isinstance(crawl, Exception):
        raise crawl
    (item,) = crawl.items
    assert item["description_truncated"] is False
    assert len(item["description"]) > 500 and "<" not in item["description"]
    assert (item["salary_min"], item["salary_max"], item["salary_period"]) == (
        detail["minimumSalary"], detail["maximumSalary"], "year")
    assert item["employment_type"] == "full_time"  # contractType "Permanent", fullTime true


def test_scrapy_crawl_on_a_real_payload(tmp_path):
    """As a Scrapy user runs it: `scrapy crawl NAME -a api_url=...` writes the items."""
    path = REAL_PAYLOADS / "themuse" / "habebryt_taxlyacademy_jobs.json"
    out = tmp_path / "jobs.jsonl"
    with serve_fixtures(path.parent, [_route("themuse", path)]) as server:
        subprocess.run([sys.executable, "-m", "scrapy", "crawl", "themuse", "-a", f"api_url={server.url}",
                        "-a", "max_pages=1", "-O", str(out), "-s", "DOWNLOAD_DELAY=0",
                        "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, check=True, capture_output=True, timeout=120)
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(i["source_id"] for i in items) == sorted(w.source_id for w in _themuse(path))


def test_the_flow_loads_every_real_payload(prefect_harness, tmp_path):
    """Each search API's first real payload through crawl → extract → load, keeping every role
    (one per API: a crawl is a process, and this machine has two cores)."""
    from flows.flow import crawl_flow
    from pipeline.db import open_store

    with ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        for name, value in KEYS.items():
            env.setenv(name, value)
        sources = []
        for api, path in FLOW_FILES:
            server = stack.enter_context(serve_fixtures(path.parent, [_route(api, path)]))
            sources.append({"spider": api, "name": f"{api}/{path.name}", "api_url": server.url, "keep": "all",
                            "allow_private": True, **_args(api, path)})
        summary = crawl_flow(sources=sources, db=str(tmp_path / "real.duckdb"),
                             scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0, keep_items=True)
    assert summary["status"] == "ok", [s for s in summary["sources"] if s["status"] != "ok"]
    by_source = {s["source"]: s for s in summary["sources"]}
    with open_store(tmp_path / "real.duckdb", read_only=True) as con:
        for api, path in FLOW_FILES:
            wanted = {w.source_id: w for w in EXPECTED[api](path)}
            assert by_source[f"{api}/{path.name}"]["items"] == len(wanted)
            rows = con.execute("SELECT source_id, title, description_truncated FROM jobs WHERE source = ?",
                               [api]).fetchall()
            stored = {sid: (title, cut) for sid, title, cut in rows if sid in wanted}
            assert set(stored) == set(wanted), api
            assert all(stored[sid] == (w.title, w.truncated) for sid, w in wanted.items()), api
        health = dict(con.execute("SELECT source, truncated_description FROM crawl_source_runs").fetchall())
        dump = "\n".join(str(r) for r in con.execute("SELECT * FROM crawl_source_runs").fetchall())
    assert health["adzuna/habebryt_taxlyacademy_gb_search.json"] == 1.0
    assert health["themuse/habebryt_taxlyacademy_jobs.json"] == 0.0
    run_files = "\n".join(p.read_text(errors="replace") for p in (tmp_path / "runs").rglob("*")
                          if p.is_file())
    for secret in (v for k, v in KEYS.items() if k != "USAJOBS_EMAIL"):
        assert secret not in run_files and secret not in dump
    assert os.environ.get("REED_API_KEY") != "real-test-reed"
