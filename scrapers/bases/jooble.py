"""Jooble REST API (https://jooble.org/api/about).

`POST {api_url}/api/{key}` with a JSON body (`keywords`, `location`, `radius` in km,
`page`, `ResultOnPage`); `totalCount` gives the total. The key is part of the URL, so
it is masked in the logs like every key. Jooble gives a ~300-character `snippet` ending in
"..."; the whole ad is only behind `link`. Pay is free text ("$140.25k - $189.75k"). No
rate limit is published: one request every two seconds is our own pace."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, miles_to_km, plain
from scrapers.items import JobPosting

RADII_KM = (0, 4, 8, 16, 26, 40, 80)  # the values Jooble's `radius` accepts
_COUNTRY_NAMES = {"GB": "United Kingdom", "US": "United States", "IE": "Ireland", "DE": "Germany",
                  "FR": "France", "NL": "Netherlands", "CA": "Canada", "AU": "Australia"}


class JoobleSpider(SearchApiSpider):
    api_url = "https://jooble.org"
    keys: ClassVar[dict[str, str]] = {"api_key": "JOOBLE_API_KEY"}
    register_url: ClassVar[str] = "https://jooble.org/api/about"
    requests_per_minute: ClassVar[float] = 30.0
    search_args: ClassVar[tuple[str, ...]] = ("keywords", "location", "radius", "salary", "companysearch")
    snippets_only: ClassVar[bool] = True
    max_pages: int | str = 3
    results_on_page: int | str = 20

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        if place.remote:
            country = _COUNTRY_NAMES.get((place.country or "").upper(), "")
            return {"keywords": f"{role} remote", "location": country}
        if place.near:
            query: dict[str, Any] = {"keywords": role, "location": place.near}
            if place.radius_miles:
                km = miles_to_km(place.radius_miles)
                query["radius"] = next((r for r in RADII_KM if r >= km), RADII_KM[-1])
            return query
        country = _COUNTRY_NAMES.get((place.country or "").upper())
        return {"keywords": role, "location": country} if country else None

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        body = {**query, "page": str(page), "ResultOnPage": str(self.results_on_page)}
        return self.api_request(f"{self.api_url}/api/{self.key_values['api_key']}", query, page,
                                request_class=JsonRequest, method="POST",
                                body=json.dumps(body).encode())

    def read_page(self, data: Any, query: dict[str, str], page: int):
        jobs, total = data["jobs"], data.get("totalCount")
        size = int(self.results_on_page)
        more = isinstance(total, int) and page * size < total and len(jobs) >= size
        return jobs, self.page_request(query, page + 1) if more else None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        snippet = plain(job.get("snippet"))
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=text(job.get("link")),
            title=plain(job.get("title")),
            company=company_name(job.get("company")),
            location=plain(job.get("location")),
            employment_type=text(job.get("type")),
            salary_text=text(job.get("salary")),
            posted_at=text(job.get("updated")),
            description=snippet,
            description_truncated=True,
        )
