"""SmartRecruiters posting API (https://developers.smartrecruiters.com/docs/posting-api).

`GET {api_url}/v1/companies/{company}/postings?offset=N&limit=L` pages through summaries
(`totalFound` says how many); each summary's `ref` is the posting's own API URL, whose
`jobAd.sections` hold the ad. A posting whose details cannot be fetched still becomes an
item from its summary, without a description."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, join_html, section, text
from scrapers.items import JobPosting

# The order SmartRecruiters shows the sections in on its own job pages.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
PUBLIC_JOB_URL = "https://jobs.smartrecruiters.com/{identifier}/{id}"


class SmartRecruitersSpider(ApiSpider):
    api_url = "https://api.smartrecruiters.com"
    required_args: ClassVar[tuple[str, ...]] = ("company",)
    company: str | None = None  # the company identifier, as in /v1/companies/<company>
    limit: int | str = 100  # the API's page size maximum

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield self.page_request(0)

    def page_request(self, offset: int) -> JsonRequest:
        url = f"{self.api_url}/v1/companies/{self.company}/postings?offset={offset}&limit={self.limit}"
        return JsonRequest(url, callback=self.parse_page, cb_kwargs={"offset": offset})

    def parse_page(self, response: Response, offset: int) -> Iterator[JsonRequest]:
        page = self.load_json(response)
        if page is None:
            return
        postings = page.get("content") if isinstance(page, dict) else None
        if not isinstance(postings, list):
            self.skip(f"page at offset {offset} has no list of postings")
            return
        for posting in postings:
            request = self.build_detail_request(posting)
            if request:
                yield request
        seen = offset + len(postings)
        total = page.get("totalFound")
        if postings and isinstance(total, int) and seen < total:
            yield self.page_request(seen)

    def build_detail_request(self, posting: Any) -> JsonRequest | None:
        if not (isinstance(posting, dict) and posting.get("id")):
            self.skip(f"posting summary without an id: {str(posting)[:80]}")
            return None
        ref = posting.get("ref")
        # Only follow `ref` on the API we were pointed at: a recorded payload must not send
        # a test crawl to the real API.
        if not (isinstance(ref, str) and ref.startswith(self.api_url + "/")):
            ref = f"{self.api_url}/v1/companies/{self.company}/postings/{posting['id']}"
        return JsonRequest(ref, callback=self.parse_posting, errback=self.detail_failed,
                           cb_kwargs={"summary": posting})

    def parse_posting(self, response: Response, summary: dict[str, Any]) -> Iterator[JobPosting]:
        detail = self.load_json(response)
        merged = {**summary, **detail} if isinstance(detail, dict) else summary
        item = self.build_one(merged, self.posting_item)
        if item:
            yield item

    def detail_failed(self, failure: Any) -> Iterator[JobPosting]:
        self.count("detail_failed")
        self.logger.warning("posting details unavailable: %s", failure.value)
        item = self.build_one(failure.request.cb_kwargs["summary"], self.posting_item)
        if item:
            yield item

    def posting_item(self, posting: dict[str, Any]) -> JobPosting:
        place = posting.get("location") or {}
        company = posting.get("company") or {}
        return JobPosting(
            source=self.name,
            source_id=str(posting["id"]),
            url=posting.get("postingUrl") or PUBLIC_JOB_URL.format(
                identifier=company.get("identifier") or self.company, id=posting["id"]),
            title=posting.get("name"),
            company=text(company.get("name")) or self.company,
            location=text(place.get("fullLocation")) or _place(place),
            country=text(place.get("country")),
            remote=_workplace(place),
            employment_type=text((posting.get("typeOfEmployment") or {}).get("label")),
            department=text((posting.get("department") or {}).get("label")),
            posted_at=posting.get("releasedDate"),
            description_html=_ad_html((posting.get("jobAd") or {}).get("sections") or {}),
        )


def _ad_html(sections: dict[str, Any]) -> str | None:
    keys = [k for k in SECTIONS if k in sections] + [k for k in sections if k not in SECTIONS]
    parts = [section(sections[k].get("title"), sections[k].get("text"))
             for k in keys if isinstance(sections[k], dict)]
    return join_html(*parts)


def _place(place: dict[str, Any]) -> str | None:
    parts = [text(place.get(k)) for k in ("city", "region", "country")]
    return ", ".join(p for p in parts if p) or None


def _workplace(place: dict[str, Any]) -> str | None:
    if place.get("remote") is True:
        return "remote"
    if place.get("hybrid") is True:
        return "hybrid"
    if place.get("remote") is False and place.get("hybrid") is False:
        return "onsite"  # both flags stated: an office job
    return None
