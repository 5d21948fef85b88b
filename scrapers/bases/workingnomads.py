"""Working Nomads jobs API: `GET {api_url}/api/exposed_jobs/`, a bare JSON array of the
latest remote jobs; no paging, no search, no key. The whole ad is `description` (HTML);
`tags` is one comma-separated string; there is no pay field."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting

_JOB_ID = re.compile(r"/job/go/(\d+)")


class WorkingNomadsSpider(SearchApiSpider):
    api_url = "https://www.workingnomads.com"
    requests_per_minute: ClassVar[float] = 10.0

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        return {} if place.remote else None

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        return self.api_request(f"{self.api_url}/api/exposed_jobs/", query, page)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        if not isinstance(data, list):
            raise TypeError(f"expected a list of jobs, got {type(data).__name__}")
        return data, None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        url = text(job.get("url"))
        found = _JOB_ID.search(url or "")
        return JobPosting(
            source=self.name,
            source_id=found.group(1) if found else url,
            url=url,
            title=plain(job.get("title")),
            company=company_name(job.get("company_name")),
            location=plain(job.get("location")),
            remote="remote",
            department=text(job.get("category_name")),
            posted_at=text(job.get("pub_date")),
            description_html=text(job.get("description")),
            description_truncated=False,
        )
