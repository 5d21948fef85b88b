"""USAJOBS search API, US federal jobs (https://developer.usajobs.gov/api-reference/get-api-search).

`GET {api_url}/api/search?Keyword=&LocationName=&Radius=&ResultsPerPage=&Page=`, with the
key in `Authorization-Key` and the e-mail address it was issued to as `User-Agent` (so this
API alone is called with the user's own address rather than our bot's name). Paging by
`Page` up to `SearchResult.UserArea.NumberOfPages` (a string). Each result carries the ad
split over fields (summary, duties, qualifications, education, ...), joined here into
one HTML description; a result without its duties (older responses) is marked truncated.
Pay ranges are strings ("97738.0") with a `RateIntervalCode` such as "Per Year"."""

from __future__ import annotations

import html
from typing import Any, ClassVar
from urllib.parse import urlencode

from scrapy.http import Request

from scrapers.bases.api import join_html, section, text
from scrapers.bases.search_api import Place, SearchApiSpider, plain
from scrapers.items import JobPosting

# The ad's parts, in the order usajobs.gov shows them.
SECTIONS = (("JobSummary", "Summary"), ("MajorDuties", "Duties"),
            ("KeyRequirements", "Requirements"), ("Requirements", "Conditions of employment"),
            ("QualificationSummary", "Qualifications"), ("Education", "Education"),
            ("Evaluations", "How you will be evaluated"), ("OtherInformation", "Additional information"))
PERIODS = {"per year": "year", "per hour": "hour", "per day": "day", "per week": "week",
           "bi-weekly": "week", "per month": "month", "piece work": None, "without compensation": None}
_SHOWN_LOCATIONS = 3


class UsaJobsSpider(SearchApiSpider):
    api_url = "https://data.usajobs.gov"
    keys: ClassVar[dict[str, str]] = {"api_key": "USAJOBS_API_KEY", "email": "USAJOBS_EMAIL"}
    register_url: ClassVar[str] = "https://developer.usajobs.gov/apirequest/"
    requests_per_minute: ClassVar[float] = 60.0  # none published
    search_args: ClassVar[tuple[str, ...]] = ("Keyword", "PositionTitle", "LocationName", "Radius",
                                              "RemoteIndicator", "DatePosted", "JobCategoryCode")
    results_per_page: int | str = 250  # the API allows 500

    @classmethod
    def search_query(cls, role: str, place: Place) -> dict[str, Any] | None:
        if (place.country or "US").upper() != "US":
            return None  # US federal jobs only
        query: dict[str, Any] = {"Keyword": role}
        if place.remote:
            query["RemoteIndicator"] = "True"
        elif place.near:
            query["LocationName"] = place.near
            if place.radius_miles:
                query["Radius"] = round(place.radius_miles)
        return query

    def page_request(self, query: dict[str, str], page: int, **kwargs: Any) -> Request:
        params = {**query, "ResultsPerPage": self.results_per_page, "Page": page}
        headers = {"Authorization-Key": self.key_values["api_key"], "User-Agent": self.key_values["email"],
                   "Accept": "application/json"}
        url = f"{self.api_url}/api/search?{urlencode(params)}"
        return self.api_request(url, query, page, headers=headers)

    def read_page(self, data: Any, query: dict[str, str], page: int):
        result = data["SearchResult"]
        pages = str((result.get("UserArea") or {}).get("NumberOfPages") or "1")
        more = pages.isdigit() and page < int(pages)
        return result.get("SearchResultItems") or [], self.page_request(query, page + 1) if more else None

    def job_item(self, entry: dict[str, Any]) -> JobPosting:
        job = entry["MatchedObjectDescriptor"]
        details = (job.get("UserArea") or {}).get("Details") or {}
        pay = (job.get("PositionRemuneration") or [{}])[0]
        period = PERIODS.get((pay.get("RateIntervalCode") or "").strip().lower(), "")
        schedule = (job.get("PositionSchedule") or [{}])[0]
        return JobPosting(
            source=self.name,
            source_id=str(entry.get("MatchedObjectId") or job["PositionID"]),
            url=job.get("PositionURI"),
            title=plain(job.get("PositionTitle")),
            company=plain(job.get("OrganizationName")) or plain(job.get("DepartmentName")),
            department=plain(job.get("DepartmentName")),
            location=_locations(job),
            country="US",
            remote=_workplace(details),
            employment_type=text(schedule.get("Name")),
            salary_min=pay.get("MinimumRange") if period is not None else None,
            salary_max=pay.get("MaximumRange") if period is not None else None,
            salary_currency="USD" if period is not None and pay.get("MinimumRange") else None,
            salary_period=period or None,
            posted_at=job.get("PublicationStartDate"),
            valid_through=job.get("ApplicationCloseDate"),
            description_html=_ad_html(job, details),
            description_truncated=not details.get("MajorDuties"),
        )


def _as_html(value: Any) -> str | None:
    if isinstance(value, list):
        items = [f"<li>{html.escape(v.strip())}</li>" for v in value if isinstance(v, str) and v.strip()]
        return f"<ul>{''.join(items)}</ul>" if items else None
    if isinstance(value, str) and value.strip():
        # Plain text with newlines: keep them as line breaks.
        return "<p>" + "<br>".join(html.escape(line) for line in value.strip().splitlines()) + "</p>"
    return None


def _ad_html(job: dict[str, Any], details: dict[str, Any]) -> str | None:
    fields = {**details, "QualificationSummary": job.get("QualificationSummary")}
    return join_html(*(section(title, _as_html(fields.get(key))) for key, title in SECTIONS))


def _locations(job: dict[str, Any]) -> str | None:
    shown = text(job.get("PositionLocationDisplay"))
    names = [plain(p.get("LocationName")) for p in job.get("PositionLocation") or [] if isinstance(p, dict)]
    names = [n for n in names if n]
    if shown and shown.lower() != "multiple locations":
        return shown
    if not names:
        return shown
    more = len(names) - _SHOWN_LOCATIONS
    return "; ".join(names[:_SHOWN_LOCATIONS]) + (f" and {more} more" if more > 0 else "")


def _workplace(details: dict[str, Any]) -> str | None:
    if details.get("RemoteIndicator") in (True, "True", "true"):
        return "remote"
    if details.get("TeleworkEligible") in (True, "True", "true"):
        return "hybrid"
    return None
