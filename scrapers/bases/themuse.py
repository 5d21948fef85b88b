"""The Muse public jobs API (https://www.themuse.com/developers/api/v2).

`GET {api_url}/api/public/jobs?page=&category=&location=&level=&company=`, 20 jobs a page,
pages from 1 up to `page_count`. No keyword search: roles map to The Muse's categories.
Without a key the API allows 500 requests an hour (3,600 with the optional `api_key`) and
answers a spent quota with 403 and `X-RateLimit-Remaining: 0`. `contents` is the whole ad
as HTML; there is no pay field."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting

REMOTE = "Flexible / Remote"
# A role's words → The Muse's job categories (no keyword search there): science and ML roles
# are in "Data Science", the rest of data work in "Data and Analytics".
_SCIENCE = re.compile(r"scien|machine learning|\bml|\bai\b|\bnlp\b|vision|research|statistic|\bllm", re.I)
_DATA = re.compile(r"\bdata\b|analy|\bbi\b|business intelligence|insight|reporting|gis|geospatial"
                   r"|quant", re.I)


def category_for(role: str) -> str | None:
    if _SCIENCE.search(role):
        return "Data Science"
    if _DATA.search(role):
        return "Data and Analytics"
    return None


_COUNTRY_NAMES = {"GB": "United Kingdom", "UK": "United Kingdom", "IE": "Ireland", "DE": "Germany",
                  "FR": "France", "NL": "Netherlands", "ES": "Spain", "CA": "Canada", "AU": "Australia"}


class TheMuseSpider(SearchApiSpider):
    api_url = "https://www.themuse.com"
    keys: ClassVar[dict[str, str]] = {"api_key": "THEMUSE_API_KEY"}
    optional_keys: ClassVar[frozenset[str]] = frozenset({"api_key"})
    register_url: ClassVar[str] = "https://www.themuse.com/developers/api/v2/apps"
    requests_per_minute: ClassVar[float] = 500 / 60  # the keyless hourly limit, spread evenly
    search_args: ClassVar[tuple[str, ...]] = ("category", "location", "level", "company")
    max_pages: int | str = 3

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        category = category_for(role)
        if category is None:
            return None
        if place.remote:
            return {"category": category, "location": REMOTE}
        if place.near:
            near = place.near
            country = _COUNTRY_NAMES.get((place.country or "").upper())
            if "," not in near and country:
                near = f"{near}, {country}"  # The Muse names places "London, United Kingdom"
            return {"category": category, "location": near}
        return {"category": category}

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        params = {**query, "page": page, "descending": "true"}
        if self.key_values.get("api_key"):
            params["api_key"] = self.key_values["api_key"]
        return self.api_request(f"{self.api_url}/api/public/jobs?{urlencode(params)}", query, page)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        pages = data.get("page_count")
        more = isinstance(pages, int) and page < pages and bool(data["results"])
        return data["results"], self.page_request(query, page + 1) if more else None

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        places = [plain(p.get("name")) for p in job.get("locations") or [] if isinstance(p, dict)]
        remote = REMOTE in places
        places = [p for p in places if p and p != REMOTE]
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=(job.get("refs") or {}).get("landing_page"),
            title=plain(job.get("name")),
            company=company_name((job.get("company") or {}).get("name")),
            location="; ".join(places) or (REMOTE if remote else None),
            remote="remote" if remote else None,
            posted_at=job.get("publication_date"),
            description_html=text(job.get("contents")),
            description_truncated=False,
        )
