"""Adzuna job search API (https://developer.adzuna.com/docs/search).

`GET {api_url}/v1/api/jobs/{country}/search/{page}?app_id=&app_key=&what=&where=&distance=`
(`distance` in km), pages numbered from 1, `count` the total. Default access is 25 requests
a minute and 250 a day. The description is a ~500-character snippet ending in "…"; the
whole ad is only behind `redirect_url`. Salaries are yearly; `salary_is_predicted: "1"`
marks Adzuna's own estimate, which is not what the ad offers, so it is left out."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, miles_to_km, plain
from scrapers.items import JobPosting

# The countries Adzuna serves, with the currency its salaries are in.
CURRENCIES = {"gb": "GBP", "us": "USD", "at": "EUR", "au": "AUD", "be": "EUR", "br": "BRL",
              "ca": "CAD", "ch": "CHF", "de": "EUR", "es": "EUR", "fr": "EUR", "in": "INR",
              "it": "EUR", "mx": "MXN", "nl": "EUR", "nz": "NZD", "pl": "PLN", "sg": "SGD",
              "za": "ZAR"}
_QUERY_ARGS = ("what", "where", "distance", "max_days_old", "category")


class AdzunaSpider(SearchApiSpider):
    api_url = "https://api.adzuna.com"
    keys: ClassVar[dict[str, str]] = {"app_id": "ADZUNA_APP_ID", "app_key": "ADZUNA_APP_KEY"}
    register_url: ClassVar[str] = "https://developer.adzuna.com/signup"
    requests_per_minute: ClassVar[float] = 25.0
    search_args: ClassVar[tuple[str, ...]] = ("country", *_QUERY_ARGS)
    snippets_only: ClassVar[bool] = True

    country: str = "gb"
    results_per_page: int | str = 50
    max_pages: int | str = 2  # 250 requests a day go quickly

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        country = (place.country or "").lower()
        if country == "uk":
            country = "gb"
        if country not in CURRENCIES:
            return None  # Adzuna searches one country at a time
        if place.remote:
            return {"country": country, "what": f"{role} remote"}
        query: dict[str, Any] = {"country": country, "what": role}
        if place.near:
            query["where"] = place.near
            if place.radius_miles:
                query["distance"] = miles_to_km(place.radius_miles)
        return query

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        country = (query.get("country") or self.country).lower()
        params = {"app_id": self.key_values["app_id"], "app_key": self.key_values["app_key"],
                  "results_per_page": self.results_per_page,
                  **{k: query[k] for k in _QUERY_ARGS if query.get(k)},
                  "content-type": "application/json"}
        return self.api_request(f"{self.api_url}/v1/api/jobs/{country}/search/{page}?{urlencode(params)}",
                                query, page)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        results = data["results"]
        total, size = data.get("count"), int(self.results_per_page)
        more = isinstance(total, int) and page * size < total and len(results) >= size
        return results, self.page_request(query, page + 1) if more else None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        country = (self.query_country(job) or self.country).lower()
        estimated = str(job.get("salary_is_predicted")) == "1"
        if estimated:
            self.count("salary_estimated")
        low, high = (None, None) if estimated else (job.get("salary_min"), job.get("salary_max"))
        place = job.get("location") or {}
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=job.get("redirect_url"),
            title=plain(job.get("title")),
            company=company_name((job.get("company") or {}).get("display_name")),
            location=text(place.get("display_name")),
            country="GB" if country == "gb" else country.upper(),
            employment_type=_contract(job),
            salary_min=low,
            salary_max=high,
            salary_currency=CURRENCIES.get(country) if low is not None or high is not None else None,
            posted_at=job.get("created"),
            description=plain(job.get("description")),
            description_truncated=True,
        )

    def query_country(self, job: dict[str, Any]) -> str | None:
        """The country the ad is in, from its location's first area ("UK", "US")."""
        area = (job.get("location") or {}).get("area") or []
        first = area[0].lower() if area and isinstance(area[0], str) else None
        return "gb" if first == "uk" else first if first in CURRENCIES else None


def _contract(job: dict[str, Any]) -> str | None:
    if job.get("contract_type") == "contract":
        return "contract"
    return text(job.get("contract_time")) or text(job.get("contract_type"))
