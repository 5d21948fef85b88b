"""Skill taxonomy and the spaCy component that finds skills in job ads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from skills.taxonomy import Skill, Taxonomy, load_taxonomy

__all__ = ["Skill", "Taxonomy", "extract", "extract_many", "get_nlp", "load_taxonomy"]

_NLP = None


def get_nlp():
    """The shared blank-English pipeline with the skill extractor (built once)."""
    global _NLP
    if _NLP is None:
        from skills.extractor import build_nlp

        _NLP = build_nlp()
    return _NLP


def extract(text: str) -> list[dict[str, Any]]:
    """Skills in one ad: [{"name", "category", "required", "years", "spans"}]."""
    return get_nlp()(text)._.skills


def extract_many(texts: Iterable[str], batch_size: int = 64, n_process: int = 1
                 ) -> Iterator[list[dict[str, Any]]]:
    nlp = get_nlp()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield doc._.skills
