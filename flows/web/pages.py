"""What each page shows, gathered from the library: one function per page, returning plain
data that the HTML template and the page's JSON twin (`/api/...`) both render. No SQL and
no decisions about data here: pipeline/ answers every question, as it does for the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flows.web.profile_file import ProfileState
from pipeline import charts
from pipeline.browse import LIST_MODES, BrowseError, browse, score_job, what_if
from pipeline.evidence import find_evidence
from pipeline.gaps import STRONG_MATCH
from pipeline.query import (
    FilterError,
    JobFilter,
    NoSuchJob,
    UnknownSkillError,
    canonical_skill,
    facets,
    job_detail,
    job_history,
)
from pipeline.report import collect, report_charts
from pipeline.runs import source_health
from pipeline.status import STATUSES, history, status_of, statuses
from pipeline.trends import trends
from skills.taxonomy import Taxonomy

PER_PAGE = 20
FILTER_FIELDS = ("q", "skill", "remote", "country", "location", "role", "min_pay", "currency", "since",
                 "status", "all")


@dataclass
class Filters:
    """The list's filters as the person typed them, and what they mean to the library."""
    raw: dict[str, str]
    job_filter: JobFilter
    status: str
    show_all: bool
    page: int
    errors: list[str] = field(default_factory=list)

    def query(self, **changes: Any) -> str:
        """This list's query string with some values changed (for paging links)."""
        values = {**self.raw, **{k: str(v) for k, v in changes.items()}}
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def parse_filters(params: Any, profile: Any, taxonomy: Taxonomy) -> Filters:
    """Query parameters → filters. A value that cannot be used is dropped with a message,
    so the rest of the list still shows."""
    raw = {k: (params.get(k) or "").strip()[:200] for k in FILTER_FIELDS}
    errors: list[str] = []
    f = JobFilter(text=raw["q"] or None, location=raw["location"] or None, role_family=raw["role"] or None)
    if raw["skill"]:
        try:
            f.skill = canonical_skill(raw["skill"], taxonomy)
        except UnknownSkillError as exc:
            errors.append(str(exc))
    if raw["remote"]:
        if raw["remote"] in ("remote", "hybrid", "onsite"):
            f.remote = raw["remote"]
        else:
            errors.append(f"workplace is remote, hybrid or onsite, not {raw['remote']!r}")
    if raw["country"]:
        if len(raw["country"]) == 2 and raw["country"].isalpha():
            f.country = raw["country"].upper()
        else:
            errors.append(f"country is a two-letter code such as GB, not {raw['country']!r}")
    if raw["min_pay"]:
        try:
            amount = float(raw["min_pay"].replace(",", ""))
            if not 0 <= amount < 1e9:
                raise ValueError
            currency = raw["currency"] or (profile.salary_currency if profile else None)
            if not currency:
                errors.append("minimum pay needs a currency (GBP, USD, EUR, ...): pay is compared in one "
                              "currency, and skillscout holds no exchange rates")
            else:
                f.min_salary, f.currency = amount, currency.upper()
        except ValueError:
            errors.append(f"minimum pay is a number, not {raw['min_pay']!r}")
    elif raw["currency"]:
        if len(raw["currency"]) == 3 and raw["currency"].isalpha():
            f.currency = raw["currency"].upper()
        else:
            errors.append(f"currency is a three-letter code such as GBP, not {raw['currency']!r}")
    if raw["since"]:
        try:
            f.since = datetime.fromisoformat(raw["since"])
        except ValueError:
            errors.append(f"posted since is a date (YYYY-MM-DD), not {raw['since']!r}")
    status = raw["status"].lower()
    if status not in LIST_MODES:
        errors.append(f"unknown status {raw['status']!r}")
        status = ""
    try:
        page = max(1, min(int(params.get("page") or 1), 10_000))
    except ValueError:
        page = 1
    return Filters(raw, f, status, raw["all"] in ("1", "on", "true"), page, errors)


def matches_page(con: Any, state: ProfileState, filters: Filters, taxonomy: Taxonomy) -> dict[str, Any]:
    data: dict[str, Any] = {"filters": filters, "facets": facets(con), "statuses": STATUSES,
                            "threshold": STRONG_MATCH, "listing": None}
    if state.profile is None:
        return data
    try:
        data["listing"] = browse(con, state.profile, state.key, filters.job_filter, filters.status,
                                 filters.page, PER_PAGE, filters.show_all, taxonomy)
    except (BrowseError, FilterError) as exc:
        filters.errors.append(str(exc))
    return data


def job_page(con: Any, state: ProfileState, job_id: str, taxonomy: Taxonomy) -> dict[str, Any]:
    """Raises NoSuchJob for an id the store does not hold (a full id only: links use it)."""
    job = job_detail(con, job_id)
    if job["id"] != job_id:
        raise NoSuchJob(f"no stored job has id {job_id!r}")
    return {
        "job": job,
        "history": job_history(con, job_id),
        "evidence": find_evidence(job["title"], job["description"], job["skills"]),
        "listed": score_job(con, state.profile, state.key, job_id, taxonomy) if state.profile else None,
        "status": status_of(con, state.key, job_id),
        "status_history": history(con, state.key, job_id),
        "statuses": STATUSES, "threshold": STRONG_MATCH,
    }


def applications_page(con: Any, state: ProfileState) -> dict[str, Any]:
    return {"applications": statuses(con, state.key), "profile_key": state.key}


def learn_page(con: Any, state: ProfileState, wanted: list[str], taxonomy: Taxonomy) -> dict[str, Any]:
    data: dict[str, Any] = {"report": None, "charts": {}, "what_if": None, "wanted": wanted, "errors": [],
                            "threshold": STRONG_MATCH}
    if state.profile is None:
        return data
    report = collect(con, state.profile, top=5, taxonomy=taxonomy)
    data["report"], data["charts"] = report, report_charts(report)
    if wanted:
        try:
            data["what_if"] = what_if(con, state.profile, wanted, taxonomy=taxonomy)
        except BrowseError as exc:
            data["errors"].append(str(exc))
    return data


def trends_page(con: Any, params: Any, taxonomy: Taxonomy) -> dict[str, Any]:
    raw = {k: (params.get(k) or "").strip()[:100] for k in ("skill", "role", "country")}
    errors, skill = [], None
    if raw["skill"]:
        try:
            skill = canonical_skill(raw["skill"], taxonomy)
        except UnknownSkillError as exc:
            errors.append(str(exc))
    found = trends(con, skill=skill, role_family=raw["role"] or "*",
                   country=raw["country"].upper() if raw["country"] else "*")
    crawls = len(found[0].series) if found else 0
    if crawls < 2:  # nothing has moved yet: the most asked-for skills say more than A to Z
        found.sort(key=lambda t: (-t.last_share, t.skill))
    found = found[:15]
    chart = charts.line_chart({t.skill: t.series for t in found[:8]}, name="trends",
                              label="Share of open jobs asking for each skill, per crawl")
    return {"trends": found, "chart": chart, "raw": raw, "errors": errors, "facets": facets(con),
            "crawls": crawls}


def sources_page(con: Any) -> dict[str, Any]:
    return {"sources": source_health(con)}
