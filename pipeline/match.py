"""Rank stored jobs against a profile, and explain each score.

A job's score is a skill score times how well the job fits the person otherwise:

    score = skill score · recency · role fit · level fit · preference fit

    skill score = (1 − u) · Σ weight(s) · cover(s) / total weight      (you cover the job)
                  + u · min(1, skills of yours it uses / 8)              (the job uses you)

- weight: required skills count twice a nice-to-have; rarer skills count more than
  ubiquitous ones (1 + ln(N / jobs asking for s), so "SQL" in every ad weighs least); a
  skill the title names ("BI Developer (Tableau)") is the job's core and counts more;
- total weight: the job's skills' weights plus three unseen average ones, so a three-skill
  ad can't score 1.0;
- cover: 1 for a skill the person has (less when the ad asks for more years than they hold,
  by more than a year), 0.75 for a broader skill when they have a narrower one (knows
  PyTorch → "deep learning"), 0.5 for a related skill (TensorFlow ↔ PyTorch), else 0;
- the usage part is a count, not a share of the profile, so that learning a new skill can
  never lower a score;
- recency: an ad from two months ago loses up to 10%;
- role fit, level fit and preference fit: see `pipeline/fit.py`.

Each job's score splits exactly into per-skill points (`Match.contributions`) times the fit
factors (`Match.factors`), which is what `match --explain` prints. The arithmetic runs
inside DuckDB over all open jobs at once; only the results shown are explained."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from pipeline import fit
from pipeline.db import registered, transaction
from pipeline.profile import Profile
from skills.taxonomy import Taxonomy, load_taxonomy

REQUIRED_WEIGHT = 2.0
NICE_WEIGHT = 1.0
TITLE_WEIGHT = 2.0  # a skill named in the job title is the job's core
CORE_MISS_FACTOR = 0.8  # the job's core skill (required and in the title) is not covered
RELATED_COVER = 0.5
NARROWER_COVER = 0.75
YEARS_SLACK = 1.0  # a year short of what the ad asks still counts as having it
YEARS_FLOOR = 0.5  # however many years short, a skill you have covers at least this
RECENCY_DAYS = 60.0
RECENCY_MAX_PENALTY = 0.10
PRIOR_SKILLS = 3.0  # unseen skills assumed in every ad, so a three-skill ad can't score 1.0
USAGE_SHARE = 0.4  # how much "the job uses what you know" counts beside "you cover the job"
# A job that uses this many of your skills uses you fully. A count, not a share of your
# profile, so that learning a new skill can never lower a score.
USAGE_FULL = 8.0


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
    first_seen: str | None = None
    # the soft preferences this job fails ("employment type: part_time")
    outside_preferences: list[str] = field(default_factory=list)
    # multipliers on the skill score, by name, with why each is below 1
    factors: dict[str, float] = field(default_factory=dict)
    factor_reasons: dict[str, str] = field(default_factory=dict)
    skill_score: float = 0.0
    # per skill of the ad: required, in title, weight share, cover, points of the score
    contributions: list[dict[str, Any]] = field(default_factory=list)
    # Only a snippet of the ad is known: skills listed as missing may well be asked for.
    description_truncated: bool = False

    @property
    def matched(self) -> list[str]:
        return self.matched_required + self.matched_nice

    @property
    def missing(self) -> list[str]:
        return self.missing_required + self.missing_nice

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "matched": self.matched, "missing": self.missing}

    def place(self, skill: str, required: bool, cover: float) -> None:
        """File one skill of the ad as had (full cover), or missing and maybe partly had."""
        if cover >= 1.0:
            (self.matched_required if required else self.matched_nice).append(skill)
        else:
            (self.missing_required if required else self.missing_nice).append(skill)
            if cover > 0:
                self.partial.append(skill)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def coverage_table(profile: Profile, taxonomy: Taxonomy | None = None) -> dict[str, list[Any]]:
    """skill → (cover, years held, the known skill that gives the cover) for every skill
    the profile covers fully or partly."""
    taxonomy = taxonomy or load_taxonomy()
    cover: dict[str, tuple[float, float | None, str]] = {}

    def offer(skill: str, value: float, years: float | None, via: str) -> None:
        if skill in taxonomy and value > cover.get(skill, (0.0, None, ""))[0]:
            cover[skill] = (value, years, via)

    for name, years in profile.skills.items():
        offer(name, 1.0, years, name)
        # every broader skill above it: knowing PyTorch is knowing some deep learning, and
        # so some machine learning
        skill, seen = taxonomy.get(name), set()
        while skill and skill.parent and skill.parent not in seen:
            seen.add(skill.parent)
            offer(skill.parent, NARROWER_COVER, None, name)
            skill = taxonomy.get(skill.parent)
        for other in taxonomy.related(name):
            offer(other, RELATED_COVER, None, name)
    return {"skill": list(cover), "cover": [c for c, _, _ in cover.values()],
            "held_years": [y for _, y, _ in cover.values()], "via": [v for _, _, v in cover.values()]}


def profile_cover(con: duckdb.DuckDBPyConnection, cover: dict[str, list[Any]]):
    """`coverage_table`'s columns visible to SQL as `profile_cover` for the block. A DuckDB
    relation over list parameters, not a DataFrame: pandas would cost every command that
    ranks more start-up than DuckDB itself, for a few dozen rows."""
    relation = con.sql(
        "SELECT unnest($1::VARCHAR[]) AS skill, unnest($2::DOUBLE[]) AS cover, "
        "unnest($3::DOUBLE[]) AS held_years, unnest($4::VARCHAR[]) AS via",
        params=[cover["skill"], cover["cover"], cover["held_years"], cover["via"]])
    return registered(con, "profile_cover", relation)


def profile_filters(profile: Profile, strict: bool = False) -> tuple[str, list[Any]]:
    """SQL condition on open_jobs `j` for the jobs the profile lets through, with its
    parameters: the hard preferences, and at most one soft one failed (`strict`: none, as a
    job board's filters would do)."""
    clauses, params = fit.hard_filters(profile)
    misses, miss_params = fit.soft_misses(profile)
    if misses:
        count = " + ".join(f"({cond})::INTEGER" for _, cond in misses)
        clauses.append(f"({count}) {'= 0' if strict else '< 2'}")
        params += miss_params
    return (" AND ".join(clauses) or "TRUE"), params


def count_jobs(con: duckdb.DuckDBPyConnection, profile: Profile) -> tuple[int, int]:
    """(open jobs, open jobs that pass the profile's preferences)."""
    where, params = profile_filters(profile)
    (total, eligible), = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where}) FROM open_jobs j",  # noqa: S608 - our clauses; values are parameters
        params).fetchall()
    return int(total), int(eligible)


# Weights depend on every open job, not on the profile, so they are stored after each load
# (`refresh_weights`) and only computed in the query when stale.
SKILL_WEIGHT_SQL = """
    SELECT s.skill, 1 + ln(greatest((SELECT count(*) FROM open_jobs), 1) / count(*)) AS idf
    FROM job_skills s JOIN open_jobs j ON j.id = s.job_id GROUP BY s.skill
"""
# A skill is in the title when the title holds its name or an alias as whole words.
_WORDS = "' ' || trim(regexp_replace(lower({x}), '[^a-z0-9+#]+', ' ', 'g')) || ' '"
JOB_SKILL_WEIGHT_SQL = f"""
    SELECT s.job_id, s.skill, s.required, s.years,
           len(list_filter(list_append(coalesce(k.aliases, []::VARCHAR[]), s.skill),
                           lambda a: contains({_WORDS.format(x='j.title')}, {_WORDS.format(x='a')}))) > 0
             AS in_title
    FROM job_skills s JOIN open_jobs j ON j.id = s.job_id LEFT JOIN skills k ON k.name = s.skill
"""  # noqa: S608 - our own SQL, no values
WEIGHT_SQL = ("(CASE WHEN {t}.required THEN {req} ELSE {nice} END) * {w}.idf "
              "* (CASE WHEN {t}.in_title THEN {title} ELSE 1 END)")
WEIGHTED_ROWS_SQL = ("SELECT s.job_id, s.skill, s.required, s.years, s.in_title, {weight} AS weight "
                     "FROM ({rows}) s JOIN skill_weight w ON w.skill = s.skill")
JOB_TOTAL_SQL = """
    -- an ad that names few skills says little: pad it with unseen average skills
    SELECT s.job_id, sum(s.weight) + {prior} * avg(s.weight) AS total_weight, any_value({level}) AS level,
           count(*) FILTER (WHERE s.in_title AND s.required) AS core_skills
    FROM job_skill_weight s JOIN jobs j ON j.id = s.job_id
    GROUP BY s.job_id
"""
# How much of a skill the profile's years cover, for a row `s` with `years` joined to `p`.
YEARS_FACTOR = (f"(CASE WHEN s.years IS NOT NULL AND p.held_years IS NOT NULL "
                f"AND p.held_years + {YEARS_SLACK} < s.years "
                f"THEN greatest({YEARS_FLOOR}, p.held_years / s.years) ELSE 1 END)")

# The common table expressions every scoring query starts with. They end with `scored`:
# one row per eligible job with its skill score, its fit factors and its score.
SCORING_CTES = """
WITH preferred AS (
    SELECT j.id, j.posted_at, j.first_seen, j.salary_annual_min, j.salary_annual_max, j.salary_currency,
           j.role_family, {misses} AS misses
    FROM open_jobs j WHERE {where}
),
eligible AS (SELECT * FROM preferred WHERE len(misses) < 2),  -- as `profile_filters` lets through
skill_weight AS ({skill_weight}),
job_skill_weight AS ({job_skill_weight}),
job_total AS ({job_total}),
covering AS (
    -- only the rows of skills the profile covers: a few percent of the job's skills
    SELECT s.job_id, sum(s.weight * p.cover * {years}) AS covered,
           count(*) FILTER (WHERE p.cover * {years} >= 1) AS used,
           count(*) FILTER (WHERE s.in_title AND s.required AND p.cover >= {core_cover}) AS core_covered
    FROM job_skill_weight s JOIN profile_cover p ON p.skill = s.skill
    GROUP BY s.job_id
),
factored AS (
    SELECT e.id AS job_id, e.misses, coalesce(c.covered, 0) AS covered, t.total_weight,
           coalesce(c.used, 0) AS used, t.level, e.role_family,
           (1 - {usage}) * coalesce(c.covered, 0) / t.total_weight
             + {usage} * least(1, coalesce(c.used, 0) / {usage_full}) AS skill_score,
           1 - {penalty} * least(1, greatest(0, date_diff('day',
               coalesce(e.posted_at, e.first_seen), ?::TIMESTAMP) / {days})) AS recency,
           CASE WHEN len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], e.role_family) THEN 1
                WHEN list_contains(?::VARCHAR[], e.role_family) THEN {adjacent}
                ELSE {unrelated} END AS role_fit,
           {level_fit} AS level_fit,
           CASE WHEN len(e.misses) = 0 THEN 1 ELSE {soft_miss} END AS preference_fit,
           CASE WHEN coalesce(c.core_covered, 0) < t.core_skills THEN {core_miss} ELSE 1 END AS core_fit,
           e.salary_annual_min, e.salary_annual_max, e.salary_currency
    FROM eligible e JOIN job_total t ON t.job_id = e.id LEFT JOIN covering c ON c.job_id = e.id
),
scored AS (
    SELECT *, recency * role_fit * level_fit * preference_fit * core_fit AS fit,
           skill_score * recency * role_fit * level_fit * preference_fit * core_fit AS score
    FROM factored
)
"""
# Level fit, from the job's level and the person's: lowest and highest target level, and
# whether they are experienced (parameters, in that order, twice for the lowest).
LEVEL_FIT_SQL = """CASE
    WHEN t.level = {head} AND ?::INTEGER < {head} THEN {bar}
    WHEN t.level = {entry} AND ?::BOOLEAN AND ?::INTEGER > {entry} THEN {bar}
    WHEN t.level <= {mid} AND ?::INTEGER >= {senior} THEN {miss}
    WHEN t.level = {lead} AND ?::INTEGER < {lead} THEN {miss}
    ELSE 1 END"""


def _constants() -> dict[str, Any]:
    return {"req": REQUIRED_WEIGHT, "nice": NICE_WEIGHT, "prior": PRIOR_SKILLS, "title": TITLE_WEIGHT,
            "levels": fit.LEVEL_PATTERNS}


def weights_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever the open jobs, their skills, the taxonomy or the weighting constants
    change."""
    (jobs, seen, closed), = con.execute(
        "SELECT count(*), max(last_seen), max(closed_at) FROM jobs").fetchall()
    (rows,), = con.execute("SELECT count(*) FROM job_skills").fetchall()
    (names,), = con.execute("SELECT count(*) FROM skills").fetchall()
    return json.dumps([jobs, str(seen), str(closed), rows, names, _constants()], sort_keys=True)


def weights_are_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    stored = con.execute("SELECT stamp FROM weights_state").fetchall()
    return bool(stored) and stored[0][0] == weights_stamp(con)


def _weight_ctes() -> dict[str, str]:
    """The weight CTEs computed from the jobs (what `refresh_weights` stores)."""
    return {
        "skill_weight": SKILL_WEIGHT_SQL,
        "job_skill_weight": WEIGHTED_ROWS_SQL.format(
            rows=JOB_SKILL_WEIGHT_SQL,
            weight=WEIGHT_SQL.format(t="s", w="w", req=REQUIRED_WEIGHT, nice=NICE_WEIGHT,
                                     title=TITLE_WEIGHT)),
        "job_total": JOB_TOTAL_SQL.format(prior=PRIOR_SKILLS, level=fit.level_sql("j.title")),
    }


def refresh_weights(con: duckdb.DuckDBPyConnection) -> None:
    """Store skill and job weights for the current open jobs (after every load)."""
    ctes = _weight_ctes()
    with_ctes = (f"WITH skill_weight AS ({ctes['skill_weight']}), "
                 f"job_skill_weight AS ({ctes['job_skill_weight']}) ")
    with transaction(con):
        con.execute("DELETE FROM skill_weights")
        con.execute(f"INSERT INTO skill_weights {SKILL_WEIGHT_SQL}")
        con.execute("DELETE FROM job_skill_weights")
        con.execute("INSERT INTO job_skill_weights " + with_ctes  # noqa: S608 - our own SQL
                    + "SELECT job_id, skill, required, years, in_title, weight FROM job_skill_weight")
        con.execute("DELETE FROM job_weights")
        con.execute("INSERT INTO job_weights WITH job_skill_weight AS (SELECT * FROM job_skill_weights) "  # noqa: S608
                    + ctes["job_total"])
        con.execute("DELETE FROM weights_state")
        con.execute("INSERT INTO weights_state VALUES (?, now())", [weights_stamp(con)])


def scoring_query(profile: Profile, con: duckdb.DuckDBPyConnection | None = None,
                  stored: bool | None = None) -> tuple[str, list[Any]]:
    """The scoring CTEs for `profile` and their parameters; append a SELECT from `scored`
    (and its own parameters). Needs `profile_cover` registered (`coverage_table`). `stored`:
    whether the stored weights are fresh (checked when not given)."""
    if stored is None:
        stored = con is not None and weights_are_fresh(con)
    ctes = ({"skill_weight": "SELECT skill, idf FROM skill_weights",
             "job_skill_weight": "SELECT * FROM job_skill_weights",
             "job_total": "SELECT job_id, total_weight, level, core_skills FROM job_weights"}
            if stored else _weight_ctes())
    hard, hard_params = fit.hard_filters(profile)
    where = " AND ".join(hard) or "TRUE"
    misses, miss_params = fit.soft_misses(profile)
    reasons = ", ".join(f"CASE WHEN {cond} THEN '{reason}' END" for reason, cond in misses)
    miss_list = f"list_filter([{reasons}], lambda x: x IS NOT NULL)" if misses else "[]::VARCHAR[]"
    level_fit = LEVEL_FIT_SQL.format(head=fit.HEAD, lead=fit.LEAD, entry=fit.ENTRY, mid=fit.MID,
                                     senior=fit.SENIOR, bar=fit.MISMATCH_FACTOR, miss=fit.SOFT_MISS_FACTOR)
    sql = SCORING_CTES.format(
        misses=miss_list, where=where, years=YEARS_FACTOR, usage=USAGE_SHARE, usage_full=USAGE_FULL,
        penalty=RECENCY_MAX_PENALTY, days=RECENCY_DAYS, adjacent=fit.SOFT_MISS_FACTOR,
        unrelated=fit.MISMATCH_FACTOR, level_fit=level_fit, soft_miss=fit.SOFT_MISS_FACTOR,
        core_miss=CORE_MISS_FACTOR, core_cover=RELATED_COVER, **ctes)
    same = sorted(fit.same_families(profile.target_families)) if profile.target_families else []
    near = sorted(fit.adjacent_families(profile.target_families))
    lowest, highest, experienced = fit.person_levels(profile)
    params = [*miss_params, *hard_params, utc_now(), same, same, near,
              highest, experienced, lowest, lowest, highest]
    return sql, params


def rank(con: duckdb.DuckDBPyConnection, profile: Profile, limit: int | None = 20,
         taxonomy: Taxonomy | None = None, min_score: float = 0.0,
         only: list[str] | None = None) -> list[Match]:
    """The best jobs for `profile`, explained; `only`: just these job ids."""
    return rank_and_count(con, profile, limit, taxonomy, min_score, only)[0]


def rank_and_count(con: duckdb.DuckDBPyConnection, profile: Profile, limit: int | None = 20,
                   taxonomy: Taxonomy | None = None, min_score: float = 0.0,
                   only: list[str] | None = None, count_at: Sequence[float] = ()
                   ) -> tuple[list[Match], list[int]]:
    """`rank`, and (when `count_at` is given) how many jobs score at least `min_score` and
    each of `count_at` (none below `min_score`), from the same pass: the scoring is most of
    a ranking's time."""
    if any(t < min_score for t in count_at):
        raise ValueError("count_at thresholds below min_score are not counted by this query")
    taxonomy = taxonomy or load_taxonomy()
    cover = coverage_table(profile, taxonomy)
    stored = weights_are_fresh(con)
    sql, params = scoring_query(profile, con, stored)
    # The window makes DuckDB keep every scored row instead of only the top ones: only
    # when counts are asked for (the CLI's 68-job stores, not a 100,000-job ranking).
    counts = (", count(*) OVER ()" + ", count(*) FILTER (WHERE score >= ?) OVER ()" * len(count_at)
              if count_at else "")
    with profile_cover(con, cover):
        rows = con.execute(
            sql + f"SELECT {EXPLAINED}{counts} FROM scored WHERE score >= ? "  # noqa: S608 - our clauses; values are parameters
            "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], job_id)) "
            "ORDER BY score DESC, job_id LIMIT ?",
            [*params, *count_at, min_score, only, only, limit if limit is not None else 2**31 - 1],
        ).fetchall()
        width = len(EXPLAINED.split(","))
        totals = [int(n) for n in rows[0][width:]] if rows else [0] * (1 + len(count_at))
        if not count_at:
            totals = []
        return explain(con, [row[:width] for row in rows], profile, cover, stored), totals


FACTOR_NAMES = ("recency", "role_fit", "level_fit", "preference_fit", "core_fit")
# The columns of `scored` that `explain` needs, in its order.
EXPLAINED = ("job_id, score, skill_score, used, total_weight, misses, role_family, level, "
             + ", ".join(FACTOR_NAMES))


def job_skill_weights(con: duckdb.DuckDBPyConnection, ids: list[str], stored: bool | None = None
                      ) -> dict[str, list[tuple]]:
    """job id → [(skill, required, in title, weight, years asked)], heaviest first."""
    stored = weights_are_fresh(con) if stored is None else stored
    source = ("job_skill_weights" if stored else
              "(WITH skill_weight AS ({skill_weight}) {job_skill_weight})".format(**_weight_ctes()))
    out: dict[str, list[tuple]] = {}
    for job_id, *rest in con.execute(
            f"SELECT job_id, skill, required, in_title, weight, years FROM {source} "  # noqa: S608 - our SQL
            "WHERE job_id IN (SELECT unnest(?)) ORDER BY job_id, weight DESC, skill", [ids]).fetchall():
        out.setdefault(job_id, []).append(tuple(rest))
    return out


def explain(con: duckdb.DuckDBPyConnection, scored: list[tuple], profile: Profile,
            cover: dict[str, list[Any]], stored: bool | None = None) -> list[Match]:
    """Matches for rows of `scored` (the `EXPLAINED` columns), with each score split into
    per-skill points and fit factors."""
    if not scored:
        return []
    ids = [row[0] for row in scored]
    skills = job_skill_weights(con, ids, stored)
    jobs = {r[0]: r for r in con.execute(
        "SELECT id, title, company, url, location, remote, salary_min, salary_max, "
        "salary_currency, salary_period, strftime(posted_at, '%Y-%m-%d'), "
        "strftime(first_seen, '%Y-%m-%d'), coalesce(description_truncated, false) "
        "FROM jobs WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
    covered = {s: (c, None if y is None else float(y), v)
               for s, c, y, v in zip(cover["skill"], cover["cover"], cover["held_years"], cover["via"],
                                     strict=True)}
    out = []
    for job_id, score, skill_score, used, total, misses, family, level, *factors in scored:
        _, title, company, url, location, remote, smin, smax, cur, period, posted, seen, cut = jobs[job_id]
        m = Match(job_id, title, company, url, location, remote, round(float(score), 4),
                  salary=format_salary(smin, smax, cur, period), posted_at=posted, first_seen=seen,
                  description_truncated=bool(cut),
                  outside_preferences=list(misses), skill_score=round(float(skill_score), 4),
                  factors={n: round(float(f), 4) for n, f in zip(FACTOR_NAMES, factors, strict=True)})
        m.factor_reasons = _factor_reasons(m.factors, profile, family, int(level), list(misses))
        fit_product = float(score) / float(skill_score) if skill_score else 0.0
        for skill, required, in_title, weight, asked in skills.get(job_id, []):
            c, held, via = covered.get(skill, (0.0, None, None))
            m.place(skill, required, c)
            effective = c * _years_cover(asked, held)
            share = (1 - USAGE_SHARE) * weight * effective / total
            if effective >= 1:
                share += USAGE_SHARE / max(float(used), USAGE_FULL)
            m.contributions.append({
                "skill": skill, "required": bool(required), "in_title": bool(in_title),
                "weight_share": round(weight / total, 4), "cover": round(effective, 3),
                "via": via if c and via != skill else None, "asked_years": asked, "held_years": held,
                "points": round(share * fit_product, 4)})
        out.append(m)
    return out


def _years_cover(asked: int | None, held: float | None) -> float:
    if asked is None or held is None or held + YEARS_SLACK >= asked:
        return 1.0
    return max(YEARS_FLOOR, held / asked)


def _factor_reasons(factors: dict[str, float], profile: Profile, family: str | None, level: int,
                    misses: list[str]) -> dict[str, str]:
    why: dict[str, str] = {}
    if factors["recency"] < 1:
        why["recency"] = "the ad is older than a few days"
    if factors["role_fit"] < 1:
        near = family in fit.adjacent_families(profile.target_families)
        why["role_fit"] = (f"{family or 'unknown'} is {'next to' if near else 'not among'} "
                           f"your target roles")
    if factors["level_fit"] < 1:
        why["level_fit"] = {fit.HEAD: "a head-of/director role, above the roles you target",
                            fit.ENTRY: "an entry-level role (intern, graduate, apprentice) and you "
                                       "have experience"}.get(level, "below the senior level you target")
    if factors["core_fit"] < 1:
        why["core_fit"] = "you lack the skill the job title names"
    if misses:
        why["preference_fit"] = "outside your preferences: " + ", ".join(misses)
    return why


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
    import pandas as pd

    frame = pd.DataFrame({
        "profile": [profile_name] * len(matches), "job_id": [m.id for m in matches],
        "score": [m.score for m in matches], "rank": list(range(1, len(matches) + 1)),
        "matched": [m.matched for m in matches], "missing": [m.missing for m in matches],
    })
    with transaction(con), registered(con, "incoming_matches", frame):
        con.execute("DELETE FROM matches WHERE profile = ?", [profile_name])
        con.execute("INSERT INTO matches SELECT profile, job_id, score, rank, matched, missing, ? "
                    "FROM incoming_matches", [utc_now()])
