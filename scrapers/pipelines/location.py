"""Location: a tidy display string and an ISO country code, from structured address parts or
from free text such as "London, UK", "Austin, TX", "Remote - US" or "Berlin, Germany"."""

from __future__ import annotations

import re

from scrapers.items import JobPosting

COUNTRY_NAMES = {
    "GB": ("united kingdom", "uk", "u.k.", "great britain", "britain", "england", "scotland",
           "wales", "northern ireland", "gb", "gbr"),
    "US": ("united states", "united states of america", "usa", "u.s.", "u.s.a.", "us", "america"),
    "IE": ("ireland", "republic of ireland", "ie", "irl"),
    "DE": ("germany", "deutschland", "de", "deu"),
    "NL": ("netherlands", "the netherlands", "holland", "nl", "nld"),
    "FR": ("france", "fr", "fra"),
    "ES": ("spain", "españa", "es", "esp"),
    "PT": ("portugal", "pt", "prt"),
    "IT": ("italy", "italia", "it", "ita"),
    "BE": ("belgium", "be", "bel"),
    "AT": ("austria", "österreich", "at", "aut"),
    "CH": ("switzerland", "schweiz", "ch", "che"),
    "SE": ("sweden", "se", "swe"),
    "DK": ("denmark", "dk", "dnk"),
    "NO": ("norway", "no", "nor"),
    "FI": ("finland", "fi", "fin"),
    "PL": ("poland", "pl", "pol"),
    "CZ": ("czech republic", "czechia", "cz"),
    "CA": ("canada", "ca", "can"),
    "AU": ("australia", "au", "aus"),
    "NZ": ("new zealand", "nz"),
    "IN": ("india", "in", "ind"),
    "SG": ("singapore", "sg"),
    "LU": ("luxembourg", "lu"),
    "GR": ("greece", "gr"),
    "EE": ("estonia", "ee"),
}
# Two-letter codes that are also English words or US states are only trusted at the end of
# a comma-separated location, never as words inside free text.
_AMBIGUOUS_CODES = {"in", "us", "it", "no", "de", "ca", "at", "be", "es", "pt", "me"}

US_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC",
}
US_STATE_NAMES = {
    "california", "new york", "texas", "washington", "massachusetts", "illinois", "pennsylvania",
    "colorado", "georgia", "florida", "oregon", "virginia", "north carolina", "new jersey",
    "michigan", "ohio", "arizona", "utah", "minnesota", "maryland", "tennessee", "wisconsin",
}
CITIES = {
    "GB": ("london", "manchester", "leeds", "bristol", "birmingham", "glasgow", "edinburgh",
           "cardiff", "belfast", "sheffield", "nottingham", "newcastle", "liverpool", "reading",
           "cambridge", "oxford", "norwich", "york", "bath", "brighton", "southampton",
           "leicester", "coventry", "aberdeen", "dundee", "swansea", "milton keynes", "exeter"),
    "US": ("new york city", "nyc", "san francisco", "seattle", "austin", "boston", "chicago",
           "pittsburgh", "los angeles", "denver", "atlanta", "washington dc", "san jose",
           "palo alto", "mountain view", "menlo park"),
    "DE": ("berlin", "munich", "münchen", "hamburg", "frankfurt", "cologne", "köln", "stuttgart"),
    "NL": ("amsterdam", "rotterdam", "utrecht", "the hague", "eindhoven"),
    "IE": ("dublin", "cork", "galway"),
    "FR": ("paris", "lyon", "toulouse", "marseille"),
    "ES": ("madrid", "barcelona", "valencia"),
    "PT": ("lisbon", "lisboa", "porto"),
    "IT": ("milan", "rome", "turin"),
    "SE": ("stockholm", "gothenburg"),
    "DK": ("copenhagen",),
    "CH": ("zurich", "zürich", "geneva", "basel"),
    "AT": ("vienna", "wien"),
    "BE": ("brussels",),
    "CA": ("toronto", "vancouver", "montreal"),
}
_NAME_TO_CODE = {name: code for code, names in COUNTRY_NAMES.items() for name in names}
_CITY_TO_CODE = {city: code for code, cities in CITIES.items() for city in cities}


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 for a country name, code or alias; None when unsure."""
    if not value:
        return None
    key = value.strip().strip(".").lower()
    if key in _NAME_TO_CODE:
        return _NAME_TO_CODE[key]
    return None


def country_from_text(location: str | None) -> str | None:
    if not location:
        return None
    parts = [p.strip() for p in re.split(r"[,/|;()\-–]", location) if p.strip()]
    # The last part is usually the country; a US state code there means the US.
    for part in reversed(parts):
        if part.upper() in US_STATES and len(parts) > 1 and part.isupper():
            return "US"
        low = part.lower()
        if low in _NAME_TO_CODE and (low not in _AMBIGUOUS_CODES or part.isupper()):
            return _NAME_TO_CODE[low]
        if low in US_STATE_NAMES:
            return "US"
        if low in _CITY_TO_CODE:
            return _CITY_TO_CODE[low]
    low = location.lower()
    for name, code in _NAME_TO_CODE.items():
        if len(name) > 3 and re.search(rf"\b{re.escape(name)}\b", low):
            return code
    for city, code in _CITY_TO_CODE.items():
        if re.search(rf"\b{re.escape(city)}\b", low):
            return code
    return None


# Workplace tags that boards glue onto locations; the remote field carries them instead.
_WORKPLACE_TAG = re.compile(
    r"\s*[(\[]\s*(?:hybrid|remote|on-?site|in[- ]office|flexible)[^)\]]*[)\]]"
    r"|^\s*(?:hybrid|remote|on-?site)\s*(?:[-–:|]\s*|(?=\s*$))",
    re.I,
)


def tidy_location(location: str | None) -> str | None:
    if not location:
        return None
    stripped = _WORKPLACE_TAG.sub("", location).strip(" ,-–|")
    location = stripped or location.strip()
    parts = [" ".join(p.split()) for p in location.split(",")]
    seen: list[str] = []
    for part in parts:
        if part and part.lower() not in (s.lower() for s in seen):
            seen.append(part)
    return ", ".join(seen) or None


class LocationPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        raw = item.location
        item.location = tidy_location(raw)
        item.country = country_code(item.country) or (
            item.country.upper() if item.country and len(item.country) == 2 else None
        )
        if not item.country:
            item.country = country_from_text(raw)  # "London (Remote, UK)": the tag names it
        if not item.location:
            self.stats.inc_value("skillscout/field/location/missing")
        if not item.country:
            self.stats.inc_value("skillscout/field/country/missing")
        return item
