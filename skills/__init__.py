"""Skill taxonomy and the spaCy component that finds skills in job ads."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from typing import Any

from skills.taxonomy import Skill, Taxonomy, load_taxonomy

__all__ = ["Skill", "Taxonomy", "extract", "extract_many", "extract_with_ner", "get_nlp", "load_taxonomy"]

_NLP = None


def get_nlp():
    """The shared blank-English pipeline with the skill extractor (built once)."""
    global _NLP
    if _NLP is None:
        from skills.extractor import build_nlp

        _NLP = build_nlp()
        # The pipeline is hundreds of thousands of long-lived objects (taxonomy, matchers,
        # vocab). Out of the collector's sight, the full collections that extracting many ads
        # triggers no longer walk them all: 35% more ads a second (bench/extract.py). It
        # also keeps forked extraction workers from touching, and so copying, those pages.
        gc.freeze()
    return _NLP


def extract(text: str) -> list[dict[str, Any]]:
    """Skills in one ad: [{"name", "category", "required", "years", "spans"}]."""
    return get_nlp()(text)._.skills


def extract_with_ner(texts: Iterable[str], batch_size: int = 64) -> Iterator[dict[str, Any]]:
    """Per text, {"skills": [...], "candidates": [...]}, with the SkillSpan NER run first: the
    places it finds a skill named that the dictionary missed become skills where the taxonomy
    can name them, and are reported as candidates ({"text", "start", "end"}) where it cannot.
    About four times slower than `extract_many`, so not the default path."""
    from spacy.util import minibatch

    from skills.ner import NER_KEY, ner_spans

    nlp = get_nlp()
    for batch in minibatch(texts, size=batch_size):
        docs = [nlp.make_doc(text) for text in batch]
        for doc, found in zip(docs, ner_spans(batch, batch_size=batch_size), strict=True):
            doc.user_data[NER_KEY] = found
        for doc in nlp.pipe(docs):
            yield {"skills": doc._.skills, "candidates": doc._.candidates}


def extract_many(texts: Iterable[str], batch_size: int = 64, n_process: int = 1
                 ) -> Iterator[list[dict[str, Any]]]:
    """Skills per text, in order. With `n_process` > 1 the texts are shared out to worker
    processes in chunks, and only the skill lists come back: spaCy's own n_process ships
    whole Docs between processes, which costs more than extracting them."""
    nlp = get_nlp()
    if n_process <= 1:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield doc._.skills
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork: the workers start with the pipeline already built (copy-on-write).
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    from spacy.util import minibatch

    with context.Pool(n_process) as pool:
        for chunk in pool.imap(_extract_chunk, minibatch(texts, size=batch_size)):
            yield from chunk


def _extract_chunk(texts: list[str]) -> list[list[dict[str, Any]]]:
    return [doc._.skills for doc in get_nlp().pipe(texts)]
