"""How well a job fits a person beyond skills: preferences, role family and seniority.

People treat their preferences unevenly, and so does the ranking (the judging guideline in
`data/personas/GUIDELINE.md` writes down how people grade it):
- hard: the countries they can work in, "remote only" (a `remote:` list of just `remote`),
  companies they exclude. A job failing one is never shown.
- soft: employment type, workplace, the towns they can commute to (`locations`; remote jobs
  always pass), a salary floor (the top of the advertised range, annualised, compared in the
  floor's currency at fixed approximate rates). A job failing one is shown lower, with the
  reason; a job failing two or more is not shown.
- role family: a job in a family next to the ones they target (a BI developer for a
  reporting analyst) counts less, one in an unrelated family much less.
- seniority, read from titles: a head-of or director role for someone who does not target
  one, an internship, graduate scheme or apprenticeship for someone with experience, and a
  mid-level role for someone who targets only senior ones all count less.

Everything here becomes SQL over all jobs at once; the Python side only prepares the
parameters, so the same rules hold for ranking, learn-next and the report."""

from __future__ import annotations

import re
from typing import Any

from pipeline.profile import Profile

# Multipliers on a job's skill score, fitted on the fit part of the persona evaluation. The
# judges cap a job that misses one soft preference, or sits next to the person's target
# role or level, at "partial"; a different field, or a level that rules the person out, at
# "poor". Two constants for those two cases, rather than one per rule, so that few numbers
# are fitted on few personas.
SOFT_MISS_FACTOR = 0.6
MISMATCH_FACTOR = 0.4

# Approximate fixed rates to compare a salary floor with pay in another currency, as GBP
# per unit. Good enough to tell £40k from $45k; not for anything finer.
GBP_PER_UNIT = {"GBP": 1.0, "EUR": 1 / 1.15, "USD": 1 / 1.25}

# The ML engineering specialisms are one family for fit: an NLP engineer on a computer
# vision ad is the same kind of job with different essentials, which the skills decide.
_FAMILY_GROUPS = {"nlp engineer": "ml engineer", "computer vision engineer": "ml engineer"}
# Families next to each other: a person in one can credibly move to the other.
_ADJACENT: dict[str, set[str]] = {
    "data analyst": {"bi developer", "analytics engineer", "data scientist", "quant analyst"},
    "bi developer": {"data analyst", "analytics engineer"},
    "analytics engineer": {"data analyst", "bi developer", "data engineer"},
    "data engineer": {"analytics engineer", "mlops"},
    "data scientist": {"ml engineer", "statistician", "quant analyst", "research scientist", "data analyst"},
    "statistician": {"data scientist"},
    "quant analyst": {"data scientist", "data analyst"},
    "ml engineer": {"data scientist", "mlops", "research scientist"},
    "mlops": {"ml engineer", "data engineer"},
    "research scientist": {"ml engineer", "data scientist"},
    "geospatial analyst": set(),
    "data manager": set(),
}

# Seniority from a job title, highest first; a title with none of these is mid-level (1).
ENTRY, MID, SENIOR, LEAD, HEAD = 0, 1, 2, 3, 4
LEVEL_PATTERNS: list[tuple[int, str]] = [
    (HEAD, r"\b(head of|director|chief|vp|vice president)\b"),
    (LEAD, r"\b(lead|principal|staff)\b"),
    (SENIOR, r"\b(senior|sr)\b"),
    (ENTRY, r"\b(intern|internship|apprentice|apprenticeship|graduate|trainee|junior|entry[ -]level"
            r"|placement)\b"),
]
_LEVELS = [(level, re.compile(pattern, re.I)) for level, pattern in LEVEL_PATTERNS]
# Years of experience from which someone is no longer a graduate or trainee.
EXPERIENCED_YEARS = 3


def family_group(family: str | None) -> str | None:
    return _FAMILY_GROUPS.get(family or "", family)


def adjacent_families(targets: set[str]) -> set[str]:
    """Stored role families next to (but not in) the target families."""
    groups = {family_group(t) for t in targets}
    near = set().union(*(_ADJACENT.get(g or "", set()) for g in groups)) - groups
    return (near | {f for f, g in _FAMILY_GROUPS.items() if g in near}) - same_families(targets)


def same_families(targets: set[str]) -> set[str]:
    """Stored role families that count as the targets' own."""
    groups = {family_group(t) for t in targets}
    return set(targets) | {f for f, g in _FAMILY_GROUPS.items() if g in groups} | {
        g for g in groups if g}


def title_level(title: str | None) -> int:
    for level, pattern in _LEVELS:
        if title and pattern.search(title):
            return level
    return MID


def level_sql(column: str) -> str:
    """The same levels as `title_level`, as a SQL expression over a title column."""
    cases = " ".join(f"WHEN regexp_matches({column}, '{pattern}', 'i') THEN {level}"
                     for level, pattern in LEVEL_PATTERNS)
    return f"(CASE {cases} ELSE {MID} END)"


def person_levels(profile: Profile) -> tuple[int, int, bool]:
    """(lowest, highest) level of the roles the person targets, and whether they are
    experienced (years held in any skill). No target roles: any level."""
    levels = [title_level(t) for t in profile.target_roles]
    years = max((y for y in profile.skills.values() if y is not None), default=0.0)
    if not levels:
        return ENTRY, HEAD, years >= EXPERIENCED_YEARS
    return min(levels), max(levels), years >= EXPERIENCED_YEARS


def soft_misses(profile: Profile, alias: str = "j") -> tuple[list[tuple[str, str]], list[Any]]:
    """[(reason, SQL condition true when the job fails it)] for the profile's soft
    preferences, and the conditions' parameters in order."""
    j = alias
    out: list[tuple[str, str]] = []
    params: list[Any] = []
    if profile.employment_types:
        accepted = set(profile.employment_types)
        if "contract" in accepted:
            accepted.add("temporary")  # a fixed-term assignment is what a contractor does
        out.append(("employment type", f"({j}.employment_type IS NOT NULL "
                                       f"AND NOT list_contains(?, {j}.employment_type))"))
        params.append(sorted(accepted))
    if profile.remote and not remote_only(profile):
        out.append(("workplace", f"({j}.remote IS NOT NULL AND NOT list_contains(?, {j}.remote))"))
        params.append(sorted(profile.remote))
    if profile.locations:
        out.append(("location", f"(coalesce({j}.remote, '') <> 'remote' AND NOT list_has_any(?, "
                                f"list_transform(string_split(lower(coalesce({j}.location, '')), ','), "
                                "lambda x: trim(x))))"))
        params.append([loc.lower() for loc in profile.locations])
    if profile.min_salary:
        if not profile.salary_currency:
            # A bare number would pass every job paid in any currency: refuse, never ignore.
            raise ValueError("a minimum salary needs its currency (Profile.salary_currency)")
        rate = GBP_PER_UNIT.get(profile.salary_currency)
        if rate is None:
            # A currency we hold no rate for: compare like with like only.
            out.append(("salary", f"coalesce({j}.salary_annual_max < ? AND {j}.salary_currency = ?, false)"))
            params += [profile.min_salary, profile.salary_currency]
        else:
            rates = sorted(GBP_PER_UNIT.items())
            # Pay in a currency without a rate is not compared: no data is not a low salary.
            out.append(("salary", f"coalesce({j}.salary_annual_max * (?::DOUBLE[])[list_position("
                                  f"?::VARCHAR[], {j}.salary_currency)] < ?, false)"))
            params += [[r for _, r in rates], [c for c, _ in rates], profile.min_salary * rate]
    return out, params


def remote_only(profile: Profile) -> bool:
    return profile.remote == {"remote"}


def hard_filters(profile: Profile, alias: str = "j") -> tuple[list[str], list[Any]]:
    j = alias
    clauses: list[str] = []
    params: list[Any] = []
    if profile.countries:
        # Remote jobs too: a remote role is nearly always limited to its country's residents.
        clauses.append(f"({j}.country IS NULL OR list_contains(?, {j}.country))")
        params.append(sorted(profile.countries))
    if remote_only(profile):
        clauses.append(f"({j}.remote IS NULL OR {j}.remote = 'remote')")
    if profile.exclude_companies:
        clauses.append(f"NOT list_contains(?, lower(coalesce({j}.company, '')))")
        params.append(sorted(profile.exclude_companies))
    return clauses, params
