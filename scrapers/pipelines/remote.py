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
_HYBRID_RE = re.compile(
    r"\bhybrid\b|\b(?:one|two|three|four|[1-4])\s+days?\s+(?:a|per|each)\s+week\s+(?:in|at)\s+"
    r"(?:the|our)\s+(?:office|site|hub)|\bsplit\s+(?:your\s+time\s+)?between\s+(?:home|remote)",
    re.I,
)
_REMOTE_RE = re.compile(
    r"\b(?:fully|100%|completely|entirely)\s+remote\b|\bremote[- ]first\b|\bremote\s+(?:role|position|"
    r"job|working|contract|opportunity)\b|\bwork\s+from\s+anywhere\b|\bwork\s+(?:fully\s+)?from\s+home\b"
    r"|\bthis\s+(?:is\s+a\s+)?(?:role|position)\s+is\s+remote\b|\blocation:\s*remote\b",
    re.I,
)
_ONSITE_RE = re.compile(
    r"\b(?:fully\s+)?(?:on-?site|office[- ]based|site[- ]based|in[- ]person)\s+(?:role|position|"
    r"working|five\s+days)|\bfive\s+days\s+(?:a|per)\s+week\s+(?:in|on)\b|\bbased\s+on[- ]site\b"
    r"|\bthis\s+(?:is\s+an?\s+)?(?:on-?site|office-based)\b",
    re.I,
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
    text = description or ""
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
