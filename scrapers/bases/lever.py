"""Lever postings API (https://github.com/lever/postings-api).

`GET {api_url}/v0/postings/{site}?mode=json` lists every published posting of one site.
The ad is split in three: `description` (opening and body), `lists` (titled bullet lists
whose `content` is bare `<li>` items) and `additional` (closing text)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, join_html, section, text
from scrapers.items import JobPosting


class LeverSpider(ApiSpider):
    api_url = "https://api.lever.co"
    required_args: ClassVar[tuple[str, ...]] = ("site",)
    site: str | None = None  # as in jobs.lever.co/<site>
    company: str | None = None  # display name; the site name when not given

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/v0/postings/{self.site}?mode=json")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        postings = self.load_json(response)
        if postings is not None:
            yield from self.items_from(postings, self.posting_item)

    def posting_item(self, posting: dict[str, Any]) -> JobPosting:
        categories = posting.get("categories") or {}
        pay = posting.get("salaryRange") or {}
        lists = [section(entry.get("text"), entry.get("content"))
                 for entry in posting.get("lists") or []]
        return JobPosting(
            source=self.name,
            source_id=str(posting["id"]),
            url=posting.get("hostedUrl"),
            title=posting.get("text"),
            company=self.company or self.site,
            location=text(categories.get("location")),
            country=text(posting.get("country")),
            remote=text(posting.get("workplaceType")),  # "unspecified" reads as unknown
            employment_type=text(categories.get("commitment")),
            department=text(categories.get("department")),
            salary_min=pay.get("min"),
            salary_max=pay.get("max"),
            salary_currency=text(pay.get("currency")),
            salary_period=text(pay.get("interval")),
            salary_text=text(posting.get("salaryDescriptionPlain")),  # read when no salaryRange
            posted_at=posting.get("createdAt"),
            description_html=join_html(posting.get("description"), *lists, posting.get("additional")),
        )
