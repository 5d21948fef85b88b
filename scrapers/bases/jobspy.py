"""JobSpy (`pip install 'skillscout[jobspy]'`, on PyPI as python-jobspy): LinkedIn, Indeed,
Glassdoor, Google and ZipRecruiter searches, run by `jobspy.scrape_jobs` in the spider's own
process (a thread, so Scrapy's engine carries on), each row mapped onto the `JobPosting`
item and sent through the same pipelines as every other source.

Those sites' terms may forbid automated access: using this source is the user's choice, and
it is in no default sources file.

`scrape_jobs` returns a DataFrame whose columns (jobspy/util.py `desired_order`) are `id,
site, job_url, job_url_direct, title, company, location, date_posted, job_type,
salary_source, interval, min_amount, max_amount, currency, is_remote, ..., description, ...`
(older releases: 15 of them, without `id`). Descriptions are Markdown; LinkedIn's are empty
unless `linkedin_fetch_description` is set; ZipRecruiter's are sometimes teasers ending in
"...". `jobspy_item` also reads rows of JobSpy's CSV (`skillscout import`)."""

from __future__ import annotations

import asyncio
import html
import json
import math
import re
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import scrapy
from scrapy.utils.misc import load_object

from scrapers.bases.api import item_problem
from scrapers.bases.search_api import looks_cut
from scrapers.items import JobPosting

INSTALL_HINT = "python-jobspy is not installed: pip install 'skillscout[jobspy]'"
PERIODS = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}
JOB_TYPES = {"fulltime": "full_time", "parttime": "part_time", "contract": "contract",
             "temporary": "temporary", "internship": "internship", "perdiem": "temporary"}
# The arguments of `scrape_jobs` a sources entry may set, and how to read them from `-a`.
SEARCH_ARGS: dict[str, Callable[[str], Any]] = {
    "site_name": lambda v: json.loads(v) if v.startswith("[") else v,
    "search_term": str, "google_search_term": str, "location": str, "distance": int,
    "is_remote": lambda v: v.lower() in ("true", "1", "yes"), "job_type": str, "results_wanted": int,
    "hours_old": int, "country_indeed": str, "offset": int,
    "linkedin_fetch_description": lambda v: v.lower() in ("true", "1", "yes"),
}
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}")
_BULLET = re.compile(r"^\s*[*+•]\s+|^\s*-\s+", re.M)
_HEADING = re.compile(r"^\s*#{1,6}\s*", re.M)


def markdown_to_text(markdown: str) -> str:
    """JobSpy's Markdown as plain lines: bullets as "- ", no emphasis, links as their text."""
    text = _LINK.sub(r"\1", markdown)
    text = _BULLET.sub("- ", text)
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _ESCAPED.sub(r"\1", text).replace("\u00a0", " ")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def text_value(value: Any) -> str | None:
    return None if blank(value) else str(value).strip()


def number_value(value: Any, column: str) -> float | None:
    if blank(value):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError as exc:
        raise ValueError(f"column {column}: not a number ({str(value)[:40]!r})") from exc


def flag_value(value: Any, column: str) -> bool | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("true", "1", "yes"):
        return True
    if word in ("false", "0", "no"):
        return False
    raise ValueError(f"column {column}: not true or false ({str(value)[:40]!r})")


def date_value(value: Any, column: str) -> str | None:
    found = text_value(value)
    if found and not re.match(r"^\d{4}-\d{2}-\d{2}", found):
        raise ValueError(f"column {column}: not a date like 2026-11-20 ({found[:40]!r})")
    return found


def jobspy_item(row: dict[str, Any]) -> JobPosting:
    """One JobSpy row as an item; ValueError("column X: ...") for a value that cannot be read."""
    site = text_value(row.get("site")) or "unknown"
    url = text_value(row.get("job_url"))
    direct = text_value(row.get("job_url_direct"))
    low = number_value(row.get("min_amount"), "min_amount")
    high = number_value(row.get("max_amount"), "max_amount")
    interval = (text_value(row.get("interval")) or "").lower()
    if interval and interval not in PERIODS:
        raise ValueError(f"column interval: not one of {', '.join(PERIODS)} ({interval[:40]!r})")
    kinds = [JOB_TYPES.get(k.strip().lower(), k.strip())
             for k in (text_value(row.get("job_type")) or "").split(",")]
    description = text_value(row.get("description"))
    remote = flag_value(row.get("is_remote"), "is_remote")
    item = JobPosting(
        source=f"jobspy_{site}",
        source_id=text_value(row.get("id")) or url,
        # The employer's own page where JobSpy found one: it is the link to apply on, and
        # the URL that matches the employer's ATS board.
        url=direct if direct and direct.startswith(("http://", "https://")) else url,
        title=text_value(row.get("title")),
        company=text_value(row.get("company")),
        location=text_value(row.get("location")),
        remote="remote" if remote else None,
        employment_type=[k for k in kinds if k] or None,
        salary_min=low,
        salary_max=high,
        salary_currency=text_value(row.get("currency")) if low is not None or high is not None else None,
        salary_period=PERIODS.get(interval) if low is not None or high is not None else None,
        posted_at=date_value(row.get("date_posted"), "date_posted"),
        # Escaped, so that "<5 years" in the ad is text to the HTML-to-text pipeline.
        description=html.escape(markdown_to_text(description), quote=False) if description else None,
        description_truncated=looks_cut(description) if description else None,
    )
    problem = item_problem(item) if url else "no job_url"
    if problem:
        column = {"no title": "title", "no url": "job_url", "no job_url": "job_url"}.get(problem, "")
        raise ValueError(f"column {column or 'job_url'}: {problem}")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"column job_url: not a web address ({url[:40]!r})")
    return item


class JobSpySpider(scrapy.Spider):
    """Runs `SKILLSCOUT_JOBSPY_SCRAPER` (default `jobspy.scrape_jobs`; tests replace it) once."""

    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": False}  # no request goes through Scrapy

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unknown = sorted(k for k in kwargs if k not in SEARCH_ARGS)
        if unknown:
            raise ValueError(f"jobspy: unknown argument(s) {', '.join(unknown)}; "
                             f"known: {', '.join(SEARCH_ARGS)}")
        if not kwargs.get("search_term") and not kwargs.get("google_search_term"):
            raise ValueError("jobspy needs -a search_term=...")
        self.search = {k: SEARCH_ARGS[k](str(v)) for k, v in kwargs.items()}

    async def start(self) -> AsyncIterator[JobPosting]:
        path = self.settings.get("SKILLSCOUT_JOBSPY_SCRAPER", "jobspy.scrape_jobs")
        try:
            scrape = load_object(path)
        except (ImportError, NameError) as exc:
            self.logger.error("%s (%s)", INSTALL_HINT, exc)
            return
        try:
            frame = await asyncio.to_thread(scrape, **self.search, description_format="markdown", verbose=0)
        except Exception as exc:  # the sites block, change or time out: one line, not a traceback
            self.crawler.stats.inc_value("skillscout/jobspy/failed")
            self.logger.error("jobspy: scrape_jobs failed: %s: %s", type(exc).__name__, str(exc)[:300])
            return
        self.crawler.stats.set_value("skillscout/jobspy/rows", len(frame))
        for n, row in enumerate(frame.to_dict("records"), 1):
            try:
                yield jobspy_item(row)
            except ValueError as exc:
                self.crawler.stats.inc_value("skillscout/jobspy/skipped")
                self.logger.warning("jobspy: row %d skipped: %s", n, exc)
