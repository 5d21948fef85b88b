"""`scrapers.links.PageLinks` finds exactly the links Scrapy's `LinkExtractor()` finds, in the
same order, however many pages it has seen before: on hand-made pages with every kind of
href, and on every page of the demo board."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from flows.demo_board import DemoBoard, render_detail, render_listing
from scrapers.links import PageLinks

HREFS = [
    "/jobs/", "/jobs/?page=2", "/jobs/?b=2&a=1", "/jobs/?a=1&b=2", "jobs/data-analyst.html",
    "../about.html", "?page=3", "#apply", "", "  /padded.html\n", "https://example.org/jobs/1",
    "HTTPS://Example.org/Jobs/1", "//cdn.example.org/logo.png", "//other.example.org/jobs/",
    "/brochure.pdf", "/JOBS.PDF", "mailto:jobs@example.org", "javascript:void(0)", "tel:+441234",
    "/caf\u00e9/r\u00f4le.html", "/a b.html", "/jobs/1#top", "/jobs/1#bottom", "http://[bad/", "/jobs/",
]


def _page(url: str, hrefs: list[str], base: str | None = None, encoding: str = "utf-8") -> HtmlResponse:
    head = f'<base href="{base}">' if base else ""
    anchors = "".join(f'<a href="{h}">link</a>' for h in hrefs)
    body = (f'<html><head><meta charset="{encoding}">{head}</head><body>{anchors}'
            '<map><area href="/area.html"></map><a>no href</a></body></html>')
    return HtmlResponse(url, body=body.encode(encoding), encoding=encoding)


def _expected(response: HtmlResponse) -> list[str]:
    return [link.url for link in LinkExtractor().extract_links(response)]


def test_every_kind_of_href_resolves_as_link_extractor_does():
    links = PageLinks()
    pages = [
        _page("https://example.org/jobs/", HREFS),
        _page("https://example.org/jobs/data/", HREFS),  # the same hrefs, another folder
        _page("https://example.org/jobs/?page=2", HREFS),  # ... and another query
        _page("http://example.org/jobs/", HREFS),  # ... another scheme
        _page("https://example.org:8443/jobs/", HREFS),  # ... another port
        _page("https://example.org/jobs/", HREFS, base="https://mirror.example.net/x/"),
        _page("https://example.org/jobs/", HREFS, encoding="latin-1"),
        _page("https://example.org/jobs/", HREFS),  # the first page again, all remembered
    ]
    for response in pages:
        assert links.urls(response) == _expected(response), response.url


def test_demo_board_pages_give_the_links_link_extractor_gives():
    board = DemoBoard.load()
    links = PageLinks()
    base = "http://127.0.0.1:8123"
    pages = [HtmlResponse(f"{base}/jobs/?page={n}", body=render_listing(board, n), encoding="utf-8")
             for n in range(1, 4) if render_listing(board, n)]
    pages += [HtmlResponse(f"{base}/jobs/{ad['slug']}.html", body=render_detail(board, ad), encoding="utf-8")
              for ad in board.board_ads()]
    assert len(pages) > 20
    found = 0
    for response in pages:
        urls = links.urls(response)
        assert urls == _expected(response), response.url
        found += len(urls)
    assert found > len(pages)  # the pages do link each other


@pytest.mark.parametrize("href", ["/jobs/1", "jobs/1", "?page=2"])
def test_a_remembered_link_is_still_resolved_against_its_own_page(href):
    links = PageLinks()
    first = _page("https://example.org/a/", [href])
    second = _page("https://example.org/b/c", [href])
    assert links.urls(first) == _expected(first)
    assert links.urls(second) == _expected(second)


def test_a_json_page_has_no_links():
    from scrapy.http import TextResponse

    assert PageLinks().urls(TextResponse("https://example.org/api", body=b'{"jobs": []}')) == []
