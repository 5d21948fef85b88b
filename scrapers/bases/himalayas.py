"""Himalayas remote jobs feed (https://himalayas.app/api).

`GET {api_url}/jobs/api?limit=20`, then `?cursor=<nextCursor>` (the response's own notes
deprecate `offset` for the cursor); newest jobs first, no keyword search, so the flow's
role filter picks the data roles. Every job is remote; `locationRestrictions` lists the
countries it is open to. The API returns the whole ad as HTML, pay as `minSalary`/
`maxSalary` with `currency` and `salaryPeriod` ("annual", "hourly"), and dates as epoch
seconds. No rate limit is published: one request every two seconds is our own pace."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting


class HimalayasSpider(SearchApiSpider):
    api_url = "https://himalayas.app"
    requests_per_minute: ClassVar[float] = 30.0
    limit: int | str = 20  # the most the API gives a request
    max_pages: int | str = 10

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        return {} if place.remote else None  # one feed serves every remote search

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        params = {"limit": self.limit, **({"cursor": kwargs["cursor"]} if kwargs.get("cursor") else {})}
        return self.api_request(f"{self.api_url}/jobs/api?{urlencode(params)}", query, page)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        cursor = text(data.get("nextCursor"))
        jobs = data["jobs"]
        return jobs, self.page_request(query, page + 1, cursor=cursor) if cursor and jobs else None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        places = [p.strip() for p in job.get("locationRestrictions") or []
                  if isinstance(p, str) and p.strip()]
        paid = job.get("minSalary") is not None or job.get("maxSalary") is not None
        return JobPosting(
            source=self.name,
            source_id=text(job.get("guid")) or job["applicationLink"],
            url=text(job.get("applicationLink")) or text(job.get("guid")),
            title=plain(job.get("title")),
            company=company_name(job.get("companyName")),
            location="; ".join(places) or "Anywhere",
            remote="remote",
            employment_type=text(job.get("employmentType")),
            salary_min=job.get("minSalary"),
            salary_max=job.get("maxSalary"),
            salary_currency=text(job.get("currency")) if paid else None,
            salary_period=text(job.get("salaryPeriod")) if paid else None,
            posted_at=job.get("pubDate"),
            valid_through=job.get("expiryDate"),
            description_html=text(job.get("description")),
            description_truncated=False,
        )
