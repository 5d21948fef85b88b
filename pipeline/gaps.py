"""What to learn next: the missing skills that would turn the most jobs into strong matches.

For every skill the person lacks, over the jobs their preferences allow:
- `unlocks`: the jobs below the strong-match threshold that would reach it if they learned
  it (listed in `unlocked_jobs`);
- `jobs`: jobs that ask for it at all, and `required_in`: how many require it;
- pay: the median annual pay (midpoint of the advertised range, annualised) of the jobs
  that ask for it, in the currency most of them pay in, and from how many jobs; under
  `MIN_PAY_JOBS` jobs there is no median ("too few");
- `closeness`: how much of the rest of those ads the person already covers (0–1), and
  `close_to`: the known skill that makes it quick to pick up (a related tool, a sibling
  under the same parent, or the skill most often asked for beside it);
- `gain`: total score gained across all jobs, the tie-breaker.

Skills the person already has in substance are never suggested: a broader skill than one
they hold (PyTorch → not "Deep learning" or "Machine learning") or a near-synonym of one.

Skills of other trades (the taxonomy's general-occupations layer: "manual handling",
"medication administration", "stock control") are never suggested to someone whose profile
holds none of them: a data analyst gains nothing from learning to work a till, however many
stored care or retail ads would then match better.

`learning_path` repeats this greedily: each step is chosen after the previous ones are
treated as learned, a step must add a strong match, and the path says why it stops."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from pipeline.match import USAGE_FULL, USAGE_SHARE, YEARS_FACTOR, coverage_table, profile_cover, scoring_query
from pipeline.profile import Profile
from skills.taxonomy import GENERAL_OCCUPATION_CATEGORIES, Taxonomy, load_taxonomy, normalise_key

# Checked on the held-out personas by `skillscout eval` (precision and recall of "strong"
# against the judges' grade 2); see the README's Quality section.
STRONG_MATCH = 0.4
MIN_PAY_JOBS = 3  # fewer jobs than this give no median pay
PATH_STEPS = 5
GROUP_MAX = 3  # skills in one step of the learning path, at most
UNLOCKED_LISTED = 5  # unlocked jobs listed per suggestion
NEAR_SYNONYM_MARGIN = 5  # extra rows fetched in case some are near-synonyms of known skills


@dataclass
class UnlockedJob:
    id: str
    title: str
    company: str | None
    score: float  # now
    score_after: float  # once the skill is learned


@dataclass
class Gap:
    skill: str
    category: str
    unlocks: int
    jobs: int
    required_in: int
    gain: float
    closeness: float
    close_to: str | None  # "related to PyTorch", or None when nothing known is near it
    pay_median: float | None
    pay_currency: str | None
    pay_jobs: int  # jobs asking for it that state pay in `pay_currency`
    unlocked_jobs: list[UnlockedJob] = field(default_factory=list)

    @property
    def pay(self) -> str:
        if self.pay_median is None:
            return f"too few ({self.pay_jobs} with pay)" if self.pay_jobs else "no pay data"
        return f"{self.pay_currency} {self.pay_median:,.0f} (n={self.pay_jobs})"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pay": self.pay}


@dataclass
class PathStep:
    skills: list[str]  # one skill, or two or three that only add a strong match together
    unlocks: int  # strong matches this step adds
    strong_matches_after: int

    @property
    def skill(self) -> str:
        return " + ".join(self.skills)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "skill": self.skill}


@dataclass
class LearningPath:
    strong_matches_now: int
    steps: list[PathStep]
    stopped_because: str

    def to_dict(self) -> dict[str, Any]:
        return {"strong_matches_now": self.strong_matches_now, "steps": [s.to_dict() for s in self.steps],
                "stopped_because": self.stopped_because}


GAPS_SQL = """
, candidates AS (
    -- a row per eligible job and skill it asks for that the person does not fully cover
    SELECT s.skill, s.job_id, s.required, s.weight * (1 - coalesce(p.cover, 0) * {years}) AS gain_weight,
           e.score, e.covered, e.total_weight, e.used, e.fit,
           e.salary_annual_min, e.salary_annual_max, e.salary_currency
    FROM job_skill_weight s JOIN scored e ON e.job_id = s.job_id
    LEFT JOIN profile_cover p ON p.skill = s.skill
    WHERE coalesce(p.cover, 0) * {years} < 1 AND NOT list_contains(?::VARCHAR[], s.skill)
),
judged AS MATERIALIZED (
    SELECT *, score < ? AND new_score >= ? AS unlocked, new_score - score AS gain
    FROM (SELECT *, ((1 - {usage}) * (covered + gain_weight) / total_weight
                     + {usage} * least(1, (used + 1) / {usage_full})) * fit AS new_score
          FROM candidates)
),
top AS (
    SELECT skill,
           count(*) FILTER (WHERE unlocked) AS unlocks,
           count(*) AS jobs,
           count(*) FILTER (WHERE required) AS required_in,
           sum(gain) AS gain,
           avg(covered / total_weight) AS closeness,
           list((job_id, score, new_score) ORDER BY new_score DESC, job_id) FILTER (WHERE unlocked)
             AS unlocked
    FROM judged GROUP BY skill
    ORDER BY unlocks DESC, gain DESC, skill
    LIMIT ?
),
pay AS (
    -- for the skills shown: the median where most of the jobs asking for it pay in one currency
    SELECT skill, first(cur ORDER BY n DESC, cur) AS cur, max(n) AS n, first(mid ORDER BY n DESC, cur) AS mid
    FROM (SELECT skill, salary_currency AS cur, count(*) AS n,
                 median(coalesce((salary_annual_min + salary_annual_max) / 2,
                                 salary_annual_max, salary_annual_min)) AS mid
          FROM judged SEMI JOIN top USING (skill)
          WHERE salary_currency IS NOT NULL AND coalesce(salary_annual_max, salary_annual_min) IS NOT NULL
          GROUP BY skill, salary_currency)
    GROUP BY skill
)
SELECT t.skill, t.unlocks, t.jobs, t.required_in, t.gain, t.closeness,
       p.mid AS pay_median, p.cur AS pay_currency, coalesce(p.n, 0) AS pay_jobs, t.unlocked
FROM top t LEFT JOIN pay p USING (skill)
ORDER BY t.unlocks DESC, t.gain DESC, t.skill
"""


def _stem(word: str) -> str:
    return re.sub(r"(ations?|ical|ics|ing|ies|es|s|al|y)$", "", word) or word


# Words that name the kind of knowledge rather than the knowledge ("analysis", "methods").
_GENERIC = {"analys", "analysi", "method", "techniqu", "skill", "concept", "principl", "fundamental",
            "theor", "simulat", "simulation", "practice", "approach"}
# Only concepts have near-synonyms worth catching; two tools with similar names (SAS, SAP;
# Kafka, Kafka Streams) are different things to learn.
_CONCEPTS = {"ml_method", "statistics", "practice"}


def _content(taxonomy: Taxonomy, name: str) -> frozenset[frozenset[str]]:
    skill = taxonomy.get(name)
    if skill is None or skill.category not in _CONCEPTS:
        return frozenset()
    out = set()
    for form in skill.surface_forms:
        words = {_stem(w) for w in re.findall(r"[a-z0-9]+", normalise_key(form))} - _GENERIC
        if words and max(len(w) for w in words) >= 4:
            out.add(frozenset(words))
    return frozenset(out)


def near_synonym(taxonomy: Taxonomy, candidate: str, known: str) -> bool:
    """Two concepts named with the same words up to their endings and words like
    "analysis" or "methods": "Monte Carlo" and "Monte Carlo simulation"."""
    return bool(_content(taxonomy, candidate) & _content(taxonomy, known))


def near_synonyms(taxonomy: Taxonomy, candidates: list[str], known: list[str]) -> dict[str, str]:
    """candidate → the known skill it is a near-synonym of."""
    mine = {k: _content(taxonomy, k) for k in known}
    out = {}
    for candidate in candidates:
        words = _content(taxonomy, candidate)
        hit = next((k for k, w in mine.items() if words & w), None) if words else None
        if hit:
            out[candidate] = hit
    return out


def held_in_substance(taxonomy: Taxonomy, skills: list[str]) -> dict[str, str]:
    """Broader skills than the ones in `skills` (parents, their parents, ...) → the held
    skill below them: knowing PyTorch, "Deep learning" and "Machine learning" are not news."""
    out: dict[str, str] = {}
    for name in skills:
        seen, parent = set(), taxonomy.get(name).parent if taxonomy.get(name) else None
        while parent and parent not in seen:
            seen.add(parent)
            out.setdefault(parent, name)
            parent = taxonomy.get(parent).parent if taxonomy.get(parent) else None
    return out


def _taxonomy_link(taxonomy: Taxonomy, candidate: str, known: list[str]) -> str | None:
    """How the taxonomy ties `candidate` to a skill the person has, if it does."""
    skill = taxonomy.get(candidate)
    for name in known:
        if name in taxonomy.related(candidate) or candidate in taxonomy.related(name):
            return f"related to {name}"
    for name in known:
        if skill and skill.parent and taxonomy.get(name) and taxonomy.get(name).parent == skill.parent:
            return f"like {name} (both {skill.parent})"
    for name in known:
        if skill and skill.parent == name:
            return f"a branch of {name}"
    return None


def _close_to(taxonomy: Taxonomy, candidate: str, known: list[str],
              beside: dict[str, tuple[str, float]]) -> str | None:
    link = _taxonomy_link(taxonomy, candidate, known)
    if link is None and candidate in beside:
        name, share = beside[candidate]
        return f"asked beside {name} in {share:.0%} of its ads"
    return link


def _asked_beside(con: duckdb.DuckDBPyConnection, candidates: list[str], known: list[str]
                  ) -> dict[str, tuple[str, float]]:
    """candidate → (the known skill most often in the same ads, share of its ads)."""
    if not candidates or not known:
        return {}
    rows = con.execute(
        """
        WITH pairs AS (
            SELECT c.skill, k.skill AS known, count(*) AS n FROM job_skills c
            JOIN job_skills k ON k.job_id = c.job_id
            JOIN open_jobs j ON j.id = c.job_id
            WHERE list_contains(?, c.skill) AND list_contains(?, k.skill)
            GROUP BY c.skill, k.skill),
        totals AS (
            SELECT s.skill, count(*) AS total FROM job_skills s JOIN open_jobs j ON j.id = s.job_id
            WHERE list_contains(?, s.skill) GROUP BY s.skill)
        SELECT p.skill, first(p.known ORDER BY p.n DESC, p.known), max(p.n) / any_value(t.total)
        FROM pairs p JOIN totals t USING (skill) GROUP BY p.skill
        """, [candidates, known, candidates]).fetchall()
    return {skill: (name, float(share)) for skill, name, share in rows}


def other_trades(profile: Profile, taxonomy: Taxonomy) -> dict[str, str]:
    """Skills learn-next does not suggest to this profile: the other trades' (care, retail,
    ...), unless the profile holds one of them (then they are this person's trade)."""
    held = {s.category for name in profile.skills if (s := taxonomy.get(name))}
    if held & GENERAL_OCCUPATION_CATEGORIES:
        return {}
    return {s.name: "another trade" for s in taxonomy.skills.values()
            if s.category in GENERAL_OCCUPATION_CATEGORIES}


def gaps(con: duckdb.DuckDBPyConnection, profile: Profile, limit: int = 10,
         threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None) -> list[Gap]:
    taxonomy = taxonomy or load_taxonomy()
    known = list(profile.skills)
    skip = {**other_trades(profile, taxonomy), **held_in_substance(taxonomy, known)}
    sql, params = scoring_query(profile, con)
    with profile_cover(con, coverage_table(profile, taxonomy)):
        # Near-synonyms are judged in Python on the skills the query returns (a few more than
        # asked for, since some may go); broader skills are left out in the query itself.
        margin = NEAR_SYNONYM_MARGIN
        while True:
            rows = con.execute(
                sql + GAPS_SQL.format(  # our clauses only; values are parameters
                    usage=USAGE_SHARE, usage_full=USAGE_FULL, years=YEARS_FACTOR),
                [*params, sorted(skip), threshold, threshold, limit + margin],
            ).fetchall()
            synonyms = near_synonyms(taxonomy, [r[0] for r in rows if r[0] not in profile.skills], known)
            kept = [r for r in rows if r[0] not in synonyms]
            if len(kept) >= limit or len(rows) < limit + margin:
                break
            skip.update(synonyms)
        rows = kept[:limit]
        ids = [job_id for r in rows for job_id, _, _ in (r[9] or [])[:UNLOCKED_LISTED]]
        titles = {i: (t, c) for i, t, c in con.execute(
            "SELECT id, title, company FROM jobs WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
        linked = {r[0] for r in rows if _taxonomy_link(taxonomy, r[0], known)}
        beside = _asked_beside(con, [r[0] for r in rows if r[0] not in linked], known)
    exact = _unlocks_through_relations(con, profile, [r[0] for r in rows], threshold, taxonomy)
    if exact:
        rows = [(r[0], exact.get(r[0], r[1]), *r[2:]) for r in rows]
        rows.sort(key=lambda r: -int(r[1]))  # stable: the query's order breaks ties
    out = []
    for skill, unlocks, jobs, required_in, gain, closeness, pay, cur, pay_jobs, unlocked in rows:
        known_skill = taxonomy.get(skill)
        out.append(Gap(
            skill=skill, category=known_skill.category if known_skill else "unknown",
            unlocks=int(unlocks), jobs=int(jobs), required_in=int(required_in), gain=round(float(gain), 3),
            closeness=round(float(closeness or 0), 3), close_to=_close_to(taxonomy, skill, known, beside),
            pay_median=round(float(pay), 0) if pay is not None and pay_jobs >= MIN_PAY_JOBS else None,
            pay_currency=cur, pay_jobs=int(pay_jobs),
            unlocked_jobs=[UnlockedJob(i, *titles[i], round(float(now), 3), round(float(after), 3))
                           for i, now, after in (unlocked or [])[:UNLOCKED_LISTED]],
        ))
    return out


def _unlocks_through_relations(con: duckdb.DuckDBPyConnection, profile: Profile, candidates: list[str],
                               threshold: float, taxonomy: Taxonomy) -> dict[str, int]:
    """Exact strong matches gained by the candidates whose learning also covers other skills
    in part (a parent, related skills): the query counts only the skill itself, and
    `gaps --assume` must agree with the figure shown."""
    current = coverage_table(profile, taxonomy)
    now_cover = dict(zip(current["skill"], current["cover"], strict=True))
    out: dict[str, int] = {}
    now: int | None = None
    for skill in candidates:
        learned = Profile(**{**profile.__dict__, "skills": {**profile.skills, skill: None}})
        table = coverage_table(learned, taxonomy)
        widened = any(name != skill and cover > now_cover.get(name, 0.0)
                      for name, cover in zip(table["skill"], table["cover"], strict=True))
        if widened:
            now = strong_matches(con, profile, threshold, taxonomy) if now is None else now
            out[skill] = strong_matches(con, learned, threshold, taxonomy) - now
    return out


def strong_matches(con: duckdb.DuckDBPyConnection, profile: Profile, threshold: float,
                   taxonomy: Taxonomy) -> int:
    sql, params = scoring_query(profile, con)
    with profile_cover(con, coverage_table(profile, taxonomy)):
        (count,), = con.execute(sql + "SELECT count(*) FROM scored WHERE score >= ?",  # noqa: S608
                                [*params, threshold]).fetchall()
    return int(count)


class UnknownSkills(ValueError):
    """Names `assume` could not resolve, each with the taxonomy's suggestions."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(f"unknown skill(s) to assume: {'; '.join(unknown)}")
        self.unknown = unknown


def assume(profile: Profile, skills: list[str], taxonomy: Taxonomy | None = None) -> Profile:
    """The profile as if its owner had learned `skills` (names or aliases); unknown names
    raise UnknownSkills naming them."""
    taxonomy = taxonomy or load_taxonomy()
    learned = Profile(**{**profile.__dict__, "skills": dict(profile.skills)})
    unknown = []
    for raw in skills:
        found = taxonomy.resolve(raw)
        if found is None:
            hint = taxonomy.suggest(raw)
            unknown.append(raw + (f" (did you mean {', '.join(hint)}?)" if hint else ""))
        else:
            learned.skills.setdefault(found.name, None)
    if unknown:
        raise UnknownSkills(unknown)
    return learned


def learning_path(con: duckdb.DuckDBPyConnection, profile: Profile, steps: int = PATH_STEPS,
                  threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None) -> LearningPath:
    """Up to `steps` steps, each chosen after the previous ones count as learned. A step is
    the skill that adds the most strong matches; when no single skill adds one, the skill
    that raises scores most is held back and joined with the next, up to `GROUP_MAX` skills
    in one step, so every step shown adds a strong match."""
    taxonomy = taxonomy or load_taxonomy()
    learned = Profile(**{**profile.__dict__, "skills": dict(profile.skills)})
    now = count = strong_matches(con, learned, threshold, taxonomy)
    path: list[PathStep] = []
    pending: list[str] = []
    reason = f"a path shows at most {steps} steps"
    while len(path) < steps:
        best = gaps(con, learned, limit=1, threshold=threshold, taxonomy=taxonomy)
        if not best:
            reason = "no job left asks for a skill you lack"
            break
        gap = best[0]
        if gap.skill in learned.skills:  # a name the taxonomy cannot cover: nothing to learn
            reason = f"{gap.skill} is not a skill the taxonomy knows"
            break
        learned.skills[gap.skill] = None
        if gap.unlocks == 0:
            if gap.gain <= 0 or len(pending) + 1 >= GROUP_MAX:
                reason = (f"no skill, nor {GROUP_MAX} learned together, turns another job into a "
                          "strong match")
                break
            pending.append(gap.skill)
            continue
        after = strong_matches(con, learned, threshold, taxonomy)
        path.append(PathStep([*pending, gap.skill], after - count, after))
        pending, count = [], after
    return LearningPath(now, path, reason)
