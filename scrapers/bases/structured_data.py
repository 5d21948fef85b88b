"""Read schema.org `JobPosting` objects out of a page's JSON-LD, or its microdata when it
has no JSON-LD job.

Spiders built on `StructuredDataSpider` call `parse_job_page` on any response; each
`JobPosting` found becomes one `JobPosting` item with its fields still as published (the
item pipelines normalise them). A block that is not valid JSON is counted in the crawl
stats (`skillscout/jsonld/malformed`) and, unless a trailing comma was all that was wrong
with it, skipped; never fatal."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response, TextResponse

from scrapers.bases.microdata import iter_microdata
from scrapers.items import JobPosting

# `{"name": "Acme",}`: invalid JSON that browsers and search engines accept without a word.
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_MAX_REF_DEPTH = 4


def iter_json_ld(response: Response, stats=None) -> Iterator[dict]:
    for block in response.xpath('//script[@type="application/ld+json"]/text()').getall():
        data = _load_block(block)
        if data is None:
            if stats is not None:
                stats.inc_value("skillscout/jsonld/malformed")
            data = _load_block(_TRAILING_COMMA.sub(r"\1", block))
        if data is not None:
            yield from _nodes(data)


def _load_block(block: str) -> Any:
    try:
        return json.loads(block, strict=False)  # strict=False: raw newlines in strings
    except json.JSONDecodeError:
        return None


def _nodes(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for entry in data:
            yield from _nodes(entry)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _nodes(data["@graph"])
        else:
            yield data


def resolve_refs(value: Any, by_id: dict[str, dict], depth: int = 0) -> Any:
    """`{"@id": "...#organization"}` replaced by the node it names (Yoast-style `@graph`s
    name the hiring organisation only by reference)."""
    if depth > _MAX_REF_DEPTH:
        return value
    if isinstance(value, list):
        return [resolve_refs(v, by_id, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    ref = value.get("@id")
    if isinstance(ref, str) and ref in by_id and set(value) <= {"@id", "@type"}:
        value = by_id[ref]
    return {k: resolve_refs(v, by_id, depth + 1) if k != "@id" else v for k, v in value.items()}


def is_job_posting(node: dict) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1] == "JobPosting" for t in types)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name")
    return _plain(value)


def _plain(value: Any) -> str | None:
    """A name or title as text: some sites entity-escape them ("Pricing &amp; Promotions")."""
    if not isinstance(value, str):
        return None
    value = " ".join(html.unescape(value).split())
    return value or None


def _address(job_location: Any) -> tuple[str | None, str | None]:
    """(display location, country) of the first `Place` that has an address."""
    places = job_location if isinstance(job_location, list) else [job_location]
    for place in places:
        if not isinstance(place, dict):
            continue
        address = place.get("address", place)
        if isinstance(address, str):
            return address, None
        if not isinstance(address, dict):
            continue
        country = address.get("addressCountry")
        country = _name(country) if isinstance(country, dict | list) else country
        parts = [address.get("addressLocality"), address.get("addressRegion"), country]
        text = ", ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        return text or None, country
    return None, None


def _salary(base_salary: Any) -> dict[str, Any]:
    amount = _first(base_salary)
    if not isinstance(amount, dict):
        return {"salary_text": str(amount)} if amount not in (None, "") else {}
    value = amount.get("value")
    currency = amount.get("currency") or amount.get("salaryCurrency")
    if isinstance(value, dict):
        low = value.get("minValue", value.get("value"))
        high = value.get("maxValue", value.get("value"))
        unit = value.get("unitText") or amount.get("unitText")
        currency = currency or value.get("currency")
    else:
        low = high = value
        unit = amount.get("unitText")
    return {"salary_min": low, "salary_max": high, "salary_currency": currency,
            "salary_period": unit}


def job_posting_item(node: dict, url: str, source: str) -> JobPosting:
    location, country = _address(node.get("jobLocation"))
    identifier = node.get("identifier")
    source_id = identifier.get("value") if isinstance(identifier, dict) else identifier
    # schema.org: a job without jobLocationType TELECOMMUTE is done at its jobLocation; the
    # remote pipeline still upgrades it to hybrid or remote when the ad says so.
    if str(node.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        remote = "remote"
        location = location or _name(node.get("applicantLocationRequirements"))
    else:
        remote = "onsite" if location else None
    return JobPosting(
        source=source,
        source_id=str(source_id) if source_id not in (None, "") else None,
        url=node.get("url") if isinstance(node.get("url"), str) else url,
        title=_plain(node.get("title")) or _plain(node.get("name")),
        company=_name(node.get("hiringOrganization")),
        location=location,
        country=country,
        remote=remote,
        employment_type=node.get("employmentType"),
        posted_at=node.get("datePosted"),
        valid_through=node.get("validThrough"),
        department=_name(node.get("occupationalCategory")),
        description_html=node.get("description"),
        **_salary(node.get("baseSalary") or node.get("estimatedSalary")),
    )


def job_nodes(response: Response, stats=None) -> list[dict]:
    """The page's schema.org `JobPosting` objects: from JSON-LD, else from microdata."""
    if not isinstance(response, TextResponse):
        return []
    nodes = list(iter_json_ld(response, stats))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    jobs = [resolve_refs(n, by_id) for n in nodes if is_job_posting(n)]
    if not jobs and "JobPosting" in response.text:  # parsing the page again costs; most have none
        jobs = [n for n in iter_microdata(response.text) if is_job_posting(n)]
        if jobs and stats is not None:
            stats.inc_value("skillscout/microdata/jobs", len(jobs))
    return jobs


class StructuredDataSpider(scrapy.Spider):
    """Base for sites whose job pages embed schema.org `JobPosting` (JSON-LD or microdata)."""

    def parse_job_page(self, response: Response) -> Iterator[JobPosting]:
        stats = self.crawler.stats if hasattr(self, "crawler") else None
        for node in job_nodes(response, stats):
            item = job_posting_item(node, response.url, self.name)
            item.url = response.urljoin(item.url) if item.url else response.url
            if item.source_id:
                # Identifiers are only unique within a site ("123" is on many).
                item.source_id = f"{urlparse(response.url).hostname}/{item.source_id}"
            yield self.post_process_item(item, response, node)

    def post_process_item(self, item: JobPosting, response: Response, node: dict) -> JobPosting:
        """Hook for site-specific fixes; most spiders need none."""
        return item
