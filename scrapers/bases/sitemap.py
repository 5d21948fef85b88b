"""Careers sites found through their sitemaps: robots.txt names the sitemaps, sitemap
indexes name more sitemaps, and every page listed is read for schema.org `JobPosting`.

Reading every page a site lists finds jobs no listing page links to, at the cost of also
fetching non-job pages; `url_pattern` narrows the pages fetched when a site's job URLs share
a shape (`/jobs/`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import sitemap_urls_from_robots

from scrapers.bases.structured_data import StructuredDataSpider
from scrapers.items import JobPosting


class StructuredDataSitemapSpider(SitemapSpider, StructuredDataSpider):
    start_url: str | None = None  # a site root, its robots.txt or a sitemap
    url_pattern: str = ""  # regex a page URL must match to be fetched; "" fetches all

    def __init__(self, *args: Any, start_url: str | None = None, url_pattern: str | None = None,
                 **kwargs: Any) -> None:
        self.start_url = start_url or self.start_url
        if not self.start_url:
            raise ValueError(f"{self.name} needs -a start_url= (a site root, robots.txt or sitemap)")
        parts = urlsplit(self.start_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start_url must be an http(s) URL, got {self.start_url!r}")
        self.sitemap_rules = [(url_pattern or self.url_pattern, "parse")]
        super().__init__(*args, **kwargs)
        self.root = f"{parts.scheme}://{parts.netloc}"
        # Not crawled as such (start() begins at robots.txt or the sitemap), but it names the
        # host this source was configured on, which the private-network guard trusts.
        self.start_urls = [self.start_url]

    async def start(self) -> AsyncIterator[Request]:
        path = urlsplit(self.start_url).path
        if path in ("", "/") or path.endswith("/robots.txt"):
            robots = self.start_url if path.endswith("/robots.txt") else f"{self.root}/robots.txt"
            yield Request(robots, callback=self.parse_robots, errback=self.robots_failed)
        else:
            yield Request(self.start_url, callback=self._parse_sitemap)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        urls = list(sitemap_urls_from_robots(response.text, base_url=response.url))
        if not urls:
            urls = [f"{self.root}/sitemap.xml"]  # the conventional place when robots.txt is silent
        for url in urls:
            yield Request(url, callback=self._parse_sitemap)

    def robots_failed(self, failure: Any) -> Iterator[Request]:
        self.logger.info("no robots.txt at %s (%s); trying /sitemap.xml", self.root, failure.value)
        yield Request(f"{self.root}/sitemap.xml", callback=self._parse_sitemap)

    def parse(self, response: Response) -> Iterator[JobPosting]:
        yield from self.parse_job_page(response)
