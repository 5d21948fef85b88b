"""Read schema.org `JobPosting` objects out of a page's JSON-LD.

Spiders built on `StructuredDataSpider` call `parse_job_page` on any response; each
`JobPosting` found becomes one `JobPosting` item with its fields still as published (the
item pipelines normalise them). A block that is not valid JSON is counted in the crawl
stats (`skillscout/jsonld/malformed`) and skipped, never fatal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from scrapers.items import JobPosting


def iter_json_ld(response: Response, stats=None) -> Iterator[dict]:
    for block in response.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(block, strict=False)  # strict=False: raw newlines in strings
        except json.JSONDecodeError:
            if stats is not None:
                stats.inc_value("skillscout/jsonld/malformed")
            continue
        yield from _nodes(data)


def _nodes(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for entry in data:
            yield from _nodes(entry)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _nodes(data["@graph"])
        else:
            yield data


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
    return value.strip() if isinstance(value, str) and value.strip() else None


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
        title=node.get("title") or node.get("name"),
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


class StructuredDataSpider(scrapy.Spider):
    """Base for sites whose job pages embed schema.org `JobPosting` JSON-LD."""

    def parse_job_page(self, response: Response) -> Iterator[JobPosting]:
        stats = self.crawler.stats if hasattr(self, "crawler") else None
        for node in iter_json_ld(response, stats):
            if is_job_posting(node):
                item = job_posting_item(node, response.url, self.name)
                item.url = response.urljoin(item.url) if item.url else response.url
                if item.source_id:
                    # Identifiers are only unique within a site ("123" is on many).
                    item.source_id = f"{urlparse(response.url).hostname}/{item.source_id}"
                yield self.post_process_item(item, response, node)

    def post_process_item(self, item: JobPosting, response: Response, node: dict) -> JobPosting:
        """Hook for site-specific fixes; most spiders need none."""
        return item
