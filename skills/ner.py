"""Knowledge spans ("Java", "CI/CD", "computer science") from a small NER trained on SkillSpan.

    from skills.ner import ner_spans, add_uncovered
    found = ner_spans(texts)                          # [[(start, end), ...] per text]
    spans = add_uncovered(dictionary_spans, found[0])  # dictionary + what it missed

The model (skills/models/skillspan_ner, ~2.7 MB, made by `python -m skills.train_ner`) is loaded
on first use. Its spans carry no skill name: they are places in the text where a posting names
a tool, technology or field, including ones the taxonomy does not know."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent / "models" / "skillspan_ner"
NER_KEY = "skillscout.ner"  # NER spans handed to the skill extractor on doc.user_data

Span = tuple[int, int]
_NLP: Language | None = None


def get_ner() -> Language:
    """The NER pipeline (blank English tokenizer + "ner"), loaded once."""
    global _NLP
    if _NLP is None:
        import spacy

        if not MODEL_DIR.exists():
            raise FileNotFoundError(f"no NER model at {MODEL_DIR}: run `python -m skills.train_ner`")
        _NLP = spacy.load(MODEL_DIR)
    return _NLP


def ner_spans(texts: Iterable[str], batch_size: int = 64) -> list[list[Span]]:
    """Character spans of the Knowledge entities the NER finds, per text."""
    nlp = get_ner()
    return [[(ent.start_char, ent.end_char) for ent in doc.ents]
            for doc in nlp.pipe(texts, batch_size=batch_size)]


def touches(a: Span, b: Span) -> bool:
    """Whether two character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def add_uncovered(base: Iterable[Span], extra: Iterable[Span]) -> list[Span]:
    """`base` plus the spans of `extra` that touch none of `base`, in text order."""
    base = list(base)
    kept = [s for s in extra if not any(touches(s, b) for b in base)]
    return sorted(set(base) | set(kept))


# --- naming what the NER found -----------------------------------------------------------------

_SQUASH = re.compile(r"[\s\-_./()]+")
# Words around a name that SkillSpan spans often carry: "Kubernetes environments", "AWS )".
_TRIM = re.compile(r"^(?:experience (?:with|in)|knowledge of|the|a|an)\s+|\s+(?:environments?|ecosystem|"
                   r"services?|frameworks?|platforms?|stack|tools?|skills?|experience|development)$"
                   r"|^[\s(),.;:]+|[\s(),.;:*]+$", re.I)
# Fuzzy links at or above this similarity name the same skill: measured on SkillSpan train,
# where at 0.9 nine links in ten agree with the dictionary's name for the same span.
FUZZY_CUTOFF = 0.9


def squash(text: str) -> str:
    """"Node JS", "node.js", "NodeJS" → "nodejs"; a plural "s" dropped ("APIs" → "api")."""
    key = _SQUASH.sub("", text.lower())
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


class Linker:
    """Names a span of text with a taxonomy skill: by its alias (normalised), by the alias
    squashed of spaces and punctuation, or by a close spelling (similarity >= FUZZY_CUTOFF,
    compared only with aliases sharing its first two letters)."""

    def __init__(self, taxonomy) -> None:
        self.taxonomy = taxonomy
        self.squashed: dict[str, str] = {}
        for skill in taxonomy:
            if skill.ambiguous and skill.name in skill.ambiguous:
                continue  # "Go", "R": a span of the NER is not support enough
            for form in skill.surface_forms:
                if form in skill.ambiguous or len(form) < 3:
                    continue
                self.squashed.setdefault(squash(form), skill.name)
        self.buckets: dict[str, list[str]] = {}
        for key in self.squashed:
            self.buckets.setdefault(key[:2], []).append(key)

    def __call__(self, text: str) -> str | None:
        text = _TRIM.sub("", _TRIM.sub("", text.strip()))
        if len(text) < 2:
            return None
        skill = self.taxonomy.resolve(text)
        if skill is not None and not (skill.ambiguous and text in skill.ambiguous):
            return skill.name
        key = squash(text)
        if key in self.squashed:
            return self.squashed[key]
        if len(key) < 5:
            return None
        best, best_ratio = None, FUZZY_CUTOFF
        for other in self.buckets.get(key[:2], ()):
            if abs(len(other) - len(key)) > 2:
                continue
            ratio = SequenceMatcher(None, key, other).ratio()
            if ratio >= best_ratio:
                best, best_ratio = other, ratio
        return self.squashed[best] if best else None
