"""Crawl speed: the `jobposting` spider against a local board of synthetic ads, next to
the ceiling, the same pages fetched by a plain HTTP client at the same concurrency."""

from __future__ import annotations

import asyncio
import http.client
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from bench import Context, Result
from bench.memory import children_cpu_seconds
from bench.server import Site, ads_for_pages, listing_pages, serve_synthetic
from flows.crawl import run_crawl
from flows.sources import Source

CONCURRENCY = 32
# Politeness is for other people's servers; this one is ours and on loopback.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": CONCURRENCY,
    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
    "LOG_LEVEL": "WARNING",
}


async def _fetch_aiohttp(urls: list[str], concurrency: int) -> tuple[int, int]:
    import aiohttp

    pending = iter(urls)
    fetched = failed = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal fetched, failed
        for url in pending:  # one iterator shared by all workers: each URL is fetched once
            async with session.get(url) as response:
                await response.read()
                fetched += 1
                failed += response.status != 200

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return fetched, failed


def _fetch_threads(urls: list[str], concurrency: int) -> tuple[int, int]:
    local = threading.local()
    host = urlsplit(urls[0])

    def get(url: str) -> int:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        parts = urlsplit(url)
        local.conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = local.conn.getresponse()
        response.read()
        return response.status

    with ThreadPoolExecutor(concurrency) as pool:
        statuses = list(pool.map(get, urls))
    return len(statuses), sum(s != 200 for s in statuses)


def fetch_all(urls: list[str], concurrency: int = CONCURRENCY) -> tuple[float, int, int, str]:
    """(seconds, fetched, failed, client) for fetching every URL once, keep-alive."""
    try:
        import aiohttp  # noqa: F401 - only to choose the client
    except ImportError:
        began = time.perf_counter()
        fetched, failed = _fetch_threads(urls, concurrency)
        return time.perf_counter() - began, fetched, failed, "http.client, thread pool"
    began = time.perf_counter()
    fetched, failed = asyncio.run(_fetch_aiohttp(urls, concurrency))
    return time.perf_counter() - began, fetched, failed, "aiohttp"


def _spider(ctx: Context, site: Site) -> list[Result]:
    out_dir = ctx.workdir / "crawl"
    source = Source("jobposting", {"start_url": f"{site.base_url}/jobs/"}, timeout=3600)
    cpu_before = children_cpu_seconds()
    began = time.perf_counter()
    try:
        output = run_crawl(source, out_dir, CRAWL_SETTINGS)
        wall = time.perf_counter() - began
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    cpu = children_cpu_seconds() - cpu_before
    stats = output.stats
    responses = int(stats.get("downloader/response_count", 0))
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    requests = int(stats.get("dupefilter/filtered", 0)) + int(stats.get("scheduler/enqueued", 0))
    notes = (f"{responses:,} responses ({listing_pages(site.ads):,} listings + {site.ads:,} details "
             f"+ home, /jobs/, robots.txt) in {elapsed:.1f}s, {output.items:,} items; "
             f"{requests:,} requests from links, {stats.get('dupefilter/filtered', 0):,} of them "
             f"dropped as seen; Scrapy CPU {cpu * 1000 / responses:.1f} ms/page with start-up; "
             f"{wall:.1f}s wall")
    if output.errors:
        notes += f"; {output.errors} errors logged"
    return [Result("crawl", "jobposting spider", responses / elapsed, "pages/s", notes=notes)]


def run(ctx: Context) -> list[Result]:
    with serve_synthetic(ads_for_pages(ctx.sizes.crawl_pages), ctx.seed) as site:
        results = _spider(ctx, site)
        urls = site.urls()
        seconds, fetched, failed, client = fetch_all(urls)
    ceiling = fetched / seconds
    spider = results[0].value or 0.0
    results.append(Result(
        "crawl", "ceiling: plain HTTP client", ceiling, "pages/s",
        notes=(f"the same {len(urls):,} URLs via {client}, {CONCURRENCY} concurrent, in {seconds:.1f}s"
               f"{f', {failed} failed' if failed else ''}; avg page "
               f"{site.bytes_served / len(site.pages) / 1024:.1f} KiB; "
               f"spider reaches {spider / ceiling:.0%} of it")))
    return results
