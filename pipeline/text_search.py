"""A text-search baseline for the ranking evaluation: what a search engine would do with
the person's skills typed into a search box.

Okapi BM25 (k1 = 1.2, b = 0.75, the usual defaults) of the profile's skill names against each
ad's title and text, with no taxonomy, no aliases and no extraction in between: a word either
occurs in the ad or it does not."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

K1 = 1.2
B = 0.75
# Letters, digits and the symbols that make C++, C# or .NET distinct words.
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> list[str]:
    return _WORD.findall(_TAG.sub(" ", text.lower()))


def bm25_scores(query_terms: Iterable[str], documents: dict[str, str]) -> dict[str, float]:
    """doc id → BM25 score of the query against it (IDF over these documents)."""
    tokens = {doc: Counter(words(text)) for doc, text in documents.items()}
    if not tokens:
        return {}
    lengths = {doc: sum(t.values()) for doc, t in tokens.items()}
    average = sum(lengths.values()) / len(lengths) or 1.0
    terms = Counter(w for term in query_terms for w in words(term))
    n = len(tokens)
    scores = dict.fromkeys(tokens, 0.0)
    for term, repeats in terms.items():
        having = sum(1 for t in tokens.values() if term in t)
        if not having:
            continue
        idf = math.log(1 + (n - having + 0.5) / (having + 0.5))
        for doc, counts in tokens.items():
            f = counts.get(term, 0)
            if f:
                scores[doc] += repeats * idf * f * (K1 + 1) / (
                    f + K1 * (1 - B + B * lengths[doc] / average))
    return scores
