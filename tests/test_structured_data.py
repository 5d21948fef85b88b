"""Reading schema.org JobPosting out of a page, replayed through `HtmlResponse`: JSON-LD
blocks that are broken, `@graph`s that refer by `@id`, and microdata."""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from scrapers.bases.microdata import iter_microdata
from scrapers.bases.structured_data import StructuredDataSpider, iter_json_ld, resolve_refs


class _Crawler:
    """Just what the spider uses of a crawler: its stats."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)


def _page(head: str, body: str = "") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse("https://careers.example/jobs/1", body=html.encode(), encoding="utf-8")


def _jobs(response: HtmlResponse) -> tuple[list, dict]:
    spider = StructuredDataSpider(name="test")
    spider.crawler = _Crawler()
    return list(spider.parse_job_page(response)), spider.crawler.stats.get_stats()


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def test_a_trailing_comma_is_counted_and_forgiven():
    page = _page(_ld('{"@type": "JobPosting", "title": "Data Engineer", "url": "/jobs/1",}')
                 + _ld("{not json at all") + _ld('{"@type": "JobPosting", "title": "BI Analyst"}'))
    jobs, stats = _jobs(page)
    assert [j.title for j in jobs] == ["Data Engineer", "BI Analyst"]
    assert stats["skillscout/jsonld/malformed"] == 2


def test_graph_references_are_resolved_and_cycles_end():
    graph = ('{"@context": "https://schema.org", "@graph": ['
             '{"@type": "Organization", "@id": "#org", "name": "Acme &amp; Co",'
             ' "parent": {"@id": "#org"}},'
             '{"@type": "JobPosting", "title": "Analyst &#8211; Pricing",'
             ' "hiringOrganization": {"@id": "#org"}}]}')
    jobs, _ = _jobs(_page(_ld(graph)))
    assert (jobs[0].title, jobs[0].company) == ("Analyst – Pricing", "Acme & Co")
    node = {"@id": "#a", "next": {"@id": "#a"}}
    assert resolve_refs(node, {"#a": node})  # a self-reference stops at the depth limit


def test_microdata_only_when_there_is_no_json_ld_job():
    body = ('<div itemscope itemtype="https://schema.org/JobPosting">'
            '<h1 itemprop="title">Data Analyst</h1>'
            '<span itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">'
            '<span itemprop="name">Acme</span></span>'
            '<a itemprop="url" href="/jobs/data-analyst">Apply</a>'
            '<span itemprop="skills">SQL</span><span itemprop="skills">Excel</span>'
            '<div itemprop="description"><p>Build <b>reports</b>.</p><ul><li>SQL</li></ul></div></div>')
    jobs, stats = _jobs(_page("", body))
    assert (jobs[0].title, jobs[0].company) == ("Data Analyst", "Acme")
    assert jobs[0].url == "https://careers.example/jobs/data-analyst"
    assert jobs[0].description_html == "<p>Build <b>reports</b>.</p><ul><li>SQL</li></ul>"
    assert stats["skillscout/microdata/jobs"] == 1
    item = next(iter_microdata(body))
    assert item["skills"] == ["SQL", "Excel"] and item["hiringOrganization"]["name"] == "Acme"
    json_ld_too = _page(_ld('{"@type": "JobPosting", "title": "From JSON-LD"}'), body)
    assert [j.title for j in _jobs(json_ld_too)[0]] == ["From JSON-LD"]


def test_pages_without_jobs_give_nothing():
    page = _page(_ld('{"@type": "Organization", "name": "Acme"}'), "<p>About us</p>")
    assert _jobs(page)[0] == []
    assert list(iter_json_ld(_page(_ld("[]")))) == []
