"""The role family of a job, from its title: what kind of data/ML work it is.

Big employers' boards list every department; the family lets a source keep only data/ML
roles (the flow filters on it) and lets trends compare like with like."""

from __future__ import annotations

import re

from scrapers.items import JobPosting

# First match wins, so specific families come before the general ones they contain
# ("MLOps engineer" before "ML engineer", "analytics engineer" before "data engineer").
ROLE_FAMILIES: list[tuple[str, str]] = [
    ("mlops", r"\bml\s?ops\b|\bml(?:\s|-)?platform\b|\bmachine learning (?:platform|infrastructure)\b"
              r"|\bllm\s?ops\b"),
    ("analytics engineer", r"\banalytics engineer"),
    ("nlp engineer", r"\bnlp\b|\bnatural language\b|\bllm\b|\blanguage model|\bgenerative ai\b"
                     r"|\bgen\s?ai\b|\bconversational ai\b"),
    ("computer vision engineer", r"\bcomputer vision\b|\bcv engineer\b|\bperception\b|\bimaging\b"),
    ("research scientist", r"\bresearch (?:scientist|engineer)\b|\bapplied scientist\b"
                           r"|\bresearch fellow\b|\bresearch associate\b"),
    ("ml engineer", r"\b(?:ml|machine learning|ai|deep learning)\s+(?:engineer|developer|specialist)"
                    r"|\bmle\b"),
    ("data engineer", r"\bdata (?:platform |pipeline |integration )?engineer|\betl developer\b"
                      r"|\bbig data\b|\bdata architect"),
    ("bi developer", r"\b(?:bi|business intelligence|power bi|tableau|looker|qlik|reporting)\s+"
                     r"(?:developer|engineer|analyst|specialist|consultant)|\bbi\b"),
    ("geospatial analyst", r"\bgis\b|\bgeospatial\b|\bspatial\b|\bremote sensing\b|\bearth observation\b"),
    ("statistician", r"\bstatistician\b|\bbiostatistic|\bstatistical programmer\b"),
    ("quant analyst", r"\bquant(?:itative)?\b|\brisk (?:analyst|modell?er)\b|\bmodel risk\b|\bactuar"),
    ("data scientist", r"\bdata scien|\bmachine learning scientist\b|\bdecision scien"),
    ("data analyst", r"\b(?:data|insight|insights|information|product|operations|marketing|pricing"
                     r"|business|reporting|performance|energy|supply chain|commercial|people|hr"
                     r"|finance|financial|research|analytics|audience|customer)\s+analyst"
                     r"|\bdata (?:and|&) insight|\binsight officer\b|\banalyst\b"
                     r"|\b(?:data )?analytics (?:intern|consultant|specialist|associate|lead|apprentice)"),
    ("data manager", r"\bhead of data\b|\bdata (?:product )?manager\b|\bchief data\b|\bdirector of data\b"
                     r"|\bdata governance\b|\bdata steward\b|\banalytics manager\b"),
]
_COMPILED = [(family, re.compile(pattern, re.I)) for family, pattern in ROLE_FAMILIES]
DATA_FAMILIES = frozenset(f for f, _ in ROLE_FAMILIES)


def role_family(title: str | None) -> str:
    """The family of a job title; "other" for roles outside data and ML."""
    for family, pattern in _COMPILED:
        if title and pattern.search(title):
            return family
    return "other"


class RoleFamilyPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        item.role_family = role_family(item.title)
        self.stats.inc_value(f"skillscout/role_family/{item.role_family}")
        return item
