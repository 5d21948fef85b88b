"""Any careers site or job board that embeds schema.org `JobPosting` JSON-LD.

    scrapy crawl jobposting -a start_url=https://careers.example.com/jobs/ -O jobs.jsonl

Follows every link on the start URL's host (listings, pagination, detail pages) and reads
JSON-LD wherever a page has it, so no site-specific selectors are needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urlparse

from scrapy.http import Response, TextResponse

from scrapers.bases.structured_data import StructuredDataSpider
from scrapers.links import PageLinks


class JobpostingSpider(StructuredDataSpider):
    name = "jobposting"
    custom_settings: ClassVar[dict] = {"DEPTH_LIMIT": 5}  # listings → pages → details; deeper is site chrome

    def __init__(self, start_url: str | None = None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not start_url:
            raise ValueError("jobposting needs a start page: -a start_url=https://...")
        host = urlparse(start_url).hostname
        if not host or urlparse(start_url).scheme not in ("http", "https"):
            raise ValueError(f"start_url must be an http(s) URL, got {start_url!r}")
        self.start_urls = [start_url]
        self.allowed_domains = [host]
        self.host = host
        # LinkExtractor(allow_domains=...) compares host:port, so filter by hostname here.
        self.links = PageLinks()
        self.followed: set[str] = {start_url}

    def parse(self, response: Response) -> Iterator:
        if not isinstance(response, TextResponse):
            return
        yield from self.parse_job_page(response)
        for url in self.links.urls(response):
            # Every listing page links every other: skip what we already asked for here,
            # before Scrapy builds, filters and fingerprints a request only to drop it.
            if url not in self.followed and urlparse(url).hostname == self.host:
                self.followed.add(url)
                yield response.follow(url, callback=self.parse)
