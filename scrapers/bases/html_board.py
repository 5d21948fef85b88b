"""Job boards with no API and no structured data, read with CSS selectors.

The selectors are data, in the shape of `tests/fixtures/sources/htmlboard/source.yaml`:

    {"listing": {"card": "div.job-card", "link": "a.title::attr(href)",
                 "next_page": "a[rel=next]::attr(href)",
                 "fields": {"title": "a.title::text", "company": "span.company ::text"}},
     "detail": {"title": "h1::text", "description_html": "div.description"}}

(the keys of `listing` may also sit at the top level). A listing page's cards give what they
show; the detail page each card links to adds to and overrides that. A selector ending in
`::text` joins every text node it matches; `description_html` takes an element's inner HTML.
A field a page does not have stays None."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import Response, TextResponse

from scrapers.bases.api import item_problem
from scrapers.items import JobPosting

# Selector field name -> item field.
FIELDS = {
    "title": "title", "company": "company", "location": "location", "salary": "salary_text",
    "posted": "posted_at", "valid_through": "valid_through", "employment_type": "employment_type",
    "remote": "remote", "department": "department", "snippet": "description",
    "description": "description", "description_html": "description_html",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_selectors(raw: str | dict[str, Any]) -> dict[str, Any]:
    """Validated selectors from JSON (or a dict): {"card", "link", "next_page", "fields", "detail"}."""
    config = json.loads(raw) if isinstance(raw, str) else dict(raw)
    if not isinstance(config, dict):
        raise ValueError("selectors must be a JSON object")
    listing = config.pop("listing", None) or {}
    config = {**listing, **config}
    if not config.get("card"):
        raise ValueError('selectors need a "card" selector for the job cards on a listing page')
    for part in ("fields", "detail"):
        unknown = set(config.get(part) or {}) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown {part} field(s) {sorted(unknown)}; known: {sorted(FIELDS)}")
    css = [config.get(k) for k in ("card", "link", "next_page")]
    css += [*(config.get("fields") or {}).values(), *(config.get("detail") or {}).values()]
    for selector in filter(None, css):
        _check_css(selector)
    return config


def _check_css(selector: Any) -> None:
    """Refuse a selector that cannot work before the crawl, not on the first page."""
    try:
        Selector(text="<html></html>").css(selector)
    except Exception as exc:  # cssselect raises its own error types, and TypeError for non-strings
        raise ValueError(f"not a CSS selector: {selector!r} ({exc})") from exc


class HtmlBoardSpider(scrapy.Spider):
    start_url: str | None = None
    selectors: dict[str, Any] | str | None = None

    def __init__(self, *args: Any, start_url: str | None = None,
                 selectors: str | dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = start_url or self.start_url
        if not self.start_url:
            raise ValueError(f"{self.name} needs -a start_url=<first listing page>")
        raw = selectors or self.selectors
        if not raw:
            raise ValueError(f"{self.name} needs -a selectors='<JSON object of CSS selectors>'")
        try:
            self.config = parse_selectors(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"selectors are not valid JSON: {exc}") from exc
        self.start_urls = [self.start_url]

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        for card in response.css(self.config["card"]):
            yield from self.follow_card(response, card)
        href = _href(response, self.config.get("next_page"))
        if href:
            yield response.follow(href, callback=self.parse)

    def follow_card(self, response: Response, card: Selector) -> Iterator[Any]:
        shown = extract_fields(card, self.config.get("fields") or {})
        href = _href(card, self.config.get("link"))
        if not href:
            self.crawler.stats.inc_value(f"skillscout/{self.name}/skipped")
            self.logger.warning("a card on %s has no link to its job", response.url)
            return
        url = response.urljoin(href)
        if self.config.get("detail"):
            yield scrapy.Request(url, callback=self.parse_detail, cb_kwargs={"shown": shown})
        else:
            yield from self.emit(url, shown)

    def parse_detail(self, response: Response, shown: dict[str, Any]) -> Iterator[JobPosting]:
        if not isinstance(response, TextResponse):
            return
        found = extract_fields(response.selector, self.config["detail"])
        yield from self.emit(response.url, {**shown, **{k: v for k, v in found.items() if v}})

    def emit(self, url: str, values: dict[str, Any]) -> Iterator[JobPosting]:
        item = JobPosting(source=self.name, url=url, **values)
        problem = item_problem(item)
        if problem:
            self.crawler.stats.inc_value(f"skillscout/{self.name}/skipped")
            self.logger.warning("skipped %s: %s", url, problem)
            return
        yield item


def extract_fields(scope: Selector, selectors: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, css in selectors.items():
        found = scope.css(css)
        field = FIELDS[name]
        if field == "description_html":
            value = _inner_html(found)
        elif css.rstrip().endswith("::text"):
            value = " ".join(" ".join(found.getall()).split()) or None
        elif "::attr(" in css:
            value = (found.get() or "").strip() or None
        else:
            value = " ".join(" ".join(found.xpath("string()").getall()).split()) or None
        if field in ("posted_at", "valid_through") and value:
            date = _ISO_DATE.search(value)  # "Posted 2026-11-02"
            value = date.group() if date else value
        values[field] = value
    return values


def _href(scope: Selector | Response, css: str | None) -> str | None:
    """The link a selector points at: `a::attr(href)`, or just `a` for the element's href."""
    if not css:
        return None
    found = scope.css(css)
    href = found.get() if "::" in css else found.attrib.get("href")
    return href.strip() if href and href.strip() else None


def _inner_html(found: SelectorList) -> str | None:
    if not found:
        return None
    inner = "".join(found[0].xpath("node()").getall()).strip()
    return inner or None
