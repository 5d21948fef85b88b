"""Remotive public API: `GET {api_url}/api/remote-jobs[?category=SLUG]`.

Every job is remote; `candidate_required_location` says from where. Pay is free text
("$40 - $55/hr"), so it goes to `salary_text` for the salary pipeline to read."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, text
from scrapers.items import JobPosting


class RemotiveSpider(ApiSpider):
    api_url = "https://remotive.com"
    category: str | None = None  # e.g. "data"; every category when not given

    async def start(self) -> AsyncIterator[JsonRequest]:
        query = f"?{urlencode({'category': self.category})}" if self.category else ""
        yield JsonRequest(f"{self.api_url}/api/remote-jobs{query}")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        data = self.load_json(response)
        if data is None:
            return
        if not isinstance(data, dict):
            self.skip(f"expected an object with jobs, got {type(data).__name__}")
            return
        yield from self.items_from(data.get("jobs"), self.job_item)

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=job.get("url"),
            title=job.get("title"),
            company=text(job.get("company_name")),
            location=text(job.get("candidate_required_location")),
            remote="remote",
            employment_type=text(job.get("job_type")),
            salary_text=text(job.get("salary")),
            posted_at=job.get("publication_date"),
            description_html=text(job.get("description")),
        )
