"""When two scraped items are one job: the same URL once tracking is stripped, or the same
company and title with the same city or the same ad text.

Boards and aggregators repost ATS ads, often linking the original with tracking parameters
added, or with the location written differently ("London" vs "Remote (UK)"): matching
only on exact fields keeps those as duplicates, which is what users of other scrapers
complain about most."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_\w+|gh_src|gh_jid|lever-\w+|source|src|ref|referrer|trk|fbclid|gclid|mc_\w+)$",
                       re.I)
_WORD = re.compile(r"[a-z0-9]+")
SIMILAR_TEXT = 0.6  # shingle overlap above which two ads with one company and title are one


def canonical_url(url: str | None) -> str | None:
    """The URL without scheme, "www.", tracking parameters, fragment or trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return urlunsplit(("", f"{host}{port}", path, query, "")).lstrip("/")


def shingles(text: str | None, size: int = 5) -> frozenset[int]:
    words = _WORD.findall((text or "").lower()[:4000])
    return frozenset(hash(tuple(words[i:i + size])) for i in range(max(0, len(words) - size + 1)))


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def role_key(fingerprint: str) -> str:
    """company|title, without the city."""
    return fingerprint.rsplit("|", 1)[0]
