"""Where the work happens: "remote", "hybrid" or "onsite".

Structured flags are trusted first, then the title and location ("London (Hybrid)"), then
explicit phrases in the ad. A passing "remote" in an ad (remote sensing, remote teams) is not
enough: only phrases that describe the working arrangement count."""

from __future__ import annotations

import re

from scrapers.items import JobPosting

_VALUES = {
    "remote": "remote", "telecommute": "remote", "fully remote": "remote", "remote-first": "remote",
    "hybrid": "hybrid", "flexible": "hybrid",
    "onsite": "onsite", "on-site": "onsite", "on site": "onsite", "office": "onsite",
    "in office": "onsite", "in-office": "onsite", "in-person": "onsite",
}
_HEADLINE_RE = re.compile(r"\b(hybrid|remote|on-?site|in[- ]office)\b", re.I)
_DAYS = r"(?:one|two|three|four|[1-4]|a couple of|one or two|two or three)"
_WEEKDAYS = r"(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?)"
# What the ad says outright ("This role is onsite"), checked first.
_STATED_RE = re.compile(
    r"\b(?:role|position|job|internship|contract|post)\s+is\s+(?:fully\s+|mostly\s+)?"
    r"(?P<kind>remote|hybrid|on-?site|office[- ]based)\b",
)
_HYBRID_RE = re.compile(
    rf"\bhybrid\b|\b{_DAYS}\s+(?:office|on-?site)\s+days?\s+(?:a|per|each)\s+week"
    rf"|\b{_DAYS}\s+days?\s+(?:a|per|each)\s+week\s+(?:in|at|on)\s+(?:the\s+|our\s+)?(?:office|site|hub)"
    rf"|\b(?:office|on\s+site|in)\b[^.\n]{{0,25}}\b(?:one|two|three|[1-3])\s+days?\s+(?:a|per|each)\s+week"
    rf"|\b(?:in|from)\s+the\s+office\s+(?:on\s+)?{_WEEKDAYS}|\bteam\s+is\s+in\s+on\s+{_WEEKDAYS}"
    r"|\bcomes?\s+in\s+(?:two|three|2|3)|\bwith\s+home\s+working\b|\btime\s+worked\s+from\s+home"
    r"|\bthe\s+rest\s+(?:is\s+)?remote|\bwork\s+from\s+home\s+the\s+rest"
    r"|\bsplit\s+(?:your\s+time\s+)?between\s+(?:home|remote)",
)
_REMOTE_RE = re.compile(
    r"\b(?:fully|100%|completely|entirely|mostly)\s+remote\b|\bremote[- ]first\b"
    r"|\bremote\s+(?:role|position|job|working|contract|opportunity)\b"
    r"|\bremote\s+(?:within|in|from|across)\s+(?:the\s+)?[a-z]"
    r"|\bremote[,]?\s+\(?(?:uk|us|usa|eu|europe|emea)\b|\bremote\s+with\s+(?:occasional|optional)"
    r"|\bworking\s+remotely\b|\bwork\s+from\s+anywhere\b|\bwork\s+(?:fully\s+)?from\s+home\b|\blocation:\s*remote\b",
)
_ONSITE_RE = re.compile(
    r"\b(?:on-?site|office[- ]based|site[- ]based|in[- ]person)\s+(?:role|position|working|at\b)"
    r"|\b(?:on\s+site|in\s+the\s+office)\s+(?:four|five|4|5)\s+days\b"
    r"|\b(?:five|5)\s+days\s+(?:a|per)\s+week\b|\bmonday\s+(?:through|to|-)\s+friday\b"
    r"|\bbased\s+(?:on[- ]site|at\s+our|in\s+our)\b[^.\n]{0,30}\b(?:office|site|centre|center|plant|lab)"
    r"|\bwe\s+work\s+together\s+in\s+the\s+office\b",
)


def normalise_remote(value: str | None) -> str | None:
    if not value:
        return None
    return _VALUES.get(value.strip().lower().replace("_", " "))


def infer_remote(title: str | None, location: str | None, description: str | None) -> str | None:
    headline = f"{title or ''} | {location or ''}"
    m = _HEADLINE_RE.search(headline)
    if m:
        return normalise_remote(m.group(1).lower())
    # The ad's patterns are lower case and run without re.I on the lower-cased text: several
    # times faster in Python's re engine, and a crawl runs them on every ad.
    text = (description or "").lower()
    stated = _STATED_RE.search(text)
    if stated:
        return normalise_remote(stated.group("kind").replace("office-based", "onsite")
                                .replace("office based", "onsite"))
    if _HYBRID_RE.search(text):
        return "hybrid"
    if _REMOTE_RE.search(text):
        return "remote"
    if _ONSITE_RE.search(text):
        return "onsite"
    return None


class RemotePipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        declared = normalise_remote(item.remote)
        inferred = infer_remote(item.title, item.location, item.description)
        # Boards flag hybrid jobs as remote or on-site (schema.org has no "hybrid"), and
        # careers sites leave remote jobs at the office address: the ad's words know better.
        if (declared == "remote" and inferred == "hybrid") or (
            declared == "onsite" and inferred in ("hybrid", "remote")
        ):
            declared = inferred
        item.remote = declared or inferred
        if not item.remote:
            self.stats.inc_value("skillscout/field/remote/missing")
        return item
