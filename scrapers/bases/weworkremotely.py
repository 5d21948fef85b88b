"""We Work Remotely RSS feeds: `GET {api_url}/remote-jobs.rss` (every category) or
`/categories/{category}.rss` (e.g. `remote-programming-jobs`). RSS 2.0 with extra elements:
`<region>` (where candidates may live), `<country>`, `<state>`, `<type>`, `<expires_at>`.
`<title>` is "Company: Job title"; `<description>` is the whole ad as entity-escaped HTML.
The feed asks to be read at most hourly (`<ttl>60</ttl>`)."""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

from scrapy.http import Request, Response

from scrapers.bases.api import text
from scrapers.bases.search_api import Place, SearchApiSpider, plain
from scrapers.items import JobPosting


def rfc822(value: str | None) -> str | None:
    """`Fri, 10 Jul 2026 22:45:30 +0000` → ISO 8601 (the dates pipeline reads ISO only)."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip()).isoformat()
    except (TypeError, ValueError):
        return None


class WeWorkRemotelySpider(SearchApiSpider):
    api_url = "https://weworkremotely.com"
    requests_per_minute: ClassVar[float] = 6.0
    search_args: ClassVar[tuple[str, ...]] = ("category",)

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        return {} if place.remote else None

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        category = query.get("category")
        path = f"/categories/{category}.rss" if category else "/remote-jobs.rss"
        return self.api_request(f"{self.api_url}{path}", query, page)

    def load_json(self, response: Response) -> Any:
        """The feed is XML: hand `read_page` its items."""
        response.selector.remove_namespaces()
        channel = response.xpath("/rss/channel")
        if not channel:
            self.count("bad_response")
            self.logger.error("%s is not an RSS feed", response.url)
            return None
        return channel[0].xpath("item")

    def read_page(self, data: Any, query: dict[str, str], page: int) -> tuple[Iterable[Any], None]:
        return data, None

    def job_item(self, entry: Any) -> JobPosting:
        field = lambda name: text(entry.xpath(f"string({name})").get())  # noqa: E731 - a local reader
        company, _, title = (field("title") or "").partition(": ")
        if not title:
            company, title = "", company
        return JobPosting(
            source=self.name,
            source_id=field("guid") or field("link"),
            url=field("link") or field("guid"),
            title=plain(title),
            company=plain(company),
            location=plain(field("region")) or plain(field("country")),
            remote="remote",
            employment_type=field("type"),
            department=plain(field("category")),
            posted_at=rfc822(field("pubDate")),
            valid_through=rfc822(field("expires_at")),
            description_html=field("description"),
            description_truncated=False,
        )
