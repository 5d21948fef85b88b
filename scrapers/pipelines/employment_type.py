"""Employment type as one of: full_time, part_time, contract, temporary, internship,
apprenticeship; from schema.org values, ATS labels or, failing those, the title and ad."""

from __future__ import annotations

import re

from scrapers.items import JobPosting

_LABELS = {
    "full_time": ("full_time", "full time", "full-time", "fulltime", "permanent", "regular",
                  "perm", "vollzeit"),
    "part_time": ("part_time", "part time", "part-time", "parttime", "teilzeit"),
    "contract": ("contractor", "contract", "freelance", "freelancer", "interim", "consultant"),
    "temporary": ("temporary", "temp", "fixed term", "fixed-term", "seasonal", "per_diem"),
    "internship": ("intern", "internship", "placement", "working student", "werkstudent"),
    "apprenticeship": ("apprenticeship", "apprentice"),
}
_LABEL_TO_TYPE = {label: kind for kind, labels in _LABELS.items() for label in labels}
_TEXT_CUES = [
    ("apprenticeship", re.compile(r"\bapprentice(ship)?\b", re.I)),
    ("internship", re.compile(r"\bintern(ship)?\b|\bsummer placement\b", re.I)),
    ("part_time", re.compile(r"\bpart[- ]time\b", re.I)),
    ("contract", re.compile(r"\b(contract|freelance|day rate|outside ir35|inside ir35)\b", re.I)),
    ("temporary", re.compile(r"\b(fixed[- ]term|temporary|maternity cover)\b", re.I)),
]


def normalise_employment_type(value) -> str | None:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, str):
            kind = _LABEL_TO_TYPE.get(v.strip().lower().replace("-", " ").replace("  ", " "))
            kind = kind or _LABEL_TO_TYPE.get(v.strip().lower())
            if kind:
                return kind
    return None


def infer_employment_type(title: str | None, description: str | None) -> str | None:
    for kind, cue in _TEXT_CUES:
        if title and cue.search(title):
            return kind
    head = (description or "")[:1500]  # terms are stated near the top; later mentions mislead
    for kind, cue in _TEXT_CUES:
        if cue.search(head):
            return kind
    return None


class EmploymentTypePipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        item.employment_type = normalise_employment_type(item.employment_type) or (
            infer_employment_type(item.title, item.description)
        )
        if not item.employment_type:
            self.stats.inc_value("skillscout/field/employment_type/missing")
        return item
