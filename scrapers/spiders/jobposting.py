"""Any careers site or job board that embeds schema.org `JobPosting` JSON-LD.

    scrapy crawl jobposting -a start_url=https://careers.example.com/jobs/ -O jobs.jsonl

Follows every link on the start URL's host (listings, pagination, detail pages) and reads
JSON-LD wherever a page has it, so no site-specific selectors are needed.

Pagination is not depth: the 40th listing page of a board is as close to its jobs as the
first. Links to another listing page (`rel=next`, or the same page with another
`page=`/`offset=`-style parameter or `/page/N`) are followed to the board's last page, up to
SKILLSCOUT_MAX_LISTING_PAGES listing pages (a setting; reaching it is counted in the stats
as `skillscout/pagination/page_cap_reached`). Other links count as hops, at most
SKILLSCOUT_MAX_HOPS from the start page (listing → detail → ...; deeper is site chrome)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qsl, urlparse

from scrapy.http import Response, TextResponse

from scrapers.bases.structured_data import StructuredDataSpider
from scrapers.links import PageLinks

_PAGE_PARAMS = frozenset({"page", "p", "pg", "paged", "pagenum", "pagenumber", "page_number", "offset",
                          "start", "from", "skip"})
_PAGE_PATH = re.compile(r"/page/\d+/?$")
PAGE_CAP_STAT = "skillscout/pagination/page_cap_reached"


def _page_key(url: str) -> tuple[str, str, frozenset]:
    """A URL with its page number taken out: two listing pages of one board share it."""
    parts = urlparse(url)
    query = frozenset((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_PARAMS)
    return parts.netloc, _PAGE_PATH.sub("", parts.path).rstrip("/"), query


def is_next_page(link_url: str, rel: str, page_url: str) -> bool:
    if re.search(r"\bnext\b", rel or "", re.I):
        return True
    target = urlparse(link_url)
    paged = any(k.lower() in _PAGE_PARAMS for k, _ in parse_qsl(target.query)) or _PAGE_PATH.search(
        target.path)
    return bool(paged) and _page_key(link_url) == _page_key(page_url)


class JobpostingSpider(StructuredDataSpider):
    name = "jobposting"
    # Depth is counted here (hops, not pagination); Scrapy's DEPTH_LIMIT would count both.
    custom_settings: ClassVar[dict] = {"DEPTH_LIMIT": 0}

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
        self.links = PageLinks()  # LinkExtractor()'s links, each worked out once per crawl
        self.followed: set[str] = {start_url}
        self.listing_pages = 1  # the start page is the first

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_hops = crawler.settings.getint("SKILLSCOUT_MAX_HOPS", 5)
        spider.max_listing_pages = crawler.settings.getint("SKILLSCOUT_MAX_LISTING_PAGES", 1000)
        return spider

    def parse(self, response: Response) -> Iterator:
        if not isinstance(response, TextResponse):
            return
        yield from self.parse_job_page(response)
        hops = response.meta.get("hops", 0)
        rels = self._rels(response)
        # <link rel="next"> in the head as well as the page's anchors.
        urls = self.links.urls(response)
        urls += [u for u, rel in rels.items() if u not in urls and is_next_page(u, rel, response.url)]
        for url in urls:
            # Every listing page links every other: skip what we already asked for here,
            # before Scrapy builds, filters and fingerprints a request only to drop it.
            if url in self.followed or urlparse(url).hostname != self.host:
                continue
            if re.search(r"\bprev", rels.get(url, ""), re.I):
                continue  # where we came from (and it would count twice against the page cap)
            if is_next_page(url, rels.get(url, ""), response.url):
                if self.listing_pages >= self.max_listing_pages:
                    self.crawler.stats.set_value(PAGE_CAP_STAT, self.max_listing_pages)
                    continue
                self.listing_pages += 1
                self.followed.add(url)
                yield response.follow(url, callback=self.parse, meta={"hops": hops})
            elif hops < self.max_hops:
                self.followed.add(url)
                yield response.follow(url, callback=self.parse, meta={"hops": hops + 1})

    @staticmethod
    def _rels(response: TextResponse) -> dict[str, str]:
        """rel attributes of the page's links, by absolute URL."""
        rels: dict[str, str] = {}
        for node in response.xpath("//a[@rel][@href] | //link[@rel][@href]"):
            rels[response.urljoin(node.attrib["href"])] = node.attrib["rel"]
        return rels
