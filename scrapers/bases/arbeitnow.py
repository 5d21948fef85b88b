"""Arbeitnow job board API: `GET {api_url}/api/job-board-api`, paged by `links.next` until
it is null. Jobs are mostly in Germany; `created_at` is in epoch seconds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, text
from scrapers.items import JobPosting


class ArbeitnowSpider(ApiSpider):
    api_url = "https://www.arbeitnow.com"
    max_pages: int | str = 1000  # a guard against a `next` link that never ends

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/api/job-board-api", cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int) -> Iterator[JobPosting | JsonRequest]:
        data = self.load_json(response)
        if data is None:
            return
        if not isinstance(data, dict):
            self.skip(f"expected an object with data, got {type(data).__name__}")
            return
        yield from self.items_from(data.get("data"), self.job_item)
        next_url = text((data.get("links") or {}).get("next"))
        if next_url and page < int(self.max_pages):
            yield JsonRequest(self.on_api(next_url), cb_kwargs={"page": page + 1})

    def on_api(self, url: str) -> str:
        """The same path and query on the API we were pointed at (a recorded page's `next`
        link names the real host)."""
        api = urlsplit(self.api_url)
        return urlsplit(url)._replace(scheme=api.scheme, netloc=api.netloc).geturl()

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        return JobPosting(
            source=self.name,
            source_id=str(job["slug"]),
            url=job.get("url"),
            title=job.get("title"),
            company=text(job.get("company_name")),
            location=text(job.get("location")),
            remote="remote" if job.get("remote") is True else None,
            employment_type=job.get("job_types") or None,
            posted_at=job.get("created_at"),
            description_html=text(job.get("description")),
        )
