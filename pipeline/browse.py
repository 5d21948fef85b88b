"""Browsing the ranked jobs: the matching a person sees page by page, with the filters of
`skillscout jobs`, their application statuses, and "what if I learned X".

Scores come from the same scoring as `skillscout match` (pipeline/match.py); filters from
the same SQL as `skillscout jobs` (pipeline/query.py); statuses from pipeline/status.py.
This module only puts them together, so the web app and the CLI cannot disagree.

Two kinds of list:
- the matches (default): open jobs that pass the profile's preferences and the filters,
  best score first; hidden jobs are left out unless `status="all"`;
- a status (`status="applied"`, ..., or `"any"`): the jobs with that status, open or
  closed, scored where they still can be (a closed job, or one the preferences now rule
  out, has no score)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipeline import gaps
from pipeline.gaps import STRONG_MATCH
from pipeline.match import (
    EXPLAINED,
    Match,
    count_jobs,
    coverage_table,
    explain,
    format_salary,
    profile_cover,
    scoring_query,
)
from pipeline.profile import Profile
from pipeline.query import JobFilter, filter_sql
from pipeline.status import STATUSES
from skills.taxonomy import Taxonomy, load_taxonomy

SHOWN_SCORE = 0.005  # as `skillscout match`: scores that print as 0.00 are not matches
LIST_MODES = ("", "all", "any", *STATUSES)  # "": matches without hidden jobs


class BrowseError(ValueError):
    """A listing request that cannot be answered as asked; the message says why."""


@dataclass
class Listed:
    match: Match
    status: str | None
    scored: bool  # False: closed, or outside the profile's preferences now
    closed: bool

    def to_dict(self) -> dict[str, Any]:
        data = self.match.to_dict()
        if not self.scored:
            data["score"] = None
        return {**data, "status": self.status, "closed": self.closed}


@dataclass
class Listing:
    jobs: list[Listed]
    total: int  # in the list, over every page
    page: int
    per_page: int
    open_jobs: int
    eligible_jobs: int  # open jobs that pass the profile's preferences
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.page, "pages": self.pages, "per_page": self.per_page,
                "open_jobs": self.open_jobs, "eligible_jobs": self.eligible_jobs,
                "status_counts": self.status_counts, "jobs": [j.to_dict() for j in self.jobs]}


def list_mode(status: str | None) -> str:
    mode = (status or "").strip().lower()
    if mode not in LIST_MODES:
        choices = ", ".join(m for m in LIST_MODES if m)
        raise BrowseError(f"unknown status filter {status!r}: use one of {choices}")
    return mode


def browse(con: duckdb.DuckDBPyConnection, profile: Profile, profile_key: str, filters: JobFilter,
           status: str | None = None, page: int = 1, per_page: int = 20, show_all: bool = False,
           taxonomy: Taxonomy | None = None) -> Listing:
    """One page of the list. `show_all`: also jobs scoring 0.00."""
    mode = list_mode(status)
    if page < 1 or not 1 <= per_page <= 200:
        raise BrowseError("page starts at 1, and a page holds 1 to 200 jobs")
    tracked = mode not in ("", "all")
    where, params = filter_sql(JobFilter(**{**filters.__dict__, "include_closed": tracked}))
    rows = _scored_rows(con, profile, profile_key, where, params, mode, SHOWN_SCORE if not show_all else 0.0,
                        per_page, (page - 1) * per_page, taxonomy)
    total = rows[0][-1] if rows else 0
    open_jobs, eligible = count_jobs(con, profile)
    counts = dict(con.execute("SELECT status, count(*) FROM applications WHERE profile = ? GROUP BY status",
                              [profile_key]).fetchall())
    return Listing(_explained(con, profile, rows, taxonomy), int(total), page, per_page, open_jobs, eligible,
                   {s: int(counts.get(s, 0)) for s in STATUSES})


def score_job(con: duckdb.DuckDBPyConnection, profile: Profile, profile_key: str, job_id: str,
              taxonomy: Taxonomy | None = None) -> Listed:
    """One stored job as the list would show it: its score (when it has one) and why."""
    rows = _scored_rows(con, profile, profile_key, "id = ?", [job_id], "any-job", 0.0, 1, 0, taxonomy)
    if not rows:
        raise BrowseError(f"no stored job has id {job_id!r}")
    return _explained(con, profile, rows, taxonomy)[0]


_COLUMNS = [c.strip() for c in EXPLAINED.split(",")]
_SCORED = ", ".join(f"s.{c}" for c in _COLUMNS[1:])  # what `explain` needs, after the job id


def _scored_rows(con: duckdb.DuckDBPyConnection, profile: Profile, profile_key: str, where: str,
                 params: list[Any], mode: str, min_score: float, limit: int, offset: int,
                 taxonomy: Taxonomy | None) -> list[tuple]:
    """Rows of one page: the `EXPLAINED` columns (all but the job id None for a job without a
    score now), then status, closed, and the total over every page."""
    taxonomy = taxonomy or load_taxonomy()
    head, head_params = scoring_query(profile, con)
    statuses = "(SELECT job_id, status, updated_at FROM applications WHERE profile = ?)"
    if mode in ("", "all"):
        sql = (f"{head} SELECT s.job_id, {_SCORED}, a.status, false, count(*) OVER () FROM scored s "  # noqa: S608 - our clauses; values are parameters
               f"LEFT JOIN {statuses} a USING (job_id) "
               f"WHERE s.score >= ? AND s.job_id IN (SELECT id FROM jobs WHERE {where}) "
               + ("AND a.status IS DISTINCT FROM 'hidden' " if mode == "" else "")
               + "ORDER BY s.score DESC, s.job_id LIMIT ? OFFSET ?")
        args = [*head_params, profile_key, min_score, *params, limit, offset]
    else:
        # Every job with a status (or, for one job's page, the job itself), scored where it can be.
        base = ("(SELECT id AS job_id FROM jobs WHERE {where}) b" if mode == "any-job"
                else "(SELECT job_id FROM applications WHERE profile = ? AND (? = 'any' OR status = ?) "
                     "AND job_id IN (SELECT id FROM jobs WHERE {where})) b").format(where=where)
        base_params = params if mode == "any-job" else [profile_key, mode, mode, *params]
        sql = (f"{head} SELECT b.job_id, {_SCORED}, a.status, j.closed_at IS NOT NULL, count(*) OVER () "  # noqa: S608 - our clauses; values are parameters
               f"FROM {base} JOIN jobs j ON j.id = b.job_id LEFT JOIN scored s ON s.job_id = b.job_id "
               f"LEFT JOIN {statuses} a ON a.job_id = b.job_id "
               "ORDER BY s.score DESC NULLS LAST, a.updated_at DESC NULLS LAST, b.job_id LIMIT ? OFFSET ?")
        args = [*head_params, *base_params, profile_key, limit, offset]
    with profile_cover(con, coverage_table(profile, taxonomy)):
        return con.execute(sql, args).fetchall()  # our clauses only; every value is a parameter


def _explained(con: duckdb.DuckDBPyConnection, profile: Profile, rows: list[tuple],
               taxonomy: Taxonomy | None) -> list[Listed]:
    cover = coverage_table(profile, taxonomy or load_taxonomy())
    n = len(_COLUMNS)
    scored = [r[:n] for r in rows if r[1] is not None]
    matches = {m.id: m for m in explain(con, scored, profile, cover)}
    matches.update(_unscored(con, [r[0] for r in rows if r[1] is None], cover))
    return [Listed(matches[r[0]], r[n], r[1] is not None, bool(r[n + 1])) for r in rows]


def _unscored(con: duckdb.DuckDBPyConnection, ids: list[str], cover: Any) -> dict[str, Match]:
    """Jobs the profile cannot score now (closed, or outside its preferences): what they ask
    for and what the person has of it, with no score."""
    if not ids:
        return {}
    covered = dict(zip(cover["skill"], cover["cover"], strict=True))
    out = {}
    for (job_id, title, company, url, location, remote, smin, smax, cur, period, posted,
         seen) in con.execute(
            "SELECT id, title, company, url, location, remote, salary_min, salary_max, salary_currency, "
            "salary_period, strftime(posted_at, '%Y-%m-%d'), strftime(first_seen, '%Y-%m-%d') "
            "FROM jobs WHERE id IN (SELECT unnest(?))", [ids]).fetchall():
        out[job_id] = Match(job_id, title, company, url, location, remote, 0.0,
                            salary=format_salary(smin, smax, cur, period), posted_at=posted, first_seen=seen)
    for job_id, skill, required in con.execute(
            "SELECT job_id, skill, required FROM job_skills WHERE job_id IN (SELECT unnest(?)) "
            "ORDER BY required DESC, skill", [ids]).fetchall():
        out[job_id].place(skill, required, covered.get(skill, 0.0))
    return out


# --- what if -----------------------------------------------------------------------------------

@dataclass
class WhatIf:
    learned: list[str]  # canonical names added to the profile
    strong_before: int
    strong_after: int
    lifted: list[tuple[Match, float]]  # jobs that become strong matches, with their score before
    top_after: list[Match]

    def to_dict(self) -> dict[str, Any]:
        return {"learned": self.learned, "strong_before": self.strong_before,
                "strong_after": self.strong_after,
                "lifted": [{**m.to_dict(), "score_before": before} for m, before in self.lifted],
                "top_after": [m.to_dict() for m in self.top_after]}


def assume(profile: Profile, names: list[str], taxonomy: Taxonomy | None = None) -> Profile:
    """The profile as if its owner had learned `names` (names or aliases); an unknown name
    raises BrowseError with suggestions."""
    try:
        return gaps.assume(profile, names, taxonomy)
    except gaps.UnknownSkills as exc:
        raise BrowseError(f"unknown skill(s): {'; '.join(exc.unknown)}") from exc


def what_if(con: duckdb.DuckDBPyConnection, profile: Profile, names: list[str], top: int = 10,
            threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None) -> WhatIf:
    """How the matches change if the person learned `names`."""
    from pipeline.match import rank

    taxonomy = taxonomy or load_taxonomy()
    learned = assume(profile, names, taxonomy)
    before = {m.id: m.score for m in rank(con, profile, limit=None, min_score=threshold, taxonomy=taxonomy)}
    after = rank(con, learned, limit=None, min_score=threshold, taxonomy=taxonomy)
    new_ids = [m.id for m in after if m.id not in before]
    old_scores = {}
    if new_ids:
        rows = _scored_rows(con, profile, "", "id IN (SELECT unnest(?))", [new_ids], "any-job", 0.0,
                            len(new_ids), 0, taxonomy)
        old_scores = {job_id: score for job_id, score, *_ in rows}
    return WhatIf(
        learned=[s for s in learned.skills if s not in profile.skills],
        strong_before=len(before), strong_after=len(after),
        lifted=[(m, round(float(old_scores.get(m.id) or 0.0), 4)) for m in after if m.id not in before],
        top_after=rank(con, learned, limit=top, min_score=SHOWN_SCORE, taxonomy=taxonomy))
