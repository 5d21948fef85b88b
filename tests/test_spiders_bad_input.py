"""Source spiders against broken input, through the real Scrapy engine: records of the wrong
shape or missing what a job needs are skipped and counted (`skillscout/<spider>/skipped`),
never the end of the crawl; a response that is not JSON at all fails the crawl loudly; bad
spider arguments are refused before anything is fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fixture_server import SOURCES
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from source_crawl import Case, crawl_all, crawl_case

from flows.crawl import CrawlError, run_crawl
from flows.sources import Source

_BOARD = yaml.safe_load((SOURCES / "htmlboard" / "source.yaml").read_text(encoding="utf-8"))
HTMLBOARD_SELECTORS = {"listing": _BOARD["listing"], "detail": _BOARD["detail"]}


def _write(folder: Path, routes: list[dict], files: dict[str, object]) -> list[dict]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (folder / name).write_text(text, encoding="utf-8")
    return routes


def _json_route(path: str, file: str, query: str | None = None) -> dict:
    route = {"path": path, "file": file, "content_type": "application/json"}
    return {**route, "query": query} if query else route


def _fixture(source: str, name: str):
    return json.loads((SOURCES / source / name).read_text(encoding="utf-8"))


def _broken_cases(root: Path) -> dict[str, tuple[Case, int, dict[str, int]]]:
    """name -> (case, items expected, stats expected)."""
    lever = _fixture("lever", "postings.json")[0]
    ashby = _fixture("ashby", "job-board.json")["jobs"][0]
    workable = _fixture("workable", "widget.json")["jobs"][0]
    recruitee = _fixture("recruitee", "offers.json")["offers"][0]
    remoteok = _fixture("remoteok", "api.json")[:2]
    remotive = _fixture("remotive", "remote-jobs.json")["jobs"][0]
    arbeitnow = _fixture("arbeitnow", "page-2.json")["data"][0]
    cases: dict[str, tuple[Case, int, dict[str, int]]] = {}

    def add(name, spider, routes, files, args, items, stats, api_url=True):
        routes = _write(root / name, routes, files)
        cases[name] = (Case(spider, root / name, routes, api_url, args), items, stats)

    add("lever", "lever", [_json_route("/v0/postings/acme", "p.json", "mode=json")],
        {"p.json": [lever, "not a posting", {"id": "x1", "hostedUrl": "{BASE}/x1"},
                    {"id": "x2", "text": "Data Engineer", "hostedUrl": "{BASE}/x2",
                     "categories": ["London"]},
                    {"id": "x3", "text": {"en": "Data Engineer"}, "hostedUrl": "{BASE}/x3"}]},
        {"site": "acme"}, 1, {"skillscout/lever/skipped": 4})
    add("ashby", "ashby", [_json_route("/posting-api/job-board/acme", "b.json")],
        {"b.json": {"jobs": [ashby, 7, {"id": "a", "title": "Data Analyst", "jobUrl": None}]}},
        {"board": "acme"}, 1, {"skillscout/ashby/skipped": 2})
    add("workable", "workable", [_json_route("/api/v1/widget/accounts/acme", "w.json")],
        {"w.json": {"name": "Acme", "jobs": [workable, "junk", {"shortcode": "Z", "title": "BI"}]}},
        {"account": "acme"}, 1, {"skillscout/workable/skipped": 2})
    add("smartrecruiters", "smartrecruiters",
        [_json_route("/v1/companies/acme/postings", "page.json", "offset=0&limit=100")],
        {"page.json": {"offset": 0, "limit": 100, "totalFound": 3, "content": [
            {"id": "1", "name": "Data Analyst", "company": {"identifier": "Acme", "name": "Acme"},
             "ref": "https://api.smartrecruiters.com/v1/companies/acme/postings/1"},
            "junk", {"name": "no id"}]}},
        {"company": "acme"}, 1,
        {"skillscout/smartrecruiters/skipped": 2, "skillscout/smartrecruiters/detail_failed": 1})
    add("recruitee", "recruitee", [_json_route("/api/offers/", "o.json")],
        {"o.json": {"offers": [recruitee, None, {"id": 9, "title": "BI", "careers_url": 12}]}},
        {"company": "acme"}, 1, {"skillscout/recruitee/skipped": 2})
    add("personio", "personio",
        [{"path": "/xml", "file": "p.xml", "content_type": "text/xml"}],
        {"p.xml": "<workzag-jobs><position><id>1</id><name>Data Engineer</name></position>"
                  "<position><name>No id</name></position><position><id>3</id></position>"
                  "<position><id>4</id><name>Broken <jobDescriptions></position></workzag-jobs>"},
        {"company": "acme"}, 2, {"skillscout/personio/skipped": 2})
    add("remoteok", "remoteok", [_json_route("/api", "a.json")],
        {"a.json": [*remoteok, "junk", {"id": "9", "position": ["Data"], "url": "{BASE}/9"}]},
        {}, 1, {"skillscout/remoteok/skipped": 2})
    add("remotive", "remotive", [_json_route("/api/remote-jobs", "r.json")],
        {"r.json": {"jobs": [remotive, {"id": 5}, []]}}, {}, 1, {"skillscout/remotive/skipped": 2})
    add("arbeitnow", "arbeitnow",
        [_json_route("/api/job-board-api", "2.json", "page=2"), _json_route("/api/job-board-api", "1.json")],
        {"1.json": {"data": [arbeitnow, {"slug": "s", "title": None}],
                    "links": {"next": "https://www.arbeitnow.com/api/job-board-api?page=2"}},
         "2.json": {"data": "oops", "links": {"next": None}}},
        {}, 1, {"skillscout/arbeitnow/skipped": 2})
    add("hackernews", "hackernews",
        [_json_route("/api/v1/search_by_date", "s.json"), _json_route("/api/v1/items/7", "i.json")],
        {"s.json": {"hits": [{"objectID": "7", "title": "Ask HN: Who is hiring? (May 2027)",
                              "created_at_i": 1}]},
         "i.json": {"id": 7, "children": [
             {"id": 1, "text": "Acme | Data Engineer | Leeds | ONSITE", "created_at_i": 2},
             {"id": 2, "text": None}, {"id": 3, "text": "Great thread, thanks for posting!"}, 42,
             {"id": 5, "text": "Globex | Data Scientist | York", "children": [
                 {"id": 6, "text": "Initech | ML Engineer | a reply, not a job"}]}]}},
        {}, 2, {"skillscout/hackernews/skipped": 1, "skillscout/hackernews/deleted": 1,
                "skillscout/hackernews/unparsed": 1})
    add("htmlboard", "htmlboard",
        [{"path": "/jobs", "file": "list.html"}, {"path": "/job/1", "file": "1.html"},
         {"path": "/job/2", "file": "2.html"}],
        {"list.html": '<div class="job-card"><a class="job-title" href="/job/1">Data Analyst</a></div>'
                      '<div class="job-card"><a class="job-title">No link</a></div>'
                      '<div class="job-card"><a class="job-title" href="/job/2"></a></div>',
         "1.html": '<h1 class="title">Data Analyst</h1>', "2.html": "<p>No title here</p>"},
        {"start_url": "{BASE}/jobs", "selectors": json.dumps(HTMLBOARD_SELECTORS)},
        1, {"skillscout/htmlboard/skipped": 2}, api_url=False)
    return cases


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    cases = _broken_cases(root / "payloads")
    crawls = crawl_all({name: case for name, (case, _, _) in cases.items()}, root / "out")
    return {name: (crawls[name], items, stats) for name, (_, items, stats) in cases.items()}


@pytest.mark.parametrize("name", ["lever", "ashby", "workable", "smartrecruiters", "recruitee",
                                  "personio", "remoteok", "remotive", "arbeitnow", "hackernews",
                                  "htmlboard"])
def test_broken_records_are_skipped_and_counted(broken, name):
    crawl, items, stats = broken[name]
    if isinstance(crawl, Exception):
        raise crawl
    assert crawl.stats["finish_reason"] == "finished"
    assert len(crawl.items) == items, [i["title"] for i in crawl.items]
    for key, count in stats.items():
        assert crawl.stat(key) == count, key
    assert crawl.stat("spider_exceptions") == 0
    assert not any(k.startswith("spider_exceptions/") for k in crawl.stats)


def test_smartrecruiters_without_details_keeps_the_summary(broken):
    crawl = broken["smartrecruiters"][0]
    item = crawl.item(source_id="1")
    assert item["url"] == "https://jobs.smartrecruiters.com/Acme/1"  # not the real API's ref
    assert "/v1/companies/acme/postings/1" in crawl.requests


def test_arbeitnow_next_link_stays_on_the_api_it_was_given(broken):
    assert "/api/job-board-api?page=2" in broken["arbeitnow"][0].requests


def test_hackernews_skips_replies_and_free_text_without_a_role(broken):
    crawl = broken["hackernews"][0]
    assert sorted(i["source_id"] for i in crawl.items) == ["1", "5"]


def test_a_response_that_is_not_json_fails_the_crawl_loudly(tmp_path):
    routes = _write(tmp_path / "site", [{"path": "/v0/postings/acme", "file": "x.html",
                                         "content_type": "text/html"}],
                    {"x.html": "<html>Service unavailable</html>"})
    with pytest.raises(CrawlError, match=r"no items: http://\S+/v0/postings/acme\?mode=json is not JSON"):
        crawl_case(Case("lever", tmp_path / "site", routes, args={"site": "acme"}), tmp_path / "out")
    log = (tmp_path / "out" / "lever_acme.log").read_text()
    assert "/v0/postings/acme?mode=json is not JSON" in log and "Traceback" not in log


def test_missing_arguments_are_reported_by_the_crawl(tmp_path):
    with pytest.raises(CrawlError, match="-a site="):
        run_crawl(Source("lever", {}), tmp_path)


@pytest.mark.parametrize(("spider", "args", "message"), [
    ("lever", {}, "-a site="), ("ashby", {}, "-a board="), ("workable", {}, "-a account="),
    ("smartrecruiters", {}, "-a company="), ("recruitee", {}, "-a company="),
    ("personio", {}, "-a company="), ("jobposting_sitemap", {}, "start_url"),
    ("jobposting_sitemap", {"start_url": "careers.example.com"}, "http"),
    ("htmlboard", {"selectors": "{}"}, "start_url"),
    ("htmlboard", {"start_url": "https://board.example/"}, "selectors"),
    ("htmlboard", {"start_url": "https://board.example/", "selectors": "{not json"}, "JSON"),
    ("htmlboard", {"start_url": "https://board.example/", "selectors": '{"link": "a"}'}, "card"),
    ("htmlboard", {"start_url": "https://board.example/",
                   "selectors": '{"card": "li", "fields": {"salery": "b"}}'}, "salery"),
    ("htmlboard", {"start_url": "https://board.example/", "selectors": '{"card": "li[["}'}, "CSS"),
])
def test_spider_arguments_are_checked(spider, args, message):
    loader = SpiderLoader(Settings({"SPIDER_MODULES": ["scrapers.spiders"]}))
    with pytest.raises(ValueError, match=message):
        loader.load(spider)(**args)
