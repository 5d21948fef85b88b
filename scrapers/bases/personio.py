"""Personio XML job feed: `GET https://{company}.jobs.personio.de/xml?language=en`.

Each `<position>` holds its ad as named `<jobDescription>` sections whose HTML sits in
CDATA; the public job page is `{api_url}/job/{id}`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import ClassVar

from scrapy import Request
from scrapy.http import Response
from scrapy.selector import Selector

from scrapers.bases.api import ApiSpider, join_html, section
from scrapers.items import JobPosting


class PersonioSpider(ApiSpider):
    api_url = "https://{company}.jobs.personio.de"
    required_args: ClassVar[tuple[str, ...]] = ("company",)
    company: str | None = None  # the careers-site subdomain
    company_name: str | None = None  # for positions without a <subcompany>
    language: str = "en"

    async def start(self) -> AsyncIterator[Request]:
        yield Request(f"{self.api_url}/xml?language={self.language}")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        try:
            selector = Selector(text=response.text, type="xml")
        except (ValueError, AttributeError) as exc:
            self.count("bad_response")
            self.logger.error("%s is not XML: %s", response.url, exc)
            return
        yield from self.items_from(selector.xpath("//position"), self.position_item)

    def position_item(self, position: Selector) -> JobPosting:
        def value(path: str) -> str | None:
            found = position.xpath(f"normalize-space({path})").get()
            return found or None

        position_id = value("id")
        sections = [section(desc.xpath("normalize-space(name)").get(),
                            desc.xpath("string(value)").get().strip())
                    for desc in position.xpath("jobDescriptions/jobDescription")]
        return JobPosting(
            source=self.name,
            source_id=position_id,
            url=f"{self.api_url}/job/{position_id}" if position_id else None,
            title=value("name"),
            company=value("subcompany") or self.company_name or self.company,
            location=value("office"),
            employment_type=_employment_labels(value("employmentType"), value("schedule")),
            department=value("department"),
            salary_min=value("salaryInformation/min"),
            salary_max=value("salaryInformation/max"),
            salary_currency=value("salaryInformation/currencyCode"),
            salary_period=value("salaryInformation/type"),
            posted_at=value("createdAt"),
            description_html=join_html(*sections),
        )


def _employment_labels(kind: str | None, schedule: str | None) -> list[str]:
    """Personio says "permanent" for both full and part time, so then the schedule decides;
    other kinds (intern, trainee, freelance, temporary) say more than the schedule does."""
    labels = [kind, schedule] if kind != "permanent" else [schedule, kind]
    return [label for label in labels if label]
