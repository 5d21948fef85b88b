"""Ashby job posting API (https://developers.ashbyhq.com/docs/public-job-posting-api).

`GET {api_url}/posting-api/job-board/{board}?includeCompensation=true` lists a board's jobs.
Pay comes as compensation tiers made of components (salary, equity, bonus); only a
`Salary` component is pay. Jobs with `isListed: false` are reachable by link only: the
employer does not advertise them, so neither do we."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, text
from scrapers.items import JobPosting


class AshbySpider(ApiSpider):
    api_url = "https://api.ashbyhq.com"
    required_args: ClassVar[tuple[str, ...]] = ("board",)
    board: str | None = None  # as in jobs.ashbyhq.com/<board>
    company: str | None = None  # display name; the board name when not given

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/posting-api/job-board/{self.board}?includeCompensation=true")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        board = self.load_json(response)
        if board is None:
            return
        if not isinstance(board, dict):
            self.skip(f"expected a job board object, got {type(board).__name__}")
            return
        yield from self.items_from(board.get("jobs"), self.job_item)

    def job_item(self, job: dict[str, Any]) -> JobPosting | None:
        if job.get("isListed") is False:
            self.count("unlisted")
            return None
        address = ((job.get("address") or {}).get("postalAddress")) or {}
        pay = _salary_component(job.get("compensation") or {})
        workplace = text(job.get("workplaceType"))
        if not workplace and job.get("isRemote") is True:
            workplace = "remote"
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=job.get("jobUrl"),
            title=job.get("title"),
            company=self.company or self.board,
            location=text(job.get("location")),
            country=text(address.get("addressCountry")),
            remote=workplace,
            employment_type=text(job.get("employmentType")),
            department=text(job.get("department")),
            salary_min=pay.get("minValue"),
            salary_max=pay.get("maxValue"),
            salary_currency=text(pay.get("currencyCode")),
            salary_period=text(pay.get("interval")),
            posted_at=job.get("publishedAt"),
            description_html=text(job.get("descriptionHtml")),
        )


def _salary_component(compensation: dict[str, Any]) -> dict[str, Any]:
    """The first `Salary` component of any tier; equity and bonus are not pay."""
    components = [c for tier in compensation.get("compensationTiers") or []
                  for c in tier.get("components") or []]
    for component in components + list(compensation.get("summaryComponents") or []):
        if component.get("compensationType") == "Salary":
            return component
    return {}
