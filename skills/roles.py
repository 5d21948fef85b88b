"""The role family of a job, from its title: what kind of data/ML work it is.

Big employers' boards list every department; the family lets a source keep only data/ML
roles (the flow filters on it), lets trends compare like with like, and turns a profile's
target roles into the families matching prefers. It lives with the skills because it is
knowledge about the jobs, not about any one site: the store assigns it to every item it
loads, whichever path the item came by."""

from __future__ import annotations

import difflib
import re

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
                           r"|\bresearch fellow\b|\bresearch associate\b"
                           r"|\b(?:ml|machine learning|ai|deep learning)\s+researcher\b"),
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
    ("data manager", r"\b(?:head|director|vp) of (?:data|analytics|insights?|business intelligence|bi"
                     r"|machine learning|ml|ai)\b|\bdata (?:product )?manager\b|\bchief data\b"
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


# Words that are neither a family's name nor in its patterns but are ordinary in job titles:
# a target role made of these and a family's words is understood, not a misspelling.
_TITLE_WORDS = frozenset((
    "senior", "junior", "lead", "principal", "staff", "head", "chief", "graduate", "trainee",
    "intern", "apprentice", "associate", "assistant", "entry", "level", "mid", "of", "and", "the",
    "in", "for", "with", "team", "officer", "consultant", "specialist", "manager", "developer",
    "engineer", "scientist", "analyst", "architect", "expert", "advisor", "adviser", "director",
    "medical", "clinical", "trial", "health", "healthcare", "azure", "aws", "gcp", "cloud",
    "applied", "product", "owner", "mi",
))
# The whole words in the patterns (not the stems that end a prefix match, like "scien").
_STEMS = {"scien", "itative", "modell", "actuar", "biostatistic", "er"}
_PATTERN_WORDS = frozenset(w for _, pattern in ROLE_FAMILIES
                           for w in re.findall(r"[a-z]{2,}", re.sub(r"\\[a-z]", " ", pattern))) - _STEMS
_KNOWN_WORDS = _TITLE_WORDS | _PATTERN_WORDS | {w for f in DATA_FAMILIES for w in f.split()}
_WORDS = re.compile(r"[a-z]+")


def _known(word: str) -> bool:
    # "biostatistician", "quantitative": a word that names a family by itself is no typo.
    return word in _KNOWN_WORDS or len(word) < 4 or role_family(word) != "other"


def check_target_role(role: str) -> str | None:
    """None when `role` names a data/ML role family; otherwise the problem with it, with
    the likeliest correction ("data sciencist" → "data scientist")."""
    words = _WORDS.findall(role.lower())
    fixed, misspelt = [], False
    for word in words:
        close = [] if _known(word) else difflib.get_close_matches(word, _KNOWN_WORDS, n=1, cutoff=0.8)
        misspelt |= bool(close)
        fixed.append(close[0] if close else word)
    suggestion = " ".join(fixed)
    if misspelt and role_family(suggestion) != "other":
        return f"target role {role!r} looks misspelt; did you mean {suggestion!r}?"
    if role_family(role) == "other":
        near = difflib.get_close_matches(role.lower(), sorted(DATA_FAMILIES), n=2, cutoff=0.5)
        tip = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
        return (f"target role {role!r} is not a data or ML role skillscout knows; {tip}"
                f"families: {', '.join(sorted(DATA_FAMILIES))}")
    return None
