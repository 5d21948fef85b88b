"""What to learn next: the missing skills that would turn the most jobs into strong matches.

For every skill the person lacks (fully or partly), over the jobs their preferences allow:
- `unlocks`: jobs below the strong-match threshold that would reach it if they learned it;
- `jobs`: jobs that ask for it at all, and `required_in`: how many require it;
- `median_salary`: median annual pay of the jobs it unlocks (in their most common currency);
- `closeness`: how much of the rest of those ads they already cover (0–1): a skill that
  sits next to what they know is quicker to pick up and to show;
- `gain`: total score gained across all jobs, the tie-breaker.

Skills of other trades (the taxonomy's general-occupations layer: "manual handling",
"medication administration", "stock control") are never suggested to someone whose profile
holds none of them: a data analyst gains nothing from learning to work a till, however many
stored care or retail ads would then match better.

`learning_path` repeats this greedily: each step is chosen after the previous ones are
treated as learned, so the path does not spend two steps on the same doors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from pipeline.db import registered
from pipeline.match import (
    NICE_WEIGHT,
    REQUIRED_WEIGHT,
    USAGE_FULL,
    USAGE_SHARE,
    YEARS_FACTOR,
    coverage_table,
    profile_filters,
    scoring_ctes,
    scoring_params,
)
from pipeline.profile import Profile
from skills.taxonomy import GENERAL_OCCUPATION_CATEGORIES, Taxonomy, load_taxonomy

# Calibrated on the blind persona judgments (data/personas): 22 of the 28 jobs judged a strong
# fit score at least 0.4, against 3 of 34 partial fits and none of 237 poor ones.
STRONG_MATCH = 0.4


@dataclass
class Gap:
    skill: str
    category: str
    unlocks: int
    jobs: int
    required_in: int
    gain: float
    closeness: float
    median_salary: float | None
    salary_currency: str | None
    example_jobs: list[str] = field(default_factory=list)  # titles, as evidence

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PathStep:
    skill: str
    unlocks: int
    strong_matches_after: int


GAPS_SQL = """
, weighted AS (
    SELECT s.job_id, s.skill, s.required,
           (CASE WHEN s.required THEN {req} ELSE {nice} END) * w.idf AS weight,
           coalesce(p.cover, 0) * {years} AS cover
    FROM job_skills s
    JOIN eligible e ON e.id = s.job_id
    JOIN skill_weight w ON w.skill = s.skill
    LEFT JOIN profile_cover p ON p.skill = s.skill
    WHERE NOT list_contains(?::VARCHAR[], s.category)
),
candidates AS (
    SELECT w.skill, w.job_id, w.required, w.weight * (1 - w.cover) AS gain_weight,
           s.score, s.covered, s.total_weight, s.used, s.fresh, s.salary_annual_max, s.salary_currency
    FROM weighted w JOIN scored s USING (job_id)
    WHERE w.cover < 1
),
judged AS (
    SELECT *, score < ? AND new_score >= ? AS unlocked, new_score - score AS gain
    FROM (SELECT *, ((1 - {usage}) * (covered + gain_weight) / total_weight
                     + {usage} * least(1, (used + 1) / {usage_full})) * fresh AS new_score
          FROM candidates)
),
currency AS (
    SELECT skill, mode(salary_currency) AS cur FROM judged
    WHERE unlocked AND salary_annual_max IS NOT NULL GROUP BY skill
)
SELECT j.skill,
       count(*) FILTER (WHERE j.unlocked) AS unlocks,
       count(*) AS jobs,
       count(*) FILTER (WHERE j.required) AS required_in,
       sum(j.gain) AS gain,
       avg(j.covered / j.total_weight) AS closeness,
       median(j.salary_annual_max) FILTER (WHERE j.unlocked AND j.salary_currency = c.cur) AS median_salary,
       any_value(c.cur) AS salary_currency,
       list(j.job_id ORDER BY j.unlocked DESC, j.score DESC)[1:3] AS example_ids
FROM judged j LEFT JOIN currency c USING (skill)
GROUP BY j.skill
ORDER BY unlocks DESC, gain DESC, j.skill
LIMIT ?
"""


def excluded_categories(profile: Profile, taxonomy: Taxonomy) -> set[str]:
    """Categories learn-next does not suggest to this profile: the other trades' skills,
    unless the profile holds one of them (then they are this person's trade)."""
    held = {s.category for name in profile.skills if (s := taxonomy.get(name))}
    return set() if held & GENERAL_OCCUPATION_CATEGORIES else set(GENERAL_OCCUPATION_CATEGORIES)


def gaps(con: duckdb.DuckDBPyConnection, profile: Profile, limit: int = 10,
         threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None) -> list[Gap]:
    taxonomy = taxonomy or load_taxonomy()
    where, params = profile_filters(profile)
    with registered(con, "profile_cover", coverage_table(profile, taxonomy)):
        rows = con.execute(
            scoring_ctes(where, con) + GAPS_SQL.format(  # our clauses only; values are parameters
                usage=USAGE_SHARE, usage_full=USAGE_FULL, req=REQUIRED_WEIGHT, nice=NICE_WEIGHT,
                years=YEARS_FACTOR),
            [*params, *scoring_params(profile), sorted(excluded_categories(profile, taxonomy)),
             threshold, threshold, limit],
        ).fetchall()
        titles = dict(con.execute(
            "SELECT id, title || coalesce(' – ' || company, '') FROM jobs "
            "WHERE id IN (SELECT unnest(?))", [[i for r in rows for i in r[8]]]).fetchall())
    out = []
    for skill, unlocks, jobs, required_in, gain, closeness, salary, cur, ids in rows:
        known = taxonomy.get(skill)
        out.append(Gap(
            skill=skill, category=known.category if known else "unknown", unlocks=int(unlocks),
            jobs=int(jobs), required_in=int(required_in), gain=round(float(gain), 3),
            closeness=round(float(closeness or 0), 3),
            median_salary=round(float(salary), 0) if salary is not None else None,
            salary_currency=cur, example_jobs=[titles[i] for i in ids if i in titles],
        ))
    return out


def strong_matches(con: duckdb.DuckDBPyConnection, profile: Profile, threshold: float,
                   taxonomy: Taxonomy) -> int:
    where, params = profile_filters(profile)
    with registered(con, "profile_cover", coverage_table(profile, taxonomy)):
        sql = scoring_ctes(where, con) + "SELECT count(*) FROM scored WHERE score >= ?"  # noqa: S608 - our clauses; values are parameters
        (count,), = con.execute(sql, [*params, *scoring_params(profile), threshold]).fetchall()
    return int(count)


def learning_path(con: duckdb.DuckDBPyConnection, profile: Profile, steps: int = 5,
                  threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None
                  ) -> list[PathStep]:
    taxonomy = taxonomy or load_taxonomy()
    learned = Profile(**{**profile.__dict__, "skills": dict(profile.skills)})
    path: list[PathStep] = []
    for _ in range(steps):
        best = gaps(con, learned, limit=1, threshold=threshold, taxonomy=taxonomy)
        if not best or (best[0].unlocks == 0 and best[0].gain <= 0):
            break
        learned.skills[best[0].skill] = None
        path.append(PathStep(best[0].skill, best[0].unlocks,
                             strong_matches(con, learned, threshold, taxonomy)))
    return path
