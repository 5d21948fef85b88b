"""A person's skill profile (YAML), validated with errors that name the line.

    name: Sam Analyst
    skills:                      # a list or a mapping; years are optional
      - Python: 3
      - SQL: {years: 5}
      - sklearn                  # aliases resolve through the taxonomy → scikit-learn
    preferences:
      countries: [GB]            # ISO 3166-1 alpha-2 codes (UK is accepted for GB)
      locations: [London, Leeds] # towns; remote jobs always pass
      radius_miles: 20           # how far from them `skillscout crawl --for` searches
      remote: [remote, hybrid]   # any of remote | hybrid | onsite
      min_salary: {amount: 45000, currency: GBP}   # compared with annualised pay
      employment_types: [full_time, contract]
      exclude_companies: [Initech]

A bare `min_salary: 45000` (or `{amount: 45000}`) takes its currency from `countries` when
they all pay in one currency; otherwise the profile is refused, since a number without a
currency cannot be compared with pay in pounds, dollars and euros.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline import untrusted_yaml
from skills.roles import check_target_role, role_family
from skills.taxonomy import Taxonomy, load_taxonomy

REMOTE_VALUES = {"remote", "hybrid", "onsite"}
EMPLOYMENT_TYPES = {"full_time", "part_time", "contract", "temporary", "internship",
                    "apprenticeship"}
# Jobs carry ISO 3166-1 alpha-2 codes; these are the names people type instead.
_COUNTRY_ALIASES = {"uk": "GB", "united kingdom": "GB", "england": "GB", "scotland": "GB",
                    "wales": "GB", "usa": "US", "united states": "US", "ireland": "IE",
                    "germany": "DE", "netherlands": "NL", "france": "FR", "spain": "ES"}
# The currency a bare `min_salary` is in, from the profile's countries.
_EURO = "AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
COUNTRY_CURRENCY = {**dict.fromkeys(_EURO.split(), "EUR"),
                    "GB": "GBP", "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "CH": "CHF",
                    "SE": "SEK", "NO": "NOK", "DK": "DKK", "PL": "PLN", "CZ": "CZK", "HU": "HUF",
                    "RO": "RON", "IN": "INR", "SG": "SGD", "JP": "JPY", "IL": "ILS", "ZA": "ZAR",
                    "BR": "BRL", "MX": "MXN", "AE": "AED", "HK": "HKD"}
MAX_SKILLS = 500  # more is not a person's profile; refusing it keeps matching fast
MAX_SUGGESTED = 10  # unknown skills that get "did you mean" (each one searches the taxonomy)
_TOP_KEYS = {"name", "skills", "preferences", "target_roles"}
_PREF_KEYS = {"countries", "locations", "radius_miles", "remote", "min_salary", "employment_types",
              "exclude_companies"}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file, line and problem."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # 1-based, when the problem is on one line


@dataclass
class Profile:
    skills: dict[str, float | None]  # canonical skill name → years held (None: not said)
    name: str | None = None
    countries: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)
    radius_miles: float | None = None  # searched around each location (job-search APIs)
    remote: set[str] = field(default_factory=set)
    min_salary: float | None = None
    salary_currency: str | None = None
    employment_types: set[str] = field(default_factory=set)
    exclude_companies: set[str] = field(default_factory=set)
    target_roles: list[str] = field(default_factory=list)
    # Role families (as stored in jobs.role_family) the target roles name; empty means
    # "any role". `parse_profile` fills them from `target_roles`.
    target_families: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_skills(cls, skills: list[str] | dict[str, float | None], **prefs: Any) -> Profile:
        if isinstance(skills, list):
            skills = dict.fromkeys(skills)
        return cls(skills=dict(skills), **prefs)


def _fail(path: Path | str, node: yaml.Node | None, problem: str) -> ProfileError:
    line = node.start_mark.line + 1 if node is not None else None
    where = f"{path}, line {line}" if line is not None else str(path)
    return ProfileError(f"{where}: {problem}", line)


def _scalar(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _str_list(path: Path | str, node: yaml.Node, what: str) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        return [] if value is None else [str(value)]
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(path, node, f"{what} should be a list")
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or _scalar(item) is None:
            raise _fail(path, item, f"each entry of {what} should be a single value")
        out.append(item.value)  # as written: YAML would read Norway's "NO" as false
    return out


def _years(path: Path | str, node: yaml.Node, skill: str) -> float | None:
    if isinstance(node, yaml.MappingNode):
        spec = {k.value: v for k, v in node.value}
        unknown = set(spec) - {"years", "level"}
        if unknown:
            raise _fail(path, node, f"skill {skill!r}: unknown key(s) {', '.join(sorted(unknown))}"
                        " (expected years, level)")
        node = spec.get("years")
        if node is None:
            return None
    value = _scalar(node)
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "yes", "true")):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value > 60:
        raise _fail(path, node, f"skill {skill!r}: years should be a number from 0 to 60, "
                    f"got {value!r}")
    return float(value)


def _skill_entries(path: Path | str, node: yaml.Node) -> list[tuple[yaml.Node, str, float | None]]:
    entries = []
    if isinstance(node, yaml.MappingNode):
        pairs = node.value
    elif isinstance(node, yaml.SequenceNode):
        pairs = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                pairs.append((item, None))
            elif isinstance(item, yaml.MappingNode) and len(item.value) == 1:
                pairs.append(item.value[0])
            else:
                raise _fail(path, item, "each skill should be a name, or `name: years`")
    else:
        raise _fail(path, node, "skills should be a list of skill names (or a mapping of name: years)")
    for key, value in pairs:
        name = _scalar(key)
        if not isinstance(name, str | int | float) or not str(name).strip():
            raise _fail(path, key, "a skill name is empty")
        years = _years(path, value, str(name)) if value is not None else None
        entries.append((key, str(name).strip(), years))
    return entries


def parse_profile(text: str, path: Path | str = "<profile>",
                  taxonomy: Taxonomy | None = None) -> Profile:
    try:
        root = untrusted_yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError(f"{path}{untrusted_yaml.describe(exc)}", mark.line + 1 if mark else None) from exc
    if root is None:
        raise ProfileError(f"{path}: the profile is empty; it needs at least a `skills:` list")
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, root, "a profile is a mapping with `skills:` and optional `preferences:`")
    top = {}
    for key, value in root.value:
        if key.value not in _TOP_KEYS:
            raise _fail(path, key, f"unknown key {key.value!r} (expected one of "
                        f"{', '.join(sorted(_TOP_KEYS))})")
        top[key.value] = value
    if "skills" not in top:
        raise _fail(path, root, "the profile has no `skills:` list")
    taxonomy = taxonomy or load_taxonomy()
    profile = Profile(skills={})
    if "name" in top:
        profile.name = str(_scalar(top["name"]))
    entries = _skill_entries(path, top["skills"])
    if len(entries) > MAX_SKILLS:
        raise _fail(path, top["skills"], f"{len(entries):,} skills listed; a profile holds at most "
                    f"{MAX_SKILLS} (keep the ones you would want a job to use)")
    unknown: list[str] = []
    for key_node, raw, years in entries:
        skill = taxonomy.resolve(raw)
        if skill is None:
            unknown.append(raw)
            if len(unknown) <= MAX_SUGGESTED:
                hint = taxonomy.suggest(raw)
                tip = f"; did you mean {', '.join(hint)}?" if hint else ""
                profile.warnings.append(f"line {key_node.start_mark.line + 1}: unknown skill {raw!r}"
                                        f" (ignored){tip}")
            continue
        held = profile.skills.get(skill.name)
        profile.skills[skill.name] = max(held or 0, years) if years is not None else held
    if len(unknown) > MAX_SUGGESTED:
        rest = unknown[MAX_SUGGESTED:]
        profile.warnings.append(f"{len(rest)} more unknown skill{'s' if len(rest) > 1 else ''} ignored: "
                                + ", ".join(rest[:5]) + (", ..." if len(rest) > 5 else ""))
    if not profile.skills:
        raise _fail(path, top["skills"], "none of the skills is known to the taxonomy")
    if "target_roles" in top:
        _target_roles(path, top["target_roles"], profile)
    if "preferences" in top:
        _preferences(path, top["preferences"], profile)
    return profile


def _target_roles(path: Path | str, node: yaml.Node, profile: Profile) -> None:
    """Each target role must name a data/ML role family: a misspelt one would otherwise
    match nothing and quietly widen the ranking to every role."""
    roles = _str_list(path, node, "target_roles")
    items = node.value if isinstance(node, yaml.SequenceNode) else [node] * len(roles)
    for role, item in zip(roles, items, strict=True):
        problem = check_target_role(role)
        if problem:
            raise _fail(path, item, problem)
    profile.target_roles = roles
    profile.target_families = {role_family(r) for r in roles}


def _preferences(path: Path | str, node: yaml.Node, profile: Profile) -> None:
    if isinstance(node, yaml.ScalarNode) and _scalar(node) is None:
        return
    if not isinstance(node, yaml.MappingNode):
        raise _fail(path, node, "preferences should be a mapping")
    salary_node = node
    for key, value in node.value:
        name = key.value
        if name not in _PREF_KEYS:
            raise _fail(path, key, f"unknown preference {name!r} (expected one of "
                        f"{', '.join(sorted(_PREF_KEYS))})")
        if name == "countries":
            for raw in _str_list(path, value, name):
                code = _COUNTRY_ALIASES.get(raw.strip().lower(), raw.strip().upper())
                if len(code) != 2 or not code.isalpha():
                    raise _fail(path, value, f"unknown country {raw!r}; use a two-letter ISO "
                                "code such as GB, US, IE, DE")
                profile.countries.add(code)
        elif name == "locations":
            profile.locations = _str_list(path, value, name)
        elif name == "radius_miles":
            radius = _scalar(value) if isinstance(value, yaml.ScalarNode) else None
            if isinstance(radius, bool) or not isinstance(radius, int | float) or not 0 < radius <= 500:
                raise _fail(path, value, f"radius_miles should be a number of miles from 1 to 500, "
                            f"got {radius!r}")
            profile.radius_miles = float(radius)
        elif name == "remote":
            values = {v.lower().replace("-", "") for v in _str_list(path, value, name)}
            if values - REMOTE_VALUES:
                raise _fail(path, value, f"remote should list any of remote, hybrid, onsite; got "
                            f"{', '.join(sorted(values - REMOTE_VALUES))}")
            profile.remote = values
        elif name == "employment_types":
            values = {v.lower().replace("-", "_").replace(" ", "_") for v in _str_list(path, value, name)}
            if values - EMPLOYMENT_TYPES:
                raise _fail(path, value, f"unknown employment type(s) "
                            f"{', '.join(sorted(values - EMPLOYMENT_TYPES))}; expected any of "
                            f"{', '.join(sorted(EMPLOYMENT_TYPES))}")
            profile.employment_types = values
        elif name == "exclude_companies":
            profile.exclude_companies = {v.lower() for v in _str_list(path, value, name)}
        elif name == "min_salary":
            _min_salary(path, value, profile)
            salary_node = value
    if profile.min_salary is not None and profile.salary_currency is None:
        profile.salary_currency = _currency_from_countries(path, salary_node, profile)


def _min_salary(path: Path | str, node: yaml.Node, profile: Profile) -> None:
    if isinstance(node, yaml.ScalarNode):
        amount, currency = _scalar(node), None
    elif isinstance(node, yaml.MappingNode):
        spec = {k.value: _scalar(v) for k, v in node.value}
        amount, currency = spec.get("amount"), spec.get("currency")
    else:
        raise _fail(path, node, "min_salary should be a number or {amount, currency}")
    if (isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount)
            or amount <= 0):
        raise _fail(path, node, f"min_salary amount should be a positive number, got {amount!r}")
    if currency is not None and (not isinstance(currency, str) or len(currency) != 3
                                 or not currency.isalpha()):
        raise _fail(path, node, f"min_salary currency should be an ISO code like GBP, got {currency!r}")
    profile.min_salary = float(amount)
    profile.salary_currency = currency.upper() if currency else None


def _currency_from_countries(path: Path | str, node: yaml.Node, profile: Profile) -> str:
    amount = f"{profile.min_salary:g}"
    currencies = {COUNTRY_CURRENCY.get(c) for c in profile.countries}
    if len(currencies) == 1 and None not in currencies:
        return currencies.pop()
    if not profile.countries:
        why = "and the profile names no countries to take one from"
    elif None in currencies:
        strange = sorted(c for c in profile.countries if c not in COUNTRY_CURRENCY)
        why = f"and skillscout does not know the currency of {', '.join(strange)}"
    else:
        why = f"and your countries ({', '.join(sorted(profile.countries))}) pay in different currencies"
    raise _fail(path, node, f"min_salary {amount} has no currency, {why}: write it as "
                f"{{amount: {amount}, currency: GBP}} (or USD, EUR, ...)")


def load_profile(path: Path | str, taxonomy: Taxonomy | None = None) -> Profile:
    path = Path(path)
    try:
        text = untrusted_yaml.read_text(path)
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such profile file") from exc
    except IsADirectoryError as exc:
        raise ProfileError(f"{path}: is a folder, not a profile file") from exc
    except untrusted_yaml.FileTooLarge as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc})") from exc
    return parse_profile(text, path, taxonomy)
