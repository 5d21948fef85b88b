"""Search the stored jobs. Every filter value goes into SQL as a parameter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from skills.taxonomy import Taxonomy, load_taxonomy


@dataclass
class JobFilter:
    text: str | None = None  # words anywhere in the title or description
    skill: str | None = None  # a canonical skill name (resolve aliases first)
    company: str | None = None
    location: str | None = None
    remote: str | None = None  # remote | hybrid | onsite
    min_salary: float | None = None  # annualised, in `currency` (required with it)
    currency: str | None = None
    since: datetime | None = None  # posted (or first seen) on or after
    role_family: str | None = None
    country: str | None = None  # ISO code
    include_closed: bool = False


COLUMNS = ("id", "title", "company", "location", "country", "remote", "employment_type",
           "role_family", "salary_min", "salary_max", "salary_currency", "salary_period",
           "salary_annual_max", "posted_at", "url", "closed_at")


class FilterError(ValueError):
    pass


def filter_sql(f: JobFilter) -> tuple[str, list[Any]]:
    """The filter as SQL conditions on `jobs` (bare column names), with their parameters."""
    if f.min_salary is not None and not f.currency:
        # 60000 is a salary in pounds and a day's pay in yen: comparing across currencies
        # without rates would be a silently wrong answer.
        raise FilterError("--min-salary needs --currency (GBP, USD, EUR, ...): pay is compared in one "
                          "currency, and skillscout holds no exchange rates")
    clauses, params = ["TRUE"], []
    if not f.include_closed:
        clauses.append("closed_at IS NULL")
    if f.text:
        for word in f.text.split():
            clauses.append("(title ILIKE ? OR description ILIKE ?)")
            params += [f"%{word}%", f"%{word}%"]
    if f.skill:
        clauses.append("id IN (SELECT job_id FROM job_skills WHERE lower(skill) = lower(?))")
        params.append(f.skill)
    if f.company:
        clauses.append("company ILIKE ?")
        params.append(f"%{f.company}%")
    if f.location:
        clauses.append("(location ILIKE ? OR country = upper(?))")
        params += [f"%{f.location}%", f.location]
    if f.country:
        clauses.append("country = upper(?)")
        params.append(f.country)
    if f.remote:
        clauses.append("remote = ?")
        params.append(f.remote)
    if f.min_salary is not None:
        clauses.append("salary_annual_max >= ?")
        params.append(f.min_salary)
    if f.currency:
        clauses.append("salary_currency = upper(?)")
        params.append(f.currency)
    if f.since:
        clauses.append("coalesce(posted_at, first_seen) >= ?")
        params.append(f.since)
    if f.role_family:
        clauses.append("role_family = ?")
        params.append(f.role_family)
    return " AND ".join(clauses), params


def find_jobs(con: duckdb.DuckDBPyConnection, f: JobFilter, limit: int = 50) -> list[dict[str, Any]]:
    where, params = filter_sql(f)
    sql = (f"SELECT {', '.join(COLUMNS)} FROM jobs WHERE {where} "  # noqa: S608 - fixed clauses; values are parameters
           "ORDER BY coalesce(posted_at, first_seen) DESC, id LIMIT ?")
    rows = con.execute(sql, [*params, limit]).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


class UnknownSkillError(ValueError):
    """A skill name neither the taxonomy nor the store knows; the message suggests names."""


def canonical_skill(name: str, taxonomy: Taxonomy | None = None) -> str:
    """The taxonomy's name for `name` (aliases resolve: "sklearn" → scikit-learn), or
    UnknownSkillError with close names: a typo must not pass for "no jobs ask for it"."""
    taxonomy = taxonomy or load_taxonomy()
    found = taxonomy.resolve(name)
    if found is not None:
        return found.name
    hint = taxonomy.suggest(name)
    tip = (f"; did you mean {', '.join(hint)}?" if hint
           else " (`skillscout skills unknown` lists names seen in ads)")
    raise UnknownSkillError(f"unknown skill {name!r}{tip}")


class NoSuchJob(LookupError):
    pass


def job_detail(con: duckdb.DuckDBPyConnection, ref: str) -> dict[str, Any]:
    """One stored job by id (or a unique start of one), with every URL it is listed at and
    the skills extracted from it."""
    ids = [r[0] for r in con.execute("SELECT id FROM jobs WHERE starts_with(id, ?) ORDER BY id LIMIT 3",
                                     [ref.strip().lower()]).fetchall()] if ref.strip() else []
    if not ids:
        raise NoSuchJob(f"no stored job has id {ref!r} (`skillscout jobs` and `skillscout match` show ids)")
    if len(ids) > 1:
        raise NoSuchJob(f"{ref!r} is the start of several job ids ({', '.join(ids[:2])}, ...): "
                        "give more of it")
    cols = ("id", "title", "company", "location", "remote", "employment_type", "salary_min", "salary_max",
            "salary_currency", "salary_period", "posted_at", "closed_at", "url", "description")
    (row,) = con.execute(f"SELECT {', '.join(cols)} FROM jobs WHERE id = ?", ids).fetchall()  # noqa: S608 - fixed columns
    job = dict(zip(cols, row, strict=True))
    listed = [u for (u,) in con.execute("SELECT url FROM job_sources WHERE job_id = ? ORDER BY first_seen",
                                        ids).fetchall()]
    job["urls"] = list(dict.fromkeys([job["url"], *listed]))
    job["skills"] = con.execute("SELECT skill, required FROM job_skills WHERE job_id = ? "
                                "ORDER BY required DESC, mentions DESC, skill", ids).fetchall()
    return job


def open_ad_texts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str | None]]:
    """(title and ad text, company, location) of every open job: what `skills unknown` reads."""
    return con.execute("SELECT title || chr(10) || coalesce(description, ''), company, location "
                       "FROM open_jobs").fetchall()


# What a person would call a change of the ad; the text counts once whichever form it came in.
_HISTORY_FIELDS = {"title": "title", "company": "company", "location": "location", "remote": "workplace",
                   "employment_type": "employment type", "salary_min": "pay", "salary_max": "pay",
                   "salary_currency": "pay", "salary_period": "pay", "salary_text": "pay",
                   "description": "ad text", "description_html": "ad text", "valid_through": "closing date",
                   "skills": "skills found"}


def job_history(con: duckdb.DuckDBPyConnection, job_id: str) -> dict[str, Any]:
    """Where a job is listed (with first/last seen and when a listing went) and every
    distinct version of it the crawls stored, each with what changed from the one before."""
    listings = [dict(zip(("source", "origin", "url", "first_seen", "last_seen", "gone_at"), row, strict=True))
                for row in con.execute(
                    "SELECT source, origin, url, first_seen, last_seen, gone_at FROM job_sources "
                    "WHERE job_id = ? ORDER BY first_seen, source", [job_id]).fetchall()]
    rows = con.execute(
        "SELECT r.source, r.source_id, r.scraped_at, r.item FROM raw_items r "
        "JOIN job_sources s ON s.source = r.source AND s.source_id = r.source_id "
        "WHERE s.job_id = ? ORDER BY r.scraped_at, r.source", [job_id]).fetchall()
    versions, previous = [], {}
    for source, source_id, scraped_at, item in rows:
        data = json.loads(item)
        before = previous.get((source, source_id))
        changed = ([] if before is None else sorted(
            {label for key, label in _HISTORY_FIELDS.items() if before.get(key) != data.get(key)}))
        versions.append({"seen": scraped_at, "source": source, "first": before is None, "changed": changed})
        previous[(source, source_id)] = data
    (first_seen, last_seen, changed_at, closed_at), = con.execute(
        "SELECT first_seen, last_seen, changed_at, closed_at FROM jobs WHERE id = ?", [job_id]).fetchall()
    return {"listings": listings, "versions": versions, "first_seen": first_seen, "last_seen": last_seen,
            "changed_at": changed_at, "closed_at": closed_at}


def facets(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The values the open jobs hold for the choice filters: role families, countries,
    workplaces, pay currencies."""
    def distinct(column: str) -> list[str]:
        return [v for (v,) in con.execute(
            f"SELECT DISTINCT {column} FROM open_jobs WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]  # noqa: S608 - fixed names

    return {"role_family": distinct("role_family"), "country": distinct("country"),
            "remote": distinct("remote"), "currency": distinct("salary_currency")}
