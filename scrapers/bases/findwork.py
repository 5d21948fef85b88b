"""Findwork API (https://findwork.dev/developers/).

`GET {api_url}/api/jobs/?search=&location=&remote=&sort_by=date` with the header
`Authorization: Token <key>`; paged Django-REST style by `next` (a full URL) until it is
null. `text` is the whole ad in plain text with the odd `<br>`; there is no pay field, and
`location` is free text (sometimes a company's URL, which is not a place). Findwork allows
60 requests a minute."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from scrapy.http import Request

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, company_name, plain
from scrapers.items import JobPosting


class FindworkSpider(SearchApiSpider):
    api_url = "https://findwork.dev"
    keys: ClassVar[dict[str, str]] = {"api_key": "FINDWORK_API_KEY"}
    register_url: ClassVar[str] = "https://findwork.dev/developers/"
    requests_per_minute: ClassVar[float] = 60.0
    search_args: ClassVar[tuple[str, ...]] = ("search", "location", "remote", "employment_type", "sort_by")

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        if place.remote:
            return {"search": role, "remote": "true", "sort_by": "date"}
        if place.near:
            return {"search": role, "location": place.near, "sort_by": "date"}
        return None  # no country filter

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        url = kwargs.get("url") or f"{self.api_url}/api/jobs/?{urlencode(query)}"
        headers = {"Authorization": f"Token {self.key_values['api_key']}", "Accept": "application/json"}
        return self.api_request(url, query, page, headers=headers)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        following = text(data.get("next"))
        if not following:
            return data["results"], None
        return data["results"], self.page_request(query, page + 1, url=self.on_api(following))

    def on_api(self, url: str) -> str:
        """The same path and query on the API we were pointed at (a recorded page's `next`
        names the real host)."""
        api = urlsplit(self.api_url)
        return urlsplit(url)._replace(scheme=api.scheme, netloc=api.netloc).geturl()

    def job_item(self, job: dict[str, Any]) -> JobPosting:
        place = plain(job.get("location"))
        if place and place.lower().startswith(("http://", "https://", "www.")):
            place = None
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=text(job.get("url")),
            title=plain(job.get("role")),
            company=company_name(job.get("company_name")),
            location=place,
            remote="remote" if job.get("remote") is True else None,
            employment_type=text(job.get("employment_type")),
            posted_at=text(job.get("date_posted")),
            description=text(job.get("text")),
            description_truncated=False,
        )
