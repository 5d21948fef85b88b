"""The crawl's floor: the least a Scrapy spider does to read a JSON-LD job board. It follows
every link it has not followed yet (a board's pages all link each other: building a request
only for Scrapy's duplicate filter to drop it costs more than the page) and yields each
JobPosting's fields as published, with no item class, pipelines, middlewares or extensions
of ours. Run outside the project (`scrapy runspider`), so Scrapy's defaults plus the
settings the benchmark passes are all it has."""

import json
import sys

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {"DEPTH_LIMIT": 5}  # noqa: RUF012 - as the jobposting spider's

    def __init__(self, start_url: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [start_url]
        self.seen = {start_url}

    def parse(self, response):
        for block in response.xpath('//script[@type="application/ld+json"]/text()').getall():
            node = json.loads(block, strict=False)
            if isinstance(node, dict) and node.get("@type") == "JobPosting":
                yield {"url": response.url, "title": node.get("title"),
                       "company": (node.get("hiringOrganization") or {}).get("name"),
                       "posted_at": node.get("datePosted"), "description": node.get("description")}
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url not in self.seen:
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.parse)

    def closed(self, reason: str) -> None:  # for the benchmark, which reads it from stderr
        print(f"responses={self.crawler.stats.get_value('downloader/response_count', 0)}", file=sys.stderr)
