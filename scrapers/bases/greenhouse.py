"""Greenhouse job board API (https://developers.greenhouse.io/job-board.html).

`GET {api_url}/v1/boards/{board}` names the company; `GET .../jobs?content=true` lists every
open job with its description as entity-escaped HTML. Pay appears only when the employer
publishes pay ranges (`pay_transparency=true`)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, text
from scrapers.items import JobPosting

DEFAULT_API_URL = "https://boards-api.greenhouse.io"


class GreenhouseSpider(ApiSpider):
    api_url = DEFAULT_API_URL
    required_args: ClassVar[tuple[str, ...]] = ("board",)
    board: str | None = None  # the board token, as in boards.greenhouse.io/<token>
    company: str | None = None  # display name; the board's own name when not given

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/v1/boards/{self.board}", callback=self.parse_board,
                          errback=self.board_failed)

    def jobs_request(self) -> JsonRequest:
        url = f"{self.api_url}/v1/boards/{self.board}/jobs?content=true&pay_transparency=true"
        return JsonRequest(url, callback=self.parse_jobs)

    def parse_board(self, response: Response) -> Iterator[JsonRequest]:
        board = self.load_json(response)
        if isinstance(board, dict):
            self.company = self.company or text(board.get("name"))
        yield self.jobs_request()

    def board_failed(self, failure) -> Iterator[JsonRequest]:
        # The board's name is a nicety; the jobs are what matter.
        self.logger.warning("board info unavailable for %s: %s", self.board, failure.value)
        yield self.jobs_request()

    def parse_jobs(self, response: Response) -> Iterator[JobPosting]:
        data = self.load_json(response)
        if data is None:
            return
        yield from self.items_from(data.get("jobs") if isinstance(data, dict) else data, self.job_item)

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        pay = (job.get("pay_input_ranges") or [{}])[0]
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=job.get("absolute_url"),
            title=job.get("title"),
            company=text(job.get("company_name")) or self.company or self.board,
            location=(job.get("location") or {}).get("name"),
            employment_type=_metadata(job, "Employment Type"),
            salary_min=_cents(pay.get("min_cents")),
            salary_max=_cents(pay.get("max_cents")),
            salary_currency=pay.get("currency_type"),
            posted_at=job.get("first_published") or job.get("updated_at"),
            department=((job.get("departments") or [{}])[0] or {}).get("name"),
            description_html=html.unescape(job.get("content") or ""),
        )


def _metadata(job: dict[str, Any], name: str) -> Any:
    for field in job.get("metadata") or []:
        if isinstance(field, dict) and (field.get("name") or "").lower() == name.lower():
            return field.get("value")
    return None


def _cents(value: Any) -> float | None:
    return None if value in (None, "") else float(value) / 100
