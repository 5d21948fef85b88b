"""Reed.co.uk jobseeker API (https://www.reed.co.uk/developers/jobseeker).

`GET {api_url}/api/1.0/search?keywords=&locationName=&distanceFromLocation=` (miles), paged
by `resultsToSkip` up to `totalResults`, 100 at most a page; HTTP Basic auth with the key as
user name and an empty password. Search results carry a ~450-character snippet; the whole
ad (HTML) and the pay's period are in `GET {api_url}/api/1.0/jobs/{jobId}`. Dates are
`dd/mm/yyyy`. Reed publishes no rate limit: one request a second is our own pace."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Request, Response

from scrapers.bases.api import text
from scrapers.bases.search_api import API_STATUSES, Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def uk_date(value: Any) -> str | None:
    """`13/07/2025` → `2025-07-13`."""
    m = _UK_DATE.match(value.strip()) if isinstance(value, str) else None
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


class ReedSpider(SearchApiSpider):
    api_url = "https://www.reed.co.uk"
    keys: ClassVar[dict[str, str]] = {"api_key": "REED_API_KEY"}
    register_url: ClassVar[str] = "https://www.reed.co.uk/developers/jobseeker"
    requests_per_minute: ClassVar[float] = 60.0
    search_args: ClassVar[tuple[str, ...]] = (
        "keywords", "locationName", "distanceFromLocation", "minimumSalary", "maximumSalary",
        "permanent", "contract", "temp", "partTime", "fullTime", "graduate")
    snippets_only: ClassVar[bool] = True

    results_to_take: int | str = 100

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        if (place.country or "GB").upper() not in ("GB", "UK"):
            return None  # Reed lists UK jobs
        if place.remote:
            return {"keywords": f"{role} remote"}
        query: dict[str, Any] = {"keywords": role}
        if place.near:
            query["locationName"] = place.near
            if place.radius_miles:
                query["distanceFromLocation"] = round(place.radius_miles)
        return query

    def auth(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.key_values['api_key']}:".encode()).decode()
        return {"Authorization": f"Basic {token}", "Accept": "application/json"}

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        take = int(self.results_to_take)
        params = {**query, "resultsToTake": take, "resultsToSkip": (page - 1) * take}
        return self.api_request(f"{self.api_url}/api/1.0/search?{urlencode(params)}", query, page,
                                headers=self.auth())

    def read_page(self, data: Any, query: dict[str, str], page: int):
        results = data["results"]
        take, total = int(self.results_to_take), data.get("totalResults")
        more = isinstance(total, int) and page * take < total and len(results) >= take
        return results, self.page_request(query, page + 1) if more else None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        return JobPosting(
            source=self.name,
            source_id=str(job["jobId"]),
            url=job.get("jobUrl"),
            title=plain(job.get("jobTitle")),
            company=company_name(job.get("employerName")),
            location=text(job.get("locationName")),
            country="GB",
            salary_min=job.get("minimumSalary"),
            salary_max=job.get("maximumSalary"),
            salary_currency=text(job.get("currency")),
            posted_at=uk_date(job.get("date")),
            valid_through=uk_date(job.get("expirationDate")),
            description=plain(job.get("jobDescription")),
            description_truncated=True,
        )

    def full_text_request(self, item: JobPosting, record: Any) -> Request | None:
        return scrapy.Request(f"{self.api_url}/api/1.0/jobs/{item.source_id}", headers=self.auth(),
                              callback=self.parse_details, errback=self.details_failed,
                              cb_kwargs={"item": item},
                              meta={"handle_httpstatus_list": API_STATUSES})

    def parse_details(self, response: Response, item: JobPosting) -> Iterator[Any]:
        details = self.load_json(response) if self.api_answered(response, f"job {item.source_id}") else None
        if not (isinstance(details, dict) and text(details.get("jobDescription"))):
            self.count("details_missing")
            yield from self.after_details(item)
            return
        self.count("full_text/details")
        item.description_html, item.description = details["jobDescription"], None
        item.description_truncated = False
        if details.get("minimumSalary") is not None or details.get("maximumSalary") is not None:
            item.salary_min, item.salary_max = details.get("minimumSalary"), details.get("maximumSalary")
            item.salary_period = text(details.get("salaryType"))
            item.salary_currency = text(details.get("currency")) or item.salary_currency
        item.salary_text = text(details.get("salary"))
        item.employment_type = _employment(details)
        item.posted_at = uk_date(details.get("datePosted")) or item.posted_at
        item.valid_through = uk_date(details.get("expirationDate")) or item.valid_through
        yield self.finished(item)

    def details_failed(self, failure: Any) -> Iterator[Any]:
        self.count("details_failed")
        self.logger.warning("%s: job details unavailable: %s", self.name, failure.value)
        yield from self.after_details(failure.request.cb_kwargs["item"])

    def after_details(self, item: JobPosting) -> Iterator[Any]:
        """No details: the ad's page on reed.co.uk, else the snippet."""
        request = self.ad_page_request(item)
        yield request if request is not None else self.finished(item)


def _employment(details: dict[str, Any]) -> str | list[str] | None:
    kinds = [text(details.get("contractType"))]
    if details.get("partTime") is True and details.get("fullTime") is not True:
        kinds.append("part_time")
    elif details.get("fullTime") is True:
        kinds.append("full_time")
    kinds = [k for k in kinds if k]
    return kinds or None
