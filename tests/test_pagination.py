"""A job board behind many listing pages is crawled to its last page: pagination is not
depth (issue 12, wrong answer 4), and a page cap, when reached, shows in crawl health."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import TEST_CRAWL_SETTINGS

from flows.crawl import read_items, run_crawl
from flows.sources import Source
from pipeline.db import connect
from pipeline.loading import SourceCrawl, load_source

PAGES, PER_PAGE = 40, 10


def _listing(page: int) -> str:
    cards = "".join(f'<li><a href="/board/job/{(page - 1) * PER_PAGE + n}.html">Job {n}</a></li>'
                    for n in range(PER_PAGE))
    nav = f'<a rel="prev" href="/board/?page={page - 1}">Previous</a>' if page > 1 else ""
    if page < PAGES:  # only the next page: page 40 is 39 hops from page 1 by links
        nav += f' <a rel="next" href="/board/?page={page + 1}">Next</a>'
    return f"<html><body><ul>{cards}</ul><nav>{nav}</nav><a href='/about.html'>About</a></body></html>"


def _detail(n: int) -> str:
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": f"Data Analyst {n}",
            "identifier": str(n), "hiringOrganization": {"@type": "Organization", "name": "Longboard Ltd"},
            "jobLocation": {"@type": "Place",
                            "address": {"addressLocality": "Leeds", "addressCountry": "GB"}},
            "datePosted": "2026-11-01", "description": "<p>SQL and Python.</p>"}
    return (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script></head>"
            f"<body><a href='/board/'>All jobs</a></body></html>")


class _Board(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/robots.txt":
            body = "User-agent: *\nDisallow:\n"
        elif url.path == "/board/":
            body = _listing(int(parse_qs(url.query).get("page", ["1"])[0]))
        elif url.path.startswith("/board/job/"):
            body = _detail(int(url.path.rsplit("/", 1)[1].removesuffix(".html")))
        else:
            body = "<html><body>About us</body></html>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def long_board() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Board)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def board_url():
    with long_board() as url:
        yield url


def test_a_board_is_crawled_to_its_last_listing_page(board_url, tmp_path):
    output = run_crawl(Source("jobposting", {"start_url": f"{board_url}/board/"}, timeout=300), tmp_path,
                       TEST_CRAWL_SETTINGS)
    titles = {item["title"] for item in read_items(output.items_path)}
    assert len(titles) == PAGES * PER_PAGE  # every ad, not the first pages' worth
    assert "skillscout/pagination/page_cap_reached" not in output.stats


def test_the_page_cap_is_a_setting_and_shows_in_crawl_health(board_url, tmp_path):
    source = Source("jobposting", {"start_url": f"{board_url}/board/"}, timeout=300,
                    settings=(("SKILLSCOUT_MAX_LISTING_PAGES", 5),))
    output = run_crawl(source, tmp_path, TEST_CRAWL_SETTINGS)
    items = read_items(output.items_path)
    assert len(items) == 5 * PER_PAGE
    assert output.stats["skillscout/pagination/page_cap_reached"] == 5
    con = connect(tmp_path / "store.duckdb")
    try:
        crawl = SourceCrawl(source.key, "jobposting", [{**i, "skills": []} for i in items], len(items),
                            output.stats)
        summary = load_source(con, "r1", crawl, crawl_started=_now())
        (error,), = con.execute("SELECT error FROM crawl_source_runs").fetchall()
    finally:
        con.close()
    assert "page cap of 5 listing pages" in summary.warning and "page cap" in error


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)
