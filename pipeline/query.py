"""Search the stored jobs. Every filter value goes into SQL as a parameter."""

from __future__ import annotations

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
    include_closed: bool = False


COLUMNS = ("id", "title", "company", "location", "country", "remote", "employment_type",
           "role_family", "salary_min", "salary_max", "salary_currency", "salary_period",
           "salary_annual_max", "posted_at", "url", "closed_at")


class FilterError(ValueError):
    pass


def find_jobs(con: duckdb.DuckDBPyConnection, f: JobFilter, limit: int = 50) -> list[dict[str, Any]]:
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
    sql = (f"SELECT {', '.join(COLUMNS)} FROM jobs WHERE {' AND '.join(clauses)} "  # noqa: S608 - fixed clauses; values are parameters
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
