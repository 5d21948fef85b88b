"""Crawl speed: the `jobposting` spider with all its pipelines against a local board of
synthetic ads (listings with pagination, then detail pages), beside its floor, the bare
Scrapy spider in `bench/bare_spider.py` reading the same JSON-LD with the same settings, and
the ceiling, the same pages fetched by a plain HTTP client at the same concurrency.

The figure is pages per CPU-second of the crawl process (start-up included), not pages per
second: the server answers in a fraction of a millisecond, so a crawl here is CPU-bound and
its wall time is whatever the other work on the machine leaves it."""

from __future__ import annotations

import asyncio
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from bench import PROJECT_ROOT, Context, Result, Target
from bench.memory import children_cpu_seconds
from bench.server import Site, ads_for_pages, listing_pages, serve_synthetic
from flows.crawl import run_crawl
from flows.sources import Source
from scrapers import settings as project_settings

TARGET_OF_FLOOR = Target(">=", 0.80, of="ratio")

CONCURRENCY = 32
# Politeness is for other people's servers; this one is ours and on loopback.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": CONCURRENCY,
    "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
    "LOG_LEVEL": "WARNING",
}
# What the bare spider shares with ours from the project's settings: everything that is not
# one of our own components (pipelines, middlewares, extensions) or politeness pacing.
SHARED_SETTINGS = {
    "USER_AGENT": project_settings.USER_AGENT,
    "ROBOTSTXT_OBEY": project_settings.ROBOTSTXT_OBEY,
    "COOKIES_ENABLED": project_settings.COOKIES_ENABLED,
    "TELNETCONSOLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": project_settings.DOWNLOAD_TIMEOUT,
    "DOWNLOAD_MAXSIZE": project_settings.DOWNLOAD_MAXSIZE,
    "RETRY_TIMES": project_settings.RETRY_TIMES,
    "FEED_EXPORT_ENCODING": "utf-8",
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


def _ours(ctx: Context, site: Site) -> tuple[float, int, int, dict]:
    """(CPU seconds, responses, items, stats) of the `jobposting` spider, as the flow runs it."""
    out_dir = ctx.workdir / "crawl"
    source = Source("jobposting", {"start_url": f"{site.base_url}/jobs/"}, timeout=3600)
    cpu_before = children_cpu_seconds()
    try:
        output = run_crawl(source, out_dir, CRAWL_SETTINGS)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    cpu = children_cpu_seconds() - cpu_before
    stats = output.stats
    if output.errors:
        raise RuntimeError(f"the jobposting spider logged {output.errors} errors")
    return cpu, int(stats.get("downloader/response_count", 0)), output.items, stats


def _bare(ctx: Context, site: Site) -> tuple[float, int, int]:
    """(CPU seconds, responses, items) of the bare spider over the same board."""
    out_dir = ctx.workdir / "bare"
    out_dir.mkdir(parents=True, exist_ok=True)
    items_path = out_dir / "items.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(PROJECT_ROOT / "bench" / "bare_spider.py"),
           "-a", f"start_url={site.base_url}/jobs/", "-O", f"{items_path}:jsonlines"]
    for key, value in {**SHARED_SETTINGS, **CRAWL_SETTINGS}.items():
        cmd += ["-s", f"{key}={value}"]
    # Outside the project folder and without SCRAPY_SETTINGS_MODULE: Scrapy's defaults only.
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    cpu_before = children_cpu_seconds()
    try:
        proc = subprocess.run(cmd, cwd=out_dir, env=env, capture_output=True, text=True, timeout=3600)
        cpu = children_cpu_seconds() - cpu_before
        if proc.returncode != 0:
            raise RuntimeError(f"bare spider failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
        with open(items_path, "rb") as fh:
            items = sum(1 for line in fh if line.strip())
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    responses = next((int(line.split("=", 1)[1]) for line in proc.stderr.splitlines()
                      if line.startswith("responses=")), 0)
    return cpu, responses, items


def run(ctx: Context) -> list[Result]:
    with serve_synthetic(ads_for_pages(ctx.sizes.crawl_pages), ctx.seed) as site:
        bare_cpu, bare_responses, bare_items = _bare(ctx, site)
        cpu, responses, items, stats = _ours(ctx, site)
        urls = site.urls()
        seconds, fetched, failed, client = fetch_all(urls)
    ours, floor = responses / cpu, bare_responses / bare_cpu
    ceiling = fetched / seconds
    board = (f"{listing_pages(site.ads):,} listing pages + {site.ads:,} detail pages + home, /jobs/, "
             "robots.txt")
    return [
        Result("crawl", "jobposting spider, all pipelines", ours, "pages/CPU-s", TARGET_OF_FLOOR,
               floor=floor, floor_name="bare Scrapy spider",
               notes=(f"{responses:,} responses ({board}), {items:,} items; {cpu * 1000 / responses:.1f} "
                      f"ms CPU a page against the bare spider's {bare_cpu * 1000 / bare_responses:.1f} "
                      f"({bare_responses:,} responses, {bare_items:,} items); whole crawl process, "
                      f"start-up included; {int(stats.get('dupefilter/filtered', 0)):,} requests "
                      "dropped as seen")),
        Result("crawl", "ceiling: plain HTTP client", ceiling, "pages/s",
               notes=(f"the same {len(urls):,} URLs via {client}, {CONCURRENCY} concurrent, in "
                      f"{seconds:.1f}s{f', {failed} failed' if failed else ''}; avg page "
                      f"{site.bytes_served / len(site.pages) / 1024:.1f} KiB")),
    ]
