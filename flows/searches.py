"""Searches: the roles you want × the places you would work, asked of every job-search API.

In a sources file:

    searches:
      roles: [data analyst, analytics engineer]
      places:
        - {near: Leeds, radius_miles: 20, country: GB}
        - {country: GB}                 # anywhere in the country
        - {remote: true, country: GB}   # remote jobs open to the country
      apis:                             # optional; each API's own arguments
        adzuna: {max_pages: 1}
        reed: {}
        themuse: {}
      keep: all                         # optional, as for sources

or `skillscout crawl --for me.yaml`, which takes the roles and places from a profile.
Each API becomes one source whose spider runs every (role, place) query it can serve (Reed
only the UK, USAJOBS only the US, the remote feeds only remote places), so one process
keeps to the API's rate limit. Without `apis:` every API is used that needs no key or whose
key variables are set; the others are skipped with a note saying which variables to set."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from pipeline.profile import Profile
from scrapers.bases.search_api import Place, SearchApiSpider

# In the order their results are loaded: full-text APIs first, so that an ad also found as
# a snippet elsewhere keeps its whole text from the start.
SEARCH_APIS = ("reed", "usajobs", "themuse", "findwork", "adzuna", "jooble", "himalayas", "jobicy",
               "workingnomads", "weworkremotely")
DEFAULT_RADIUS_MILES = 20.0
_PLACE_KEYS = {"near", "radius_miles", "country", "remote"}


class SearchesError(ValueError):
    pass


@dataclass
class SearchPlan:
    roles: list[str]
    places: list[Place]
    apis: dict[str, dict[str, Any]] | None = None  # None: every usable API
    keep: Any = None
    notes: list[str] = field(default_factory=list)


def spider_class(name: str) -> type[SearchApiSpider]:
    cls = SpiderLoader(Settings({"SPIDER_MODULES": ["scrapers.spiders"]})).load(name)
    if not issubclass(cls, SearchApiSpider):
        raise SearchesError(f"{name} is not a job-search API (searchable: {', '.join(SEARCH_APIS)})")
    return cls


def places_from_profile(profile: Profile) -> list[Place]:
    """The profile's towns (with its radius), else its countries; and remote, if it takes it."""
    country = next(iter(profile.countries)) if len(profile.countries) == 1 else None
    radius = profile.radius_miles or DEFAULT_RADIUS_MILES
    places = [Place(near=town, radius_miles=radius, country=country) for town in profile.locations]
    if not places:
        places = [Place(country=c) for c in sorted(profile.countries)] or [Place()]
    if not profile.remote or "remote" in profile.remote:
        places += [Place(remote=True, country=c) for c in sorted(profile.countries)] or [Place(remote=True)]
    return places


def plan_for_profile(profile: Profile, block: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `searches:` block with the profile's roles and places (and the file's other keys)."""
    if not profile.target_roles:
        raise SearchesError("the profile has no `target_roles:` to search for")
    return {**(block or {}), "roles": list(profile.target_roles),
            "places": [{k: v for k, v in asdict(p).items() if v not in (None, False)}
                       for p in places_from_profile(profile)]}


def parse_plan(block: Any, where: str) -> SearchPlan:
    if not isinstance(block, dict):
        raise SearchesError(f"{where}: `searches:` should be a mapping with roles, places and apis")
    unknown = set(block) - {"roles", "places", "apis", "keep"}
    if unknown:
        raise SearchesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} in `searches:` "
                            "(expected roles, places, apis, keep)")
    roles = block.get("roles")
    roles = [roles] if isinstance(roles, str) else roles
    if not roles or not all(isinstance(r, str) and r.strip() for r in roles):
        raise SearchesError(f"{where}: `searches:` needs `roles:`, a list of job titles to search for")
    places = [_place(p, f"{where}: searches place #{n}")
              for n, p in enumerate(block.get("places") or [{}], 1)]
    return SearchPlan([r.strip() for r in roles], places, _apis(block.get("apis"), where), block.get("keep"))


def _place(raw: Any, where: str) -> Place:
    if isinstance(raw, str):
        return Place(remote=True) if raw.strip().lower() == "remote" else Place(near=raw.strip())
    if not isinstance(raw, dict) or set(raw) - _PLACE_KEYS:
        raise SearchesError(f"{where}: a place is a town name, `remote`, or a mapping of "
                            f"{', '.join(sorted(_PLACE_KEYS))}")
    radius = raw.get("radius_miles")
    if radius is not None and (isinstance(radius, bool) or not isinstance(radius, int | float)
                               or radius <= 0):
        raise SearchesError(f"{where}: radius_miles should be a positive number")
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and len(country.strip()) == 2):
        raise SearchesError(f"{where}: country should be a two-letter code such as GB or US")
    return Place(near=str(raw["near"]).strip() if raw.get("near") else None,
                 radius_miles=float(radius) if radius else None,
                 country=country.strip().upper() if country else None, remote=bool(raw.get("remote")))


def _apis(raw: Any, where: str) -> dict[str, dict[str, Any]] | None:
    if raw is None:
        return None
    if isinstance(raw, list):
        raw = {name: {} for name in raw}
    if not isinstance(raw, dict) or not all(isinstance(v, dict | None) for v in raw.values()):
        raise SearchesError(f"{where}: `apis:` should list API names, or map each to its arguments")
    for name in raw:
        if name not in SEARCH_APIS:
            raise SearchesError(f"{where}: {name!r} is not a job-search API; known: {', '.join(SEARCH_APIS)}")
    return {name: dict(args or {}) for name, args in raw.items()}


def _keys_unset(cls: type[SearchApiSpider]) -> list[str]:
    return [var for arg, var in cls.keys.items() if arg not in cls.optional_keys and not os.environ.get(var)]


def search_entries(plan: SearchPlan) -> list[dict[str, Any]]:
    """One sources-file entry per API that can serve at least one of the plan's searches."""
    entries = []
    for api in [a for a in SEARCH_APIS if plan.apis is None or a in plan.apis]:
        cls = spider_class(api)
        if plan.apis is None and _keys_unset(cls):
            plan.notes.append(f"{cls.missing_key_message(_keys_unset(cls))}: skipped")
            continue
        queries: list[dict[str, Any]] = []
        for role in plan.roles:
            for place in plan.places:
                query = cls.search_query(role, place)
                if query is not None and query not in queries:
                    queries.append(query)
        if not queries:
            plan.notes.append(f"{api}: none of the places suits it, skipped")
            continue
        entry: dict[str, Any] = {"spider": api, "name": f"{api}:search", **(plan.apis or {}).get(api, {}),
                                 "queries": queries}
        if plan.keep is not None:
            entry.setdefault("keep", plan.keep)
        entries.append(entry)
    return entries
