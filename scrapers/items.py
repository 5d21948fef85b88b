"""The one item every spider yields. Field names are the `jobs` table's column names, so a
feed export (`scrapy crawl NAME -O jobs.jsonl`) is the contract with the rest of skillscout."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class JobPosting:
    source: str  # spider name, e.g. "greenhouse"
    source_id: str | None = None  # the source's own id; the URL when it has none
    url: str | None = None
    title: str | None = None
    company: str | None = None
    location: str | None = None  # human-readable, e.g. "Leeds, West Yorkshire, GB"
    country: str | None = None  # ISO 3166-1 alpha-2
    remote: str | None = None  # "remote" | "hybrid" | "onsite"
    employment_type: str | None = None  # "full_time" | "part_time" | "contract" | ...
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None  # ISO 4217
    salary_period: str | None = None  # "year" | "month" | "week" | "day" | "hour"
    salary_text: str | None = None  # pay as the ad words it, when it words it
    salary_annual_min: float | None = None  # min/max on a yearly basis, to compare across periods
    salary_annual_max: float | None = None
    posted_at: str | None = None  # ISO 8601, UTC
    valid_through: str | None = None  # ISO 8601, UTC
    department: str | None = None
    description: str | None = None  # plain text, list structure kept as lines
    description_html: str | None = None  # as published (unescaped), untrusted
