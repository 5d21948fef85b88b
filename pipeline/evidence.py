"""Where in an ad each skill is asked for: the evidence behind a job's skills.

The store keeps how many times a skill is mentioned, not where (`job_skills.mentions`), so
the spans are found again from the stored ad: extraction reads `title + "\\n" + description`
exactly as the crawl did, in about 2 ms, and its character offsets index that same text, so
they line up with the title and ad shown. Two kinds of place are returned:

- asked: the places extraction counts as the ad asking for the skill (`required` as the
  store has it for the job);
- named: a skill named where it is not asked of the candidate — negated ("no Scala needed"),
  in the company blurb or the benefits. Shown differently, never as evidence.

If the extractor has changed since the crawl, the stored skills and the ones found now can
differ; both differences are returned, so a page can say so instead of hiding it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import skills
from skills.extractor import MENTIONS_KEY

# As the crawl reads an ad (its extraction step): spaCy refuses very long texts, and an "ad"
# of megabytes is a broken page; the rest is shown unmarked.
MAX_AD_CHARS = 100_000


def ad_text(title: str | None, description: str | None) -> str:
    """The text extraction reads for a job: its title, a line break, its ad."""
    return f"{title or ''}\n{description or ''}"


@dataclass
class Segment:
    text: str
    skill: str | None = None  # None: plain text between marks
    asked: bool = False  # False on a mark: named, not asked (negated, blurb, benefits)
    required: bool | None = None


@dataclass
class Span:
    part: str  # "title" or "description"
    start: int  # character offsets into that part
    end: int
    skill: str
    asked: bool
    required: bool | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Evidence:
    title: list[Segment]
    description: list[Segment]
    spans: list[Span]
    found: dict[str, bool]  # skill → required, as extraction reads the ad now
    not_marked: list[str] = field(default_factory=list)  # stored for the job, not found in the text now
    not_stored: list[str] = field(default_factory=list)  # found now, not stored for the job

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [s.to_dict() for s in self.spans], "found": self.found,
                "not_marked": self.not_marked, "not_stored": self.not_stored}


def find_evidence(title: str | None, description: str | None,
                  stored: list[tuple[str, bool]]) -> Evidence:
    """The ad cut into plain and marked segments. `stored`: (skill, required) as the store
    has them for the job; a mark's `required` comes from there when the skill is stored."""
    text = ad_text(title, description)
    doc = skills.get_nlp()(text[:MAX_AD_CHARS])
    found = {s["name"]: bool(s["required"]) for s in doc._.skills}
    required = {**found, **dict(stored)}
    places: list[tuple[int, int, str, bool]] = []
    for entry in doc._.skills:
        places += [(sp["start"], sp["end"], entry["name"], True) for sp in entry["spans"]]
    places += [(sp.start_char, sp.end_char, sp.label_, False) for sp in doc.spans[MENTIONS_KEY]]
    # Asked before named at one place; a place overlapping one already taken is dropped.
    places.sort(key=lambda p: (p[0], not p[3], -p[1]))
    kept: list[tuple[int, int, str, bool]] = []
    for place in places:
        if place[1] > place[0] and (not kept or place[0] >= kept[-1][1]):
            kept.append(place)
    cut = len(title or "")
    spans = []
    for start, end, skill, asked in kept:
        if end <= cut:
            spans.append(Span("title", start, end, skill, asked, required.get(skill) if asked else None))
        elif start > cut:
            spans.append(Span("description", start - cut - 1, end - cut - 1, skill, asked,
                              required.get(skill) if asked else None))
    stored_names = {name for name, _ in stored}
    return Evidence(
        title=_segments(title or "", [s for s in spans if s.part == "title"]),
        description=_segments(description or "", [s for s in spans if s.part == "description"]),
        spans=spans, found=found,
        not_marked=sorted(stored_names - set(found)), not_stored=sorted(set(found) - stored_names))


def _segments(text: str, spans: list[Span]) -> list[Segment]:
    out, at = [], 0
    for span in spans:
        if span.start > at:
            out.append(Segment(text[at:span.start]))
        out.append(Segment(text[span.start:span.end], span.skill, span.asked, span.required))
        at = span.end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out
