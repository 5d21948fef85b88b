"""Rank stored jobs against a profile, and explain each score.

A job's score is the weighted share of its skills the person covers:

    score = Σ weight(s) · cover(s) / Σ weight(s)      over the job's skills s

- weight: required skills count twice a nice-to-have; rarer skills count more than
  ubiquitous ones (1 + ln(N / jobs asking for s), so "SQL" in every ad weighs least);
- cover: 1 for a skill the person has (less when the ad asks more years than they hold,
  never below half), 0.75 for a broader skill when they have a narrower one (knows PyTorch →
  "deep learning"), 0.5 for a related skill (TensorFlow ↔ PyTorch), else 0;
- then a small recency factor: an ad posted today keeps its score, one from two months ago
  loses up to 10%.

The arithmetic runs inside DuckDB over all open jobs at once; only the top results are
explained skill by skill."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipeline.db import registered, transaction
from pipeline.profile import Profile
from skills.taxonomy import Taxonomy, load_taxonomy

REQUIRED_WEIGHT = 2.0
NICE_WEIGHT = 1.0
RELATED_COVER = 0.5
NARROWER_COVER = 0.75
RECENCY_DAYS = 60.0
RECENCY_MAX_PENALTY = 0.10
PRIOR_SKILLS = 3.0  # unseen skills assumed in every ad, so a three-skill ad can't score 1.0
USAGE_SHARE = 0.4  # how much "the job uses what you know" counts beside "you cover the job"
# A job that uses this many of your skills uses you fully. A count, not a share of your
# profile, so that learning a new skill can never lower a score.
USAGE_FULL = 8.0
OFF_ROLE_FACTOR = 0.7  # a job outside the profile's target role families


@dataclass
class Match:
    id: str
    title: str
    company: str | None
    url: str
    location: str | None
    remote: str | None
    score: float
    matched_required: list[str] = field(default_factory=list)
    matched_nice: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_nice: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    salary: str | None = None
    posted_at: str | None = None

    @property
    def matched(self) -> list[str]:
        return self.matched_required + self.matched_nice

    @property
    def missing(self) -> list[str]:
        return self.missing_required + self.missing_nice

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "matched": self.matched, "missing": self.missing}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def coverage_table(profile: Profile, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """skill → (cover, years held) for every skill the profile covers fully or partly."""
    taxonomy = taxonomy or load_taxonomy()
    cover: dict[str, tuple[float, float | None]] = {}

    def offer(skill: str, value: float, years: float | None = None) -> None:
        if skill in taxonomy and value > cover.get(skill, (0.0, None))[0]:
            cover[skill] = (value, years)

    for name, years in profile.skills.items():
        offer(name, 1.0, years)
        skill = taxonomy.get(name)
        if skill and skill.parent:
            offer(skill.parent, NARROWER_COVER)
        for other in taxonomy.related(name):
            offer(other, RELATED_COVER)
    return pd.DataFrame(
        {"skill": list(cover), "cover": [c for c, _ in cover.values()],
         "held_years": [y for _, y in cover.values()]},
    ).astype({"skill": "string", "cover": "float64", "held_years": "float64"})


def profile_filters(profile: Profile) -> tuple[str, list[Any]]:
    """SQL conditions on open_jobs `j` for the profile's preferences, with parameters."""
    clauses, params = [], []
    if profile.countries:
        # Remote jobs too: a remote role is nearly always limited to its country's residents.
        clauses.append("(j.country IS NULL OR list_contains(?, j.country))")
        params.append(sorted(profile.countries))
    if profile.locations:
        clauses.append("(j.remote = 'remote' OR list_has_any(?, "
                       "list_transform(string_split(lower(coalesce(j.location, '')), ','), x -> trim(x))))")
        params.append([loc.lower() for loc in profile.locations])
    if profile.remote:
        clauses.append("(j.remote IS NULL OR list_contains(?, j.remote))")
        params.append(sorted(profile.remote))
    if profile.employment_types:
        clauses.append("(j.employment_type IS NULL OR list_contains(?, j.employment_type))")
        params.append(sorted(profile.employment_types))
    if profile.exclude_companies:
        clauses.append("NOT list_contains(?, lower(coalesce(j.company, '')))")
        params.append(sorted(profile.exclude_companies))
    if profile.min_salary:
        if not profile.salary_currency:
            # A bare number would pass every job paid in any currency: refuse, never ignore.
            raise ValueError("a minimum salary needs its currency (Profile.salary_currency)")
        # Jobs without pay, or paid in another currency, are not filtered out: no data
        # is not a low salary, and we hold no exchange rates offline.
        clauses.append("(j.salary_annual_max IS NULL OR coalesce(j.salary_currency <> ?, false) "
                       "OR j.salary_annual_max >= ?)")
        params += [profile.salary_currency, profile.min_salary]
    return (" AND ".join(clauses) or "TRUE"), params


def count_jobs(con: duckdb.DuckDBPyConnection, profile: Profile) -> tuple[int, int]:
    """(open jobs, open jobs that pass the profile's preferences)."""
    where, params = profile_filters(profile)
    (total, eligible), = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where}) FROM open_jobs j",  # noqa: S608 - our clauses; values are parameters
        params).fetchall()
    return int(total), int(eligible)


# Common table expressions every scoring query starts with. Parameters, in order: the
# filter's, then the reference time for recency. They end with `weighted` (one row per job
# and skill: weight, cover) and `scored` (one row per job: covered, total_weight, fresh,
# score, salary).
# Weights depend on every open job (how many ask for each skill), not on the profile, so
# they are stored after each load (`refresh_weights`) and only computed here when stale.
SKILL_WEIGHT_SQL = """
    SELECT s.skill, 1 + ln(greatest((SELECT count(*) FROM open_jobs), 1) / count(*)) AS idf
    FROM job_skills s JOIN open_jobs j ON j.id = s.job_id GROUP BY s.skill
"""
JOB_TOTAL_SQL = """
    -- an ad that names few skills says little: pad it with unseen average skills
    SELECT s.job_id, sum(k.kind * w.idf) + {prior} * avg(k.kind * w.idf) AS total_weight
    FROM job_skills s JOIN skill_weight w ON w.skill = s.skill
    CROSS JOIN LATERAL (SELECT CASE WHEN s.required THEN {req} ELSE {nice} END AS kind) k
    GROUP BY s.job_id
"""

# Common table expressions every scoring query starts with. Parameters, in order: the
# filter's, then the reference time for recency and the target role families (twice).
# They end with `scored`: one row per eligible job (covered, total_weight, used, fresh,
# score, salary).
SCORING_CTES = """
WITH eligible AS (
    SELECT j.id, j.posted_at, j.first_seen, j.salary_annual_max, j.salary_currency, j.role_family
    FROM open_jobs j WHERE {where}
),
skill_weight AS ({skill_weight}),
job_total AS ({job_total}),
covering AS (
    -- only the rows of skills the profile covers: a few percent of job_skills
    SELECT s.job_id,
           sum((CASE WHEN s.required THEN {req} ELSE {nice} END) * w.idf * p.cover * {years}) AS covered,
           count(*) FILTER (WHERE p.cover * {years} >= 1) AS used
    FROM job_skills s JOIN profile_cover p ON p.skill = s.skill JOIN skill_weight w ON w.skill = s.skill
    GROUP BY s.job_id
),
scored AS (
    SELECT e.id AS job_id, coalesce(c.covered, 0) AS covered, t.total_weight, coalesce(c.used, 0) AS used,
           (1 - {penalty} * least(1, greatest(0, date_diff('day',
               coalesce(e.posted_at, e.first_seen), ?::TIMESTAMP) / {days})))
             * CASE WHEN len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], e.role_family)
                    THEN 1 ELSE {off_role} END AS fresh,
           ((1 - {usage}) * coalesce(c.covered, 0) / t.total_weight
             + {usage} * least(1, coalesce(c.used, 0) / {usage_full})) * fresh AS score,
           e.salary_annual_max, e.salary_currency
    FROM eligible e JOIN job_total t ON t.job_id = e.id LEFT JOIN covering c ON c.job_id = e.id
)
"""
# How much of a skill the profile's years cover, for a row `s` of job_skills joined to `p`.
YEARS_FACTOR = ("(CASE WHEN s.years IS NOT NULL AND p.held_years IS NOT NULL AND p.held_years < s.years "
                "THEN greatest(0.5, p.held_years / s.years) ELSE 1 END)")


def _constants() -> dict[str, Any]:
    return {"req": REQUIRED_WEIGHT, "nice": NICE_WEIGHT, "prior": PRIOR_SKILLS}


def weights_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever the open jobs, their skills or the weighting constants change."""
    (jobs, seen, closed), = con.execute(
        "SELECT count(*), max(last_seen), max(closed_at) FROM jobs").fetchall()
    (rows,), = con.execute("SELECT count(*) FROM job_skills").fetchall()
    return json.dumps([jobs, str(seen), str(closed), rows, _constants()], sort_keys=True)


def weights_are_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    stored = con.execute("SELECT stamp FROM weights_state").fetchall()
    return bool(stored) and stored[0][0] == weights_stamp(con)


def refresh_weights(con: duckdb.DuckDBPyConnection) -> None:
    """Store skill and job weights for the current open jobs (after every load)."""
    with transaction(con):
        con.execute("DELETE FROM skill_weights")
        con.execute(f"INSERT INTO skill_weights {SKILL_WEIGHT_SQL}")
        con.execute("DELETE FROM job_weights")
        con.execute("INSERT INTO job_weights WITH skill_weight AS (SELECT * FROM skill_weights) "  # noqa: S608
                    + JOB_TOTAL_SQL.format(**_constants()))
        con.execute("DELETE FROM weights_state")
        con.execute("INSERT INTO weights_state VALUES (?, now())", [weights_stamp(con)])


def scoring_ctes(where: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    stored = con is not None and weights_are_fresh(con)
    return SCORING_CTES.format(
        where=where, req=REQUIRED_WEIGHT, nice=NICE_WEIGHT, penalty=RECENCY_MAX_PENALTY,
        days=RECENCY_DAYS, usage=USAGE_SHARE, usage_full=USAGE_FULL, off_role=OFF_ROLE_FACTOR,
        years=YEARS_FACTOR,
        skill_weight="SELECT skill, idf FROM skill_weights" if stored else SKILL_WEIGHT_SQL,
        job_total=("SELECT job_id, total_weight FROM job_weights" if stored
                   else JOB_TOTAL_SQL.format(**_constants())))


def scoring_params(profile: Profile) -> list[Any]:
    """Parameters of `scoring_ctes` after the filter's: reference time and target role
    families (twice)."""
    families = sorted(profile.target_families)
    return [utc_now(), families, families]


def rank(con: duckdb.DuckDBPyConnection, profile: Profile, limit: int | None = 20,
         taxonomy: Taxonomy | None = None, min_score: float = 0.0) -> list[Match]:
    taxonomy = taxonomy or load_taxonomy()
    cover = coverage_table(profile, taxonomy)
    where, params = profile_filters(profile)
    with registered(con, "profile_cover", cover):
        rows = con.execute(
            scoring_ctes(where, con)  # noqa: S608 - only our own clauses; every value is a parameter
            + "SELECT job_id, score FROM scored WHERE score >= ? ORDER BY score DESC, job_id LIMIT ?",
            [*params, *scoring_params(profile), min_score, limit if limit is not None else 2**31 - 1],
        ).fetchall()
    return explain(con, rows, cover)


def explain(con: duckdb.DuckDBPyConnection, scored: list[tuple[str, float]],
            cover: pd.DataFrame) -> list[Match]:
    if not scored:
        return []
    ids = [job_id for job_id, _ in scored]
    jobs = {r[0]: r for r in con.execute(
        "SELECT id, title, company, url, location, remote, salary_min, salary_max, "
        "salary_currency, salary_period, strftime(posted_at, '%Y-%m-%d') "
        "FROM jobs WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
    skills: dict[str, list[tuple[str, bool]]] = {}
    for job_id, skill, required in con.execute(
        "SELECT job_id, skill, required FROM job_skills WHERE job_id IN (SELECT unnest(?)) "
        "ORDER BY job_id, required DESC, skill", [ids]).fetchall():
        skills.setdefault(job_id, []).append((skill, required))
    covered = dict(zip(cover["skill"], cover["cover"], strict=True))
    out = []
    for job_id, score in scored:
        _, title, company, url, location, remote, smin, smax, cur, period, posted = jobs[job_id]
        m = Match(job_id, title, company, url, location, remote, round(float(score), 4),
                  salary=format_salary(smin, smax, cur, period), posted_at=posted)
        for skill, required in skills.get(job_id, []):
            c = covered.get(skill, 0.0)
            if c >= 1.0:
                (m.matched_required if required else m.matched_nice).append(skill)
            else:
                (m.missing_required if required else m.missing_nice).append(skill)
                if c > 0:
                    m.partial.append(skill)
        out.append(m)
    return out


CURRENCY_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}


def format_salary(smin: float | None, smax: float | None, currency: str | None,
                  period: str | None) -> str | None:
    if smin is None and smax is None:
        return None
    sym = CURRENCY_SYMBOLS.get(currency or "", f"{currency} " if currency else "")

    def fmt(v: float) -> str:
        return f"{sym}{v:,.0f}" if v >= 100 else f"{sym}{v:,.2f}"

    if smin is None:
        text = f"up to {fmt(smax)}"
    elif smax is None or smin == smax:
        text = fmt(smin)
    else:
        text = f"{fmt(smin)}–{fmt(smax)}"
    return f"{text} per {period}" if period else text


def save_matches(con: duckdb.DuckDBPyConnection, profile_name: str, matches: list[Match]) -> None:
    """Replace the stored ranking for `profile_name` (the `matches` table)."""
    frame = pd.DataFrame({
        "profile": [profile_name] * len(matches), "job_id": [m.id for m in matches],
        "score": [m.score for m in matches], "rank": list(range(1, len(matches) + 1)),
        "matched": [m.matched for m in matches], "missing": [m.missing for m in matches],
    })
    with transaction(con), registered(con, "incoming_matches", frame):
        con.execute("DELETE FROM matches WHERE profile = ?", [profile_name])
        con.execute("INSERT INTO matches SELECT profile, job_id, score, rank, matched, missing, ? "
                    "FROM incoming_matches", [utc_now()])
