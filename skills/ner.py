"""Knowledge spans ("Java", "CI/CD", "computer science") from a small NER trained on SkillSpan.

    from skills.ner import ner_spans, add_uncovered
    found = ner_spans(texts)                          # [[(start, end), ...] per text]
    spans = add_uncovered(dictionary_spans, found[0])  # dictionary + what it missed

The model (skills/models/skillspan_ner, ~2.7 MB, made by `python -m skills.train_ner`) is loaded
on first use. Its spans carry no skill name: they are places in the text where a posting names
a tool, technology or field, including ones the taxonomy does not know."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent / "models" / "skillspan_ner"

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
