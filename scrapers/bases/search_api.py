"""What every job-search API spider shares: keys, searches, paging, rate limits and full text.

- **Keys** (`keys = {"app_key": "ADZUNA_APP_KEY"}`): each comes from its `-a` argument, which
  may be a `${NAME}` reference, or else from the named environment variable; a missing one
  stops the spider with one line naming the variable and where to register. Keys are masked
  in every log line (`scrapers.keys`).
- **Searches**: one query from the spider's own arguments (`-a what=... -a where=...`), or
  several at once with `-a queries='[{...}, {...}]'`, so that one process, and so one rate
  limit, serves every search on an API. `search_query(role, place)` says how a target role
  and a place become one query for this API (None when the API cannot serve the place).
- **Paging**: each API says how to ask for the next page; `max_pages` bounds every query.
- **Rate limits**: `requests_per_minute` is the API's documented limit (or a polite pace where
  none is published); the spider waits `60 / requests_per_minute` s between its requests.
  A 429, or a 401/403 sent because the quota is spent, stops that query and is counted in
  `skillscout/api/rate_limited`; a rejected key (401/403) stops the crawl
  (`skillscout/api/key_rejected`).
- **Full text**: an API that returns only a snippet marks the item `description_truncated`;
  the spider then reads the ad's own page with the JobPosting parser and, when it carries
  the ad, uses that (`-a full_text=snippet` keeps the snippets and spares the requests)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response

from scrapers.bases.api import ApiSpider
from scrapers.bases.structured_data import job_nodes, job_posting_item
from scrapers.items import JobPosting
from scrapers.keys import expand, redact_logs

# 401/403/429 reach the callbacks, so that a rejected key or a spent quota is said plainly.
API_STATUSES = [400, 401, 403, 404, 429]
_TAG = re.compile(r"<[^>]+>")
# Aggregators append the employer's rating to its name: "Acme, Inc - Glassdoor ✪ 4.6".
_RATING = re.compile(r"\s+-\s+Glassdoor\s*✪?\s*\d(?:\.\d)?\s*$")
_CUT = re.compile(r"(?:\.\.\.|…|&hellip;|&#8230;)\s*$")


@dataclass(frozen=True)
class Place:
    """Where a search looks: near a town (within a radius), a whole country, or remote."""

    near: str | None = None
    radius_miles: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    remote: bool = False


def plain(value: Any) -> str | None:
    """A title or name as text: highlight tags (`<strong>data</strong>`) and entities gone."""
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(_TAG.sub("", value)).split()) or None


def company_name(value: Any) -> str | None:
    name = plain(value)
    return _RATING.sub("", name) if name else None


def looks_cut(snippet: str | None) -> bool:
    """A snippet that ends the way sources cut ads short ("...", "…")."""
    return bool(snippet and _CUT.search(snippet))


def miles_to_km(miles: float) -> int:
    return round(miles * 1.609)


class SearchApiSpider(ApiSpider):
    keys: ClassVar[dict[str, str]] = {}  # spider argument → environment variable
    optional_keys: ClassVar[frozenset[str]] = frozenset()
    register_url: ClassVar[str] = ""
    requests_per_minute: ClassVar[float] = 60.0
    search_args: ClassVar[tuple[str, ...]] = ()  # the arguments one query is made of
    snippets_only: ClassVar[bool] = False  # the API never returns the whole ad

    queries: str | None = None  # JSON list of queries: several searches in one crawl
    max_pages: int | str = 5
    # Where the API gives a snippet: "page" uses its details endpoint, else the ad's own
    # page; "details" only the details endpoint; "snippet" neither.
    full_text: str = "page"

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        # One request at a time, evenly spaced, so the documented limit holds.
        settings.set("DOWNLOAD_DELAY", round(60.0 / cls.requests_per_minute, 3), priority="spider")
        settings.set("RANDOMIZE_DOWNLOAD_DELAY", False, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="spider")
        # An API asking for a long wait has usually spent a daily quota: say so, don't sit.
        settings.set("SKILLSCOUT_RETRY_AFTER_MAX", 60.0, priority="spider")
        # API URLs carry keys (Adzuna's query, Jooble's path): never send one as a Referer
        # to the ad pages fetched for full text.
        settings.set("REFERRER_POLICY", "no-referrer", priority="spider")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_values: dict[str, str | None] = {}
        unset: list[str] = []
        for arg, var in self.keys.items():
            self.key_values[arg], missing = self._key(arg, var)
            unset += missing
        if unset:
            raise ValueError(self.missing_key_message(unset))
        self.query_list = self._queries()
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Scrapy replaces the root log handler after creating the spider: mask the keys on
        # the handler that will write the log.
        crawler.signals.connect(spider.mask_keys, signal=signals.spider_opened)
        return spider

    def mask_keys(self, spider=None) -> None:
        redact_logs(v for v in self.key_values.values() if v)

    # --- keys ---------------------------------------------------------------------------

    def _key(self, arg: str, var: str) -> tuple[str | None, list[str]]:
        """(the key, the variables it names that are not set)."""
        raw = getattr(self, arg, None) or f"${{{var}}}"
        value, unset = expand(str(raw))
        if value and not unset:
            return value, []
        return None, [] if arg in self.optional_keys else (unset or [var])

    @classmethod
    def missing_key_message(cls, variables: list[str]) -> str:
        names = " and ".join(variables)
        verb = "are" if len(variables) > 1 else "is"
        return f"{cls.name}: {names} {verb} not set (get a free key at {cls.register_url})"

    # --- searches -----------------------------------------------------------------------

    def _queries(self) -> list[dict[str, str]]:
        if self.queries:
            try:
                found = json.loads(self.queries)
            except ValueError as exc:
                raise ValueError(f"{self.name}: -a queries is not JSON ({exc})") from exc
            if not isinstance(found, list) or not all(isinstance(q, dict) for q in found):
                raise ValueError(f"{self.name}: -a queries should be a JSON list of objects")
            unknown = sorted({k for q in found for k in q} - set(self.search_args))
            if unknown:
                raise ValueError(f"{self.name}: unknown search argument(s) {', '.join(unknown)}; "
                                 f"known: {', '.join(self.search_args)}")
            return [{k: str(v) for k, v in q.items() if v not in (None, "")} for q in found] or [{}]
        return [{arg: str(getattr(self, arg)) for arg in self.search_args
                 if getattr(self, arg, None) not in (None, "")}]

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        """The query for `role` at `place`, in this API's own argument names."""
        return None

    # --- requests and paging ------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for query in self.query_list:
            yield self.page_request(query, 1)

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        raise NotImplementedError

    def read_page(self, data: Any, query: dict[str, str], page: int
                  ) -> tuple[Iterable[Any], Request | None]:
        """(the page's records, the next page's request or None)."""
        raise NotImplementedError

    def job_item(self, record: Any) -> JobPosting | None:
        raise NotImplementedError

    def api_request(self, url: str, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        cls = kwargs.pop("request_class", scrapy.Request)
        return cls(url, callback=self.parse_page, errback=self.page_failed,
                   cb_kwargs={"query": query, "page": page},
                   meta={"handle_httpstatus_list": API_STATUSES}, **kwargs)

    def parse_page(self, response: Response, query: dict[str, str], page: int) -> Iterator[Any]:
        if not self.api_answered(response, f"page {page} of {self.describe(query)}"):
            return
        data = self.load_json(response)
        if data is None:
            return
        self.count("pages")
        try:
            records, following = self.read_page(data, query, page)
            records = list(records)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            self.skip(f"page {page} of {self.describe(query)} is not a page of jobs ({exc})")
            return
        for record in records:
            item = self.build_one(record, self.job_item)
            if item is None:
                continue
            if item.source_id in self.seen:  # another query found it already
                self.count("repeats")
                continue
            self.seen.add(str(item.source_id))
            yield from self.complete(item, record)
        if following is not None and page < int(self.max_pages):
            yield following

    def page_failed(self, failure: Any) -> None:
        self.count("page_failed")
        self.logger.error("%s: page request failed: %s", self.name, failure.value)

    def describe(self, query: dict[str, str]) -> str:
        return "the search " + (json.dumps(query, ensure_ascii=False) if query else "(everything)")

    def api_answered(self, response: Response, what: str) -> bool:
        """Whether the API answered with data; a rejected key ends the crawl."""
        status = response.status
        if status == 429 or (status in (401, 403) and _quota_spent(response)):
            self.crawler.stats.inc_value("skillscout/api/rate_limited")
            wait = response.headers.get("Retry-After")
            self.logger.error("%s: rate-limited by the API (HTTP %s%s) on %s; stopped that search",
                              self.name, status, f", Retry-After {wait.decode()}" if wait else "", what)
            return False
        if status in (401, 403):
            self.crawler.stats.set_value("skillscout/api/key_rejected", status)
            problem = "rejected the key" if self.keys else "refused access"
            self.logger.error("%s: the API %s (HTTP %s)", self.name, problem, status)
            raise CloseSpider("key_rejected" if self.keys else "access_refused")
        if status >= 400:
            self.count(f"http_{status}")
            self.logger.error("%s: HTTP %s on %s", self.name, status, what)
            return False
        return True

    # --- full text ----------------------------------------------------------------------

    def complete(self, item: JobPosting, record: Any) -> Iterator[Any]:
        """The item, or a request that fetches its full text first."""
        if item.description_truncated and self.full_text != "snippet":
            request = self.full_text_request(item, record)
            if request is not None:
                yield request
                return
        yield self.finished(item)

    def full_text_request(self, item: JobPosting, record: Any) -> Request | None:
        """A details endpoint where the API has one; the ad's own page otherwise."""
        return self.ad_page_request(item)

    def ad_page_request(self, item: JobPosting) -> Request | None:
        if self.full_text != "page" or not (item.url and item.url.startswith(("http://", "https://"))):
            return None
        return scrapy.Request(item.url, callback=self.parse_ad_page, errback=self.ad_page_failed,
                              cb_kwargs={"item": item}, dont_filter=True)

    def parse_ad_page(self, response: Response, item: JobPosting) -> Iterator[JobPosting]:
        stats = self.crawler.stats
        nodes = job_nodes(response, stats)
        if nodes:
            title = (item.title or "").lower()
            node = next((n for n in nodes if (plain(n.get("title")) or "").lower() == title), nodes[0])
            found = job_posting_item(node, response.url, self.name)
            page_text = plain(found.description_html) or ""
            if len(page_text) > len(item.description or ""):
                item.description_html, item.description = found.description_html, None
                item.description_truncated = False
                item.company = item.company or found.company
                item.location = item.location or found.location
                self.count("full_text/page")
        if item.description_truncated:
            self.count("full_text/none")
        yield self.finished(item)

    def ad_page_failed(self, failure: Any) -> Iterator[JobPosting]:
        self.count("full_text/failed")
        self.logger.info("%s: no full text for %s: %s", self.name, failure.request.url, failure.value)
        yield self.finished(failure.request.cb_kwargs["item"])

    def finished(self, item: JobPosting) -> JobPosting:
        if item.description_truncated is None:
            item.description_truncated = False
        return item


def _quota_spent(response: Response) -> bool:
    """The Muse and others answer a spent quota with 403 and `X-RateLimit-Remaining: 0`."""
    remaining = response.headers.get("X-RateLimit-Remaining")
    return remaining is not None and remaining.strip() == b"0"
