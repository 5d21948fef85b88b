"""Search the stored jobs. Every filter value goes into SQL as a parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb


@dataclass
class JobFilter:
    text: str | None = None  # words anywhere in the title or description
    skill: str | None = None  # a canonical skill name (resolve aliases first)
    company: str | None = None
    location: str | None = None
    remote: str | None = None  # remote | hybrid | onsite
    min_salary: float | None = None  # annualised, in the job's own currency
    currency: str | None = None
    since: datetime | None = None  # posted (or first seen) on or after
    role_family: str | None = None
    include_closed: bool = False


COLUMNS = ("id", "title", "company", "location", "country", "remote", "employment_type",
           "role_family", "salary_min", "salary_max", "salary_currency", "salary_period",
           "salary_annual_max", "posted_at", "url", "closed_at")


def find_jobs(con: duckdb.DuckDBPyConnection, f: JobFilter, limit: int = 50) -> list[dict[str, Any]]:
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
