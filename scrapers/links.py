"""The links of a page, as Scrapy's default `LinkExtractor()` finds them, with each distinct
link worked out once per crawl instead of once per page.

A job board's pages share most of their links (the navigation, every listing page, the
related jobs), and for each one `LinkExtractor` joins, escapes, parses and checks the URL
against ~180 file extensions again: on a board of 2,000 pages that was most of the crawl's
CPU. Here an href that does not depend on the page it is on (absolute, or starting with
`/`) is resolved once and remembered; page-relative hrefs are still resolved per page. The
URLs returned, and their order, are those of `LinkExtractor().extract_links(response)`
(tests/test_links.py checks it)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse
from scrapy.link import Link
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
# LinkExtractor's defaults: the href of <a> and <area> elements, in document order.
_HREFS = "//a/@href | //area/@href"
_CACHE_LIMIT = 200_000  # distinct links remembered; a crawl that sees more starts again


class PageLinks:
    def __init__(self) -> None:
        self._extractor = LinkExtractor()
        # (what the href's meaning depends on, href, page encoding) -> the URL of a link to
        # follow, or None for one the extractor drops.
        self._seen: dict[tuple[str, str, str], str | None] = {}

    def urls(self, response: TextResponse) -> list[str]:
        base = get_base_url(response)
        parts = urlsplit(base)
        origin, scheme = f"{parts.scheme}://{parts.netloc}", parts.scheme
        encoding = response.encoding
        out: list[str] = []
        on_page: set[str] = set()  # LinkExtractor(unique=True): each URL once a page
        if len(self._seen) > _CACHE_LIMIT:
            self._seen.clear()
        root = response.selector.root
        if not hasattr(root, "xpath"):  # a JSON body has no links (LinkExtractor raises on it)
            return []
        # lxml's own XPath on the parsed page: its strings, not a parsel Selector per link.
        for href in root.xpath(_HREFS):
            href = strip_html5_whitespace(href)  # as LinkExtractor(strip=True)
            if _HAS_SCHEME.match(href):
                context = ""
            elif href.startswith("//"):
                context = scheme
            elif href.startswith("/"):
                context = origin
            else:  # "page2.html", "?page=2", "#top": relative to this very page
                context = base
            key = (context, href, encoding)
            if key not in self._seen:
                self._seen[key] = self._resolve(base, response.url, href, encoding)
            url = self._seen[key]
            if url is not None and url not in on_page:
                on_page.add(url)
                out.append(url)
        return out

    def _resolve(self, base: str, page_url: str, href: str, encoding: str) -> str | None:
        """What `LinkExtractor._extract_links` and `_process_links` do to one link."""
        try:
            url = urljoin(base, href)
        except ValueError:
            return None
        try:
            url = safe_url_string(url, encoding=encoding)
        except ValueError:
            return None
        url = urljoin(page_url, url)
        # Its own rules (schemes, the ~180 file extensions), so that nothing drifts apart.
        return url if self._extractor._link_allowed(Link(url)) else None
