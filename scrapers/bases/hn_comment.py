"""Read a job out of one top-level comment of Hacker News' "Who is hiring?" thread.

Posters are asked for a first line like `Company | Role | Location | REMOTE/ONSITE | pay |
url`, but the order, spacing and parts vary, so each part after the company is classified by
what it looks like. Comments in free form only count when their first line names a role."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

ROLE_RE = re.compile(
    r"\b(?:engineers?|scientists?|analysts?|developers?|architects?|researchers?|designers?"
    r"|managers?|statisticians?|interns?|internship|head of|director|devops|sre|mlops)\b",
    re.I,
)
_WORKPLACE_RE = re.compile(r"\b(remote|on-?site|on site|in[- ]office|hybrid)\b", re.I)
_EMPLOYMENT_RE = re.compile(
    r"\b(full[- ]?time|part[- ]?time|contract(?:or)?|freelance|intern(?:ship)?|temporary|permanent)\b",
    re.I,
)
_PAY_RE = re.compile(
    r"(?:[£$€¥]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|NOK|SEK|DKK|PLN|INR|SGD)\b)\s?\d|\d\s?[kK]\b", re.I)
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_VISA_RE = re.compile(r"^\s*(?:no\s+)?visa(?:\s+sponsorship)?\s*$", re.I)
_YC_BATCH = re.compile(r"\s*\(YC [A-Z]\d{2}\)\s*$")  # "Globex (YC W24)": the batch is not the name
_LINK_RE = re.compile(r"<a\s[^>]*?href=\"([^\"]+)\"", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
TITLE_MAX = 100


@dataclass
class HiringPost:
    title: str
    company: str | None = None
    location: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    salary_text: str | None = None


def first_line(comment_html: str) -> str:
    head = re.split(r"<p>|<br\s*/?>|\n", comment_html, maxsplit=1, flags=re.I)[0]
    return " ".join(html.unescape(_TAG_RE.sub(" ", head)).split())


def first_link(comment_html: str) -> str | None:
    match = _LINK_RE.search(comment_html)
    return html.unescape(match.group(1)) if match else None


def parse_comment(comment_html: str) -> HiringPost | None:
    """The job in a comment, or None when it names no role."""
    line = first_line(comment_html)
    parts = [p.strip() for p in line.split("|") if p.strip()]
    if len(parts) >= 3 or (len(parts) == 2 and ROLE_RE.search(parts[1])):
        return _from_parts(parts)
    if ROLE_RE.search(line):
        return HiringPost(title=_clip(line))
    return None


def _from_parts(parts: list[str]) -> HiringPost:
    company, rest = _YC_BATCH.sub("", parts[0]) or parts[0], parts[1:]
    at = next((n for n, p in enumerate(rest) if ROLE_RE.search(p) and not _PAY_RE.search(p)), 0)
    post = HiringPost(title=_clip(rest[at]), company=company)
    workplaces: list[str] = []
    places: list[str] = []
    for part in rest[:at] + rest[at + 1:]:
        if _URL_RE.match(part) or _VISA_RE.match(part):
            continue
        if _PAY_RE.search(part):
            post.salary_text = post.salary_text or part
        elif _WORKPLACE_RE.search(part):
            workplaces.append(part)
        elif kind := _EMPLOYMENT_RE.search(part):
            post.employment_type = post.employment_type or kind.group(1)
        else:
            places.append(part)
    post.remote = _workplace(" ".join(workplaces))
    # "REMOTE (US/Canada)" is all the location some posts give.
    post.location = (places or workplaces or [None])[0]
    return post


def _workplace(text: str) -> str | None:
    """One word for a post's workplace: "ONSITE or REMOTE (UK)" lets you work remotely."""
    words = {w.lower().replace("-", "").replace(" ", "") for w in _WORKPLACE_RE.findall(text)}
    for word, value in (("hybrid", "hybrid"), ("remote", "remote"), ("onsite", "onsite"),
                        ("inoffice", "onsite")):
        if word in words:
            return value
    return None


def _clip(text: str) -> str:
    if len(text) <= TITLE_MAX:
        return text
    return text[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:.!-–") + "…"
