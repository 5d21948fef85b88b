"""Recruitee careers-site API: `GET https://{company}.recruitee.com/api/offers/` lists every
published offer with its description and requirements as HTML, pay as strings and the
workplace as three flags (`remote`, `hybrid`, `on_site`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, join_html, text
from scrapers.items import JobPosting


class RecruiteeSpider(ApiSpider):
    api_url = "https://{company}.recruitee.com"
    required_args: ClassVar[tuple[str, ...]] = ("company",)
    company: str | None = None  # the careers-site subdomain

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/api/offers/")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        data = self.load_json(response)
        if data is None:
            return
        if not isinstance(data, dict):
            self.skip(f"expected an object with offers, got {type(data).__name__}")
            return
        yield from self.items_from(data.get("offers"), self.offer_item)

    def offer_item(self, offer: dict[str, Any]) -> JobPosting:
        pay = offer.get("salary") or {}
        return JobPosting(
            source=self.name,
            source_id=str(offer["id"]),
            url=offer.get("careers_url"),
            title=offer.get("title"),
            company=text(offer.get("company_name")) or self.company,
            location=text(offer.get("location")) or _place(offer),
            country=text(offer.get("country_code")) or text(offer.get("country")),
            remote=_workplace(offer),
            employment_type=_employment_labels(offer.get("employment_type_code")),
            department=text(offer.get("department")),
            salary_min=pay.get("min"),
            salary_max=pay.get("max"),
            salary_currency=text(pay.get("currency")),
            salary_period=text(pay.get("period")),
            posted_at=offer.get("published_at") or offer.get("created_at"),
            valid_through=offer.get("close_at"),
            description_html=join_html(offer.get("description"), offer.get("requirements")),
        )


def _place(offer: dict[str, Any]) -> str | None:
    parts = [text(offer.get(k)) for k in ("city", "state_name", "country")]
    return ", ".join(p for p in parts if p) or None


def _workplace(offer: dict[str, Any]) -> str | None:
    for flag, value in (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite")):
        if offer.get(flag) is True:
            return value
    return None


def _employment_labels(code: Any) -> list[str] | None:
    """`fulltime_permanent` -> ["fulltime", "permanent"]: labels the pipeline knows."""
    if not text(code):
        return None
    head, _, rest = code.partition("_")
    return [head, rest] if rest else [head]
