"""What every job-API spider shares: where the API lives, which `-a` arguments it needs, and
how a record that cannot be read is skipped and counted instead of ending the crawl.

Scrapy sets each `-a name=value` as a spider attribute, so a tiny spider can also pin an
argument as a class attribute (`site = "acme"`). `api_url` may name those arguments
(`https://{company}.recruitee.com`); tests point it at 127.0.0.1 with `-a api_url=...`."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from scrapers.items import JobPosting

# Item fields a pipeline reads as text: anything else there is a record we misread.
_TEXT_FIELDS = ("source_id", "url", "title", "company", "location", "country", "remote",
                "salary_currency", "salary_period", "salary_text", "department", "description",
                "description_html")
# Raised by `record["key"]`, `.get` on a non-dict, `int("x")` and the like: a bad record.
RECORD_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


class ApiSpider(scrapy.Spider):
    api_url: str = ""
    required_args: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        missing = [arg for arg in self.required_args if not getattr(self, arg, None)]
        if missing:
            wanted = " ".join(f"-a {arg}=..." for arg in missing)
            raise ValueError(f"{self.name} needs {wanted}")
        names = {arg: getattr(self, arg) for arg in self.required_args}
        self.api_url = self.api_url.format(**names).rstrip("/")

    def count(self, what: str) -> None:
        self.crawler.stats.inc_value(f"skillscout/{self.name}/{what}")

    def skip(self, reason: str) -> None:
        self.count("skipped")
        self.logger.warning("skipped a record: %s", reason)

    def load_json(self, response: Response) -> Any:
        """The response's JSON, or None (logged as an error) when it is not JSON at all."""
        try:
            return json.loads(response.text)
        except (ValueError, AttributeError) as exc:
            self.count("bad_response")
            self.logger.error("%s is not JSON: %s", response.url, exc)
            return None

    def items_from(self, records: Any, build: Callable[[Any], JobPosting | None]
                   ) -> Iterator[JobPosting]:
        """`build` each record into an item; a record it cannot read is skipped and counted."""
        if not isinstance(records, Iterable) or isinstance(records, str | bytes | dict):
            self.skip(f"expected a list of records, got {type(records).__name__}")
            return
        for record in records:
            item = self.build_one(record, build)
            if item is not None:
                yield item

    def build_one(self, record: Any, build: Callable[[Any], JobPosting | None]) -> JobPosting | None:
        try:
            item = build(record)
        except RECORD_ERRORS as exc:
            self.skip(f"{type(exc).__name__}: {exc}")
            return None
        if item is None:
            return None
        problem = item_problem(item)
        if problem:
            self.skip(f"{problem} in {item.source_id or item.url or str(record)[:80]}")
            return None
        return item


def item_problem(item: JobPosting) -> str | None:
    """Why an item cannot be used, or None: no title or URL, or a field of the wrong type."""
    for name in ("title", "url"):
        if not text(getattr(item, name)):
            return f"no {name}" if getattr(item, name) in (None, "") else f"{name} is not text"
    for name in _TEXT_FIELDS:
        value = getattr(item, name)
        if value is not None and not isinstance(value, str):
            return f"{name} is a {type(value).__name__}"
    return None


def text(value: Any) -> str | None:
    """A non-blank string as it is, anything else (None, "", "  ") as None."""
    return value if isinstance(value, str) and value.strip() else None


def join_html(*parts: str | None) -> str | None:
    joined = "".join(p for p in parts if isinstance(p, str) and p.strip())
    return joined or None


def section(title: str | None, body: str | None) -> str | None:
    """One titled section of an ad as HTML; None when the section is empty."""
    if not (isinstance(body, str) and body.strip()):
        return None
    # Section names are plain text (Personio's XML has already decoded "&amp;").
    heading = f"<h3>{html.escape(title.strip(), quote=False)}</h3>" if text(title) else ""
    return heading + body

