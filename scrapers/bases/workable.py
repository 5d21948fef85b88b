"""Workable widget API: `GET {api_url}/api/v1/widget/accounts/{account}?details=true`.

A job open in several places is listed once per location, each entry with the same
`shortcode`; it becomes one item that keeps every location. The widget has no pay fields."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, text
from scrapers.items import JobPosting


class WorkableSpider(ApiSpider):
    api_url = "https://apply.workable.com"
    required_args: ClassVar[tuple[str, ...]] = ("account",)
    account: str | None = None  # as in apply.workable.com/<account>
    company: str | None = None  # display name; the account's own name when not given

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/api/v1/widget/accounts/{self.account}?details=true")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        widget = self.load_json(response)
        if widget is None:
            return
        if not isinstance(widget, dict):
            self.skip(f"expected an account object, got {type(widget).__name__}")
            return
        self.company = self.company or text(widget.get("name")) or self.account
        jobs = widget.get("jobs")
        yield from self.items_from(_merge_by_shortcode(jobs) if isinstance(jobs, list) else jobs,
                                   self.job_item)

    def job_item(self, entries: list[dict[str, Any]]) -> JobPosting:
        job = entries[0]
        places = [_place(entry) for entry in entries]
        return JobPosting(
            source=self.name,
            source_id=str(job["shortcode"]),
            url=job.get("url") or job.get("shortlink"),
            title=job.get("title"),
            company=self.company,
            location=" / ".join(dict.fromkeys(p for p in places if p)) or None,
            country=_country_code(job),
            remote="remote" if job.get("telecommuting") is True else None,
            employment_type=text(job.get("employment_type")),
            department=text(job.get("department")),
            posted_at=job.get("published_on") or job.get("created_at"),
            description_html=text(job.get("description")),
        )


def _merge_by_shortcode(jobs: list[Any]) -> list[list[Any]]:
    """Entries grouped by shortcode in first-seen order; an entry without one stands alone."""
    groups: dict[Any, list[Any]] = {}
    for n, job in enumerate(jobs):
        key = job.get("shortcode") if isinstance(job, dict) else None
        groups.setdefault(key if key else ("#", n), []).append(job)
    return list(groups.values())


def _place(job: dict[str, Any]) -> str | None:
    parts = [text(job.get(k)) for k in ("city", "state", "country")]
    return ", ".join(dict.fromkeys(p.strip() for p in parts if p)) or None


def _country_code(job: dict[str, Any]) -> str | None:
    for place in job.get("locations") or []:
        if isinstance(place, dict) and text(place.get("countryCode")):
            return place["countryCode"]
    return text(job.get("country"))
