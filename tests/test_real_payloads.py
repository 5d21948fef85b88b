"""The spiders against real API responses recorded by other open-source projects
(`../shared/real-payloads/<api>/`, see its README), each served on 127.0.0.1 at the path its
spider requests: every record must become an item with the title, company, URL and
description the record has. Our own fixtures are written in these shapes; this checks the
shapes themselves."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from lxml import etree
from source_crawl import Case, Crawl, crawl_all

from scrapers.bases.remoteok import fix_mojibake

REAL_PAYLOADS = ROOT.parent / "shared" / "real-payloads"
if not REAL_PAYLOADS.is_dir():
    pytest.skip("real payloads are not distributed with skillscout", allow_module_level=True)


@dataclass
class Expected:
    """What an item made from one record must show; None where the record has nothing."""

    source_id: str
    title: str
    company: str | None
    url: str | None
    description: bool


@dataclass
class Api:
    spider: str
    args: dict[str, str]
    path: str
    query: str | None
    content_type: str
    expected: Callable[[Path, str], list[Expected]]  # (payload file, server base URL)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _has(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _lever(path: Path, base: str) -> list[Expected]:
    return [Expected(p["id"], p["text"], "test", p["hostedUrl"], _has(p.get("description")))
            for p in _json(path)]


def _greenhouse(path: Path, base: str) -> list[Expected]:
    return [Expected(str(j["id"]), j["title"], j.get("company_name"), j["absolute_url"],
                     _has(j.get("content"))) for j in _json(path)["jobs"]]


def _ashby(path: Path, base: str) -> list[Expected]:
    return [Expected(j["id"], j["title"], "test", j["jobUrl"], _has(j.get("descriptionHtml")))
            for j in _json(path)["jobs"] if j.get("isListed", True)]


def _workable(path: Path, base: str) -> list[Expected]:
    data = _json(path)
    by_code = {j["shortcode"]: j for j in data["jobs"]}  # one item per job, not per location
    return [Expected(code, j["title"], data.get("name"), j["url"], _has(j.get("description")))
            for code, j in by_code.items()]


def _smartrecruiters(path: Path, base: str) -> list[Expected]:
    # The list has no ad text and no page URL; its `ref` names the real API, which the
    # spider must not call, so the public job URL is built from the summary.
    return [Expected(p["id"], p["name"], p["company"]["name"],
                     f"https://jobs.smartrecruiters.com/{p['company']['identifier']}/{p['id']}", False)
            for p in _json(path)["content"]]


def _recruitee(path: Path, base: str) -> list[Expected]:
    return [Expected(str(o["id"]), o["title"], o.get("company_name"), o["careers_url"],
                     _has(o.get("description"))) for o in _json(path)["offers"]]


def _personio(path: Path, base: str) -> list[Expected]:
    root = etree.parse(str(path)).getroot()
    return [Expected(p.findtext("id").strip(), p.findtext("name").strip(),
                     (p.findtext("subcompany") or "").strip() or "test",
                     f"{base}/job/{p.findtext('id').strip()}",
                     any(_has(v.text) for v in p.iter("value")))
            for p in root.iter("position")]


def _remoteok(path: Path, base: str) -> list[Expected]:
    return [Expected(j["id"], fix_mojibake(j["position"]), fix_mojibake(j.get("company")), j["url"],
                     _has(j.get("description"))) for j in _json(path) if "position" in j]


def _remotive(path: Path, base: str) -> list[Expected]:
    return [Expected(str(j["id"]), j["title"], j.get("company_name"), j["url"],
                     _has(j.get("description"))) for j in _json(path)["jobs"]]


def _arbeitnow(path: Path, base: str) -> list[Expected]:
    return [Expected(j["slug"], j["title"], j.get("company_name"), j["url"],
                     _has(j.get("description"))) for j in _json(path)["data"]]


JSON = "application/json; charset=utf-8"
APIS = {
    "lever": Api("lever", {"site": "test"}, "/v0/postings/test", "mode=json", JSON, _lever),
    "greenhouse": Api("greenhouse", {"board": "test"}, "/v1/boards/test/jobs",
                      "content=true&pay_transparency=true", JSON, _greenhouse),
    "ashby": Api("ashby", {"board": "test"}, "/posting-api/job-board/test",
                 "includeCompensation=true", JSON, _ashby),
    "workable": Api("workable", {"account": "test"}, "/api/v1/widget/accounts/test", "details=true",
                    JSON, _workable),
    "smartrecruiters": Api("smartrecruiters", {"company": "test"}, "/v1/companies/test/postings",
                           "offset=0&limit=100", JSON, _smartrecruiters),
    "recruitee": Api("recruitee", {"company": "test"}, "/api/offers/", None, JSON, _recruitee),
    "personio": Api("personio", {"company": "test"}, "/xml", "language=en", "text/xml; charset=UTF-8",
                    _personio),
    "remoteok": Api("remoteok", {}, "/api", None, JSON, _remoteok),
    "remotive": Api("remotive", {}, "/api/remote-jobs", None, JSON, _remotive),
    "arbeitnow": Api("arbeitnow", {}, "/api/job-board-api", None, JSON, _arbeitnow),
}
PAYLOADS = sorted((api, path) for api in APIS for path in (REAL_PAYLOADS / api).glob("*")
                  if path.is_file())


def _case(api: Api, path: Path) -> Case:
    route = {"path": api.path, "file": path.name, "content_type": api.content_type}
    return Case(api.spider, path.parent, [{**route, "query": api.query} if api.query else route],
                args=api.args)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, Crawl | Exception]:
    cases = {f"{api}/{path.name}": _case(APIS[api], path) for api, path in PAYLOADS}
    return crawl_all(cases, tmp_path_factory.mktemp("real"))


def test_every_api_has_a_real_payload():
    assert {api for api, _ in PAYLOADS} == set(APIS)


@pytest.mark.parametrize(("api", "path"), PAYLOADS, ids=[f"{a}/{p.name}" for a, p in PAYLOADS])
def test_every_record_becomes_an_item(crawls, api, path):
    crawl = crawls[f"{api}/{path.name}"]
    if isinstance(crawl, Exception):
        raise crawl
    expected = APIS[api].expected(path, crawl.base)
    assert expected, "a payload with no records tests nothing"
    assert sorted(i["source_id"] for i in crawl.items) == sorted(e.source_id for e in expected)
    assert crawl.stat(f"skillscout/{APIS[api].spider}/skipped") == 0
    for want in expected:
        item = crawl.item(source_id=want.source_id)
        assert item["title"] == " ".join(want.title.split())
        if want.company:
            assert item["company"] == " ".join(want.company.split())
        assert item["url"] == want.url
        if want.description:
            assert item["description"] and "<" not in item["description"], want.source_id
