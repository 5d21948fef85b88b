"""Remote OK public API: `GET {api_url}/api` is a JSON array whose first element is the
API's legal notice, not a job.

The terms ask every reuse to name Remote OK as the source and link back, so each ad keeps
an attribution paragraph. Pay is in US dollars; 0 means "not stated"."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import JsonRequest, Response

from scrapers.bases.api import ApiSpider, join_html, text
from scrapers.items import JobPosting

ATTRIBUTION = "<p>Source: Remote OK (https://remoteok.com)</p>"
# Remote OK appends an anti-spam test to ads ("mention the word **X** when applying"); it is
# the board's, not the employer's, and would otherwise end every description.
_ANTI_SPAM = re.compile(
    r"(?:<br\s*/?>|\s)*(?:please\s+)?(?:mention|put|include)\s+the\s+word\s+\*\*[^*]+\*\*[^<]*$",
    re.I,
)
# UTF-8 bytes read as Latin-1: "’" arrives as "â" + two C1 control characters.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")


class RemoteOkSpider(ApiSpider):
    api_url = "https://remoteok.com"

    async def start(self) -> AsyncIterator[JsonRequest]:
        yield JsonRequest(f"{self.api_url}/api")

    def parse(self, response: Response) -> Iterator[JobPosting]:
        entries = self.load_json(response)
        if entries is None:
            return
        yield from self.items_from(entries, self.job_item)

    def job_item(self, job: dict[str, Any]) -> JobPosting | None:
        if isinstance(job, dict) and "legal" in job and "position" not in job:
            return None  # the legal notice; its terms are honoured by ATTRIBUTION
        low, high = job.get("salary_min") or None, job.get("salary_max") or None
        description = _ANTI_SPAM.sub("", fix_mojibake(job.get("description")) or "")
        return JobPosting(
            source=self.name,
            source_id=str(job["id"]),
            url=job.get("url") or job.get("apply_url"),
            title=fix_mojibake(job.get("position")),
            company=fix_mojibake(text(job.get("company"))),
            location=fix_mojibake(text(job.get("location"))),
            remote="remote",
            salary_min=low,
            salary_max=high,
            salary_currency="USD" if low or high else None,
            posted_at=job.get("epoch") or job.get("date"),
            description_html=join_html(description, ATTRIBUTION),
        )


def fix_mojibake(value: Any) -> Any:
    """Undo UTF-8 decoded as Latin-1, run by run, so correct text around it is kept."""
    if not isinstance(value, str):
        return value
    return _MOJIBAKE.sub(_redecode, value)


def _redecode(match: re.Match[str]) -> str:
    try:
        return match.group().encode("latin-1").decode("utf-8")
    except UnicodeError:
        return match.group()
