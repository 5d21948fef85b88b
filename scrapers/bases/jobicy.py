"""Jobicy remote jobs API (https://jobicy.com/jobs-rss-feed).

`GET {api_url}/api/v2/remote-jobs?count=&geo=&industry=&tag=`: one request, no paging (at
most 100 jobs). Jobicy asks callers to read the feed a few times a day at most, so this
spider waits ten seconds between searches. `jobDescription` is the whole ad as HTML. Pay
changed shape over time: `annualSalaryMin`/`annualSalaryMax` (2024) or `salaryMin`/
`salaryMax` with `salaryPeriod` (2026), both with `salaryCurrency`; industries come
entity-escaped ("DevOps &amp; SysAdmin")."""

from __future__ import annotations

import html
from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting

# ISO country → Jobicy's `geo` slugs.
GEOS = {"GB": "uk", "US": "usa", "CA": "canada", "DE": "germany", "FR": "france", "ES": "spain",
        "NL": "netherlands", "IE": "ireland", "AU": "australia", "PL": "poland", "PT": "portugal"}


class JobicySpider(SearchApiSpider):
    api_url = "https://jobicy.com"
    requests_per_minute: ClassVar[float] = 6.0
    search_args: ClassVar[tuple[str, ...]] = ("tag", "geo", "industry")
    limit: int | str = 50  # jobs wanted (the API gives at most 100)

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        if not place.remote:
            return None
        query: dict[str, Any] = {"tag": role}
        geo = GEOS.get((place.country or "").upper())
        if geo:
            query["geo"] = geo
        return query

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        params = {"count": self.limit, **query}
        return self.api_request(f"{self.api_url}/api/v2/remote-jobs?{urlencode(params)}", query, page)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        return data["jobs"], None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        low = job.get("salaryMin", job.get("annualSalaryMin"))
        high = job.get("salaryMax", job.get("annualSalaryMax"))
        paid = low not in (None, "") or high not in (None, "")
        yearly = "annualSalaryMin" in job or "annualSalaryMax" in job  # the 2024 fields
        period = text(job.get("salaryPeriod")) or ("year" if yearly else None)
        industries = [html.unescape(i) for i in job.get("jobIndustry") or [] if isinstance(i, str)]
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=text(job.get("url")),
            title=plain(job.get("jobTitle")),
            company=company_name(job.get("companyName")),
            location=plain(job.get("jobGeo")),
            remote="remote",
            employment_type=job.get("jobType") or None,
            department=", ".join(industries) or None,
            salary_min=low if paid else None,
            salary_max=high if paid else None,
            salary_currency=text(job.get("salaryCurrency")) if paid else None,
            salary_period=period if paid else None,
            posted_at=text(job.get("pubDate")),
            description_html=text(job.get("jobDescription")),
            description_truncated=False,
        )
