"""A local job board of N synthetic ads, fast enough not to be what a benchmark measures.

The pages are the demo board's (`flows.demo_board` renders them), rendered once at start
into complete HTTP responses: JSON-LD detail pages and paginated listings under `/jobs/`,
and the Greenhouse-format API under `/v1/boards/<token>` with hosted job pages under
`/boards/<token>/jobs/<id>`. The server runs in its own process so that its work does not
share a GIL with the client being measured."""

from __future__ import annotations

import json
import math
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flows.demo_board import PAGE_SIZE, DemoBoard, greenhouse_job, render_detail, render_listing

_HOME = (b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Benchmark board"
         b"</title></head><body><h1>Benchmark board</h1><p><a href=\"/jobs/\">All jobs</a></p>"
         b"</body></html>")
_NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Page not found</h1>"
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


class SyntheticBoard(DemoBoard):
    """A DemoBoard whose ad lists are computed once. The demo renderers ask for the sorted
    board list on every page (for related jobs), which is nothing for 68 ads but makes
    rendering N pages O(N² log N). Nothing is ever hidden on this board."""

    def board_ads(self) -> list[dict[str, Any]]:
        if "_board_ads" not in self.__dict__:
            self.__dict__["_board_ads"] = super().board_ads()
        return self.__dict__["_board_ads"]

    def greenhouse_ads(self, token: str) -> list[dict[str, Any]]:
        cache = self.__dict__.setdefault("_greenhouse_ads", {})
        if token not in cache:
            cache[token] = super().greenhouse_ads(token)
        return cache[token]


class _RelatedOnly(DemoBoard):
    """What `render_detail` needs of a board: the companies and the newest few ads, for its
    "Related Jobs". It filters the whole board list for them on every page, O(N) a page."""

    def __init__(self, board: SyntheticBoard) -> None:
        super().__init__(board.board_ads()[:4], board.companies)

    def board_ads(self) -> list[dict[str, Any]]:
        return self.ads


def board_for(n: int, seed: int = 0) -> SyntheticBoard:
    from bench import synthetic

    plain = synthetic.board(n, seed)
    return SyntheticBoard(plain.ads, plain.companies)


def listing_pages(ads: int) -> int:
    return max(1, math.ceil(ads / PAGE_SIZE))


def ads_for_pages(pages: int) -> int:
    """How many ads make a board of about `pages` HTML pages (details, listings, `/jobs/`
    and the home page), as the `jobposting` spider crawls it."""
    return max(1, math.floor((pages - 2) * PAGE_SIZE / (PAGE_SIZE + 1)))


def _response(body: bytes, content_type: str = HTML, status: str = "200 OK") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def render_site(board: SyntheticBoard, base_url: str) -> tuple[dict[str, bytes], list[str]]:
    """Every response the site can give, keyed by request path (query included), and the
    HTML pages a crawler of the board finds, in crawl order."""
    ads = board.board_ads()
    site: dict[str, bytes] = {"/robots.txt": _response(b"User-agent: *\nAllow: /\n", "text/plain"),
                              "/": _response(_HOME)}
    crawlable = ["/", "/jobs/"]
    for page in range(1, listing_pages(len(ads)) + 1):
        body = render_listing(board, page) or b""
        site[f"/jobs/?page={page}"] = _response(body)
        if page == 1:
            site["/jobs/"] = site["/jobs/?page=1"]
        crawlable.append(f"/jobs/?page={page}")
    related = _RelatedOnly(board)
    details = {ad["id"]: _response(render_detail(related, ad)) for ad in board.ads}
    for ad in ads:
        site[f"/jobs/{ad['slug']}.html"] = details[ad["id"]]
        crawlable.append(f"/jobs/{ad['slug']}.html")
    for token in board.greenhouse_boards():
        company = next(c for c in board.companies.values() if c.get("greenhouse_board") == token)
        gh_ads = board.greenhouse_ads(token)
        site[f"/v1/boards/{token}"] = _response(json.dumps(
            {"name": company["name"], "content": f"<p>{company['sector']}</p>"}).encode(), JSON)
        for content in (False, True):
            jobs = [greenhouse_job(board, ad, base_url, token, content) for ad in gh_ads]
            key = f"/v1/boards/{token}/jobs" + ("?content=true" if content else "")
            site[key] = _response(json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}).encode(),
                                  JSON)
        for ad in gh_ads:
            job = greenhouse_job(board, ad, base_url, token, True)
            site[f"/v1/boards/{token}/jobs/{ad['greenhouse_id']}"] = _response(
                json.dumps(job).encode(), JSON)
            site[f"/boards/{token}/jobs/{ad['greenhouse_id']}"] = details[ad["id"]]
    return site, crawlable


def _canonical(path: str) -> str:
    """The key of a request that is not spelled as the site's own links spell it, e.g. the
    Greenhouse spider's `?content=true&pay_transparency=true`."""
    url = urlsplit(path)
    query = parse_qs(url.query)
    if url.path.rstrip("/") == "/jobs":
        return f"/jobs/?page={query.get('page', ['1'])[0]}"
    if url.path.startswith("/v1/boards/") and url.path.endswith("/jobs"):
        return url.path + ("?content=true" if query.get("content", [""])[0] == "true" else "")
    return url.path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # 32 clients connecting at once overflow the default backlog of 5, and a dropped SYN
    # costs the client a one-second retransmit.
    request_queue_size = 1024
    site: dict[str, bytes]


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as real servers do: a new connection and thread per page would measure
    # this server, not the crawler.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        response = site.get(self.path) or site.get(_canonical(self.path))
        if response is None:
            response = _response(_NOT_FOUND, status="404 Not Found")
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(response)


@dataclass
class Site:
    base_url: str
    ads: int
    pages: list[str]  # HTML pages of the board, as paths: what the `jobposting` spider fetches
    greenhouse_boards: list[str]
    bytes_served: int  # total size of `pages`' bodies and headers

    def urls(self) -> list[str]:
        return [self.base_url + p for p in ["/robots.txt", *self.pages]]


def _serve(n: int, seed: int, conn: Any) -> None:
    server = _Server(("127.0.0.1", 0), _Handler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    board = board_for(n, seed)
    server.site, pages = render_site(board, base_url)
    conn.send(Site(base_url, len(board.ads), pages, board.greenhouse_boards(),
                   sum(len(server.site[p]) for p in pages)))
    conn.close()
    server.serve_forever()


@contextmanager
def serve_synthetic(n: int, seed: int = 0, start_timeout: float = 600.0) -> Iterator[Site]:
    """Serve `n` synthetic ads from a child process until the block ends."""
    # spawn, not fork: the parent may hold DuckDB or Twisted threads that fork would copy.
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_serve, args=(n, seed, sender), name="bench-board", daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(start_timeout):
            raise RuntimeError(f"the benchmark board did not start within {start_timeout:.0f}s")
        site: Site = receiver.recv()
        yield site
    finally:
        process.terminate()
        process.join(10)
