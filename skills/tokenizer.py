"""The tokenizer the skill extractor runs on: light, keeps the input string, and splits a
skill name off the word it is glued to.

spaCy's English tokenizer spends most of its time on rules for prose we do not need (units,
emoticons, contractions). This one splits off brackets, quotes and sentence punctuation, and
splits on slashes, list punctuation and hyphens between words ("Python/R", "Python-based"),
keeping "C++", "C#", "Node.js" and ".NET" whole. Skill patterns are tokenized by the same
tokenizer, so they always line up with the text.

Ads whose HTML was flattened glue a list item to the next one: "Expert knowledge of
SQLFamiliarity with Python", "skillsPython". Where a word has such a case join and the part
before it is a known name ("SQL", "Node.js"), or the part after it is one and the part before
is a plain lower-case word, the word is cut there. A word that is itself a known name
("JavaScript", "PostgreSQL", "SalesForce") is never cut, nor is a brand whose parts are not
names ("YouTube", "OpenAI", "LinkedIn"), so no name is found inside another word."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TEXT_KEY = "skillscout.text"  # the input string, kept on the Doc by TextKeepingTokenizer

# (and a dash bullet glued to its item: "-Rails 7", "-Vue.js")
_PREFIX = re.compile(r"""^[\[\("'“‘«<{*•,]|^[-–](?=[A-Za-z])""")
_SUFFIX = re.compile(r"""[\]\)"'”’»>},;:!?…*]$|(?<=[^.\s])\.$|['’]s$""")
_INFIX = re.compile(r"(?<=[A-Za-z0-9+#])[/,;:|–—](?=[A-Za-z0-9.])|(?<=[A-Za-z])-(?=[A-Za-z])"
                    # "Typescript+React+Node+SQL", but "C++" stays whole
                    r"|(?<=[a-z])\+(?=[A-Za-z])"
                    # a full stop glued to the next sentence: "Scientist.Responsibilities"
                    r"|(?<=[a-z]{2})\.(?=[A-Z][a-z])"
                    # a "*" bullet glued to the item before it: "using Tableau* Perform"
                    r"|(?<=[A-Za-z0-9])\*(?=[A-Za-z])")
# Where a capitalised part starts inside a word: "sqlFamiliarity", "SQLFamiliarity", "C++Dev".
_CASE_JOIN = re.compile(r"(?<=[a-z0-9+#])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# The same, as a quick test that starts at capitals (which the regex engine scans for fast).
_HAS_CASE_JOIN = re.compile(r"[A-Z](?:(?<=[a-z0-9+#][A-Z])|(?<=[A-Z][A-Z])(?=[a-z]))")
_EMPTY = re.compile("")
_WORD_SPLIT = re.compile(r"[\s/,;:|–—]+")


class GlueSplitter:
    """The tokenizer's infix finder: the usual infixes, plus empty infixes (cuts) where a
    known name is glued to another word. `known` is set from the taxonomy before any pattern
    is tokenized, so names and text are cut alike."""

    def __init__(self) -> None:
        self.words: frozenset[str] = frozenset()  # every word of every name: never cut
        self.ends: frozenset[str] = frozenset()  # last words of names
        self.starts: frozenset[str] = frozenset()  # first words of names

    def set_names(self, names: Iterable[str], splittable: Iterable[str]) -> None:
        """`names`: every surface form; `splittable`: those a glued word may be cut at
        (concrete tools, not broad concepts: "Cloud" in "CloudWatch" is not a skill)."""
        self.words = frozenset(w.lower() for name in names for w in _WORD_SPLIT.split(name) if w)
        ends, starts = set(), set()
        for name in splittable:
            words = [w for w in _WORD_SPLIT.split(name) if w]
            if words:
                ends.add(words[-1].lower())
                starts.add(words[0].lower())
        self.ends = frozenset(w for w in ends if len(w) >= 2)
        self.starts = frozenset(w for w in starts if len(w) >= 2)

    def __call__(self, string: str) -> Iterable[re.Match[str]]:
        # most words are lower case, or capitalised once ("Python"): no case join to look for
        if not self.ends or string[1:].islower() or not _HAS_CASE_JOIN.search(string):
            return _INFIX.finditer(string)
        found: list[re.Match[str]] = []
        pos = 0
        for m in _INFIX.finditer(string):
            found += [_EMPTY.match(string, pos + cut) for cut in self.cuts(string[pos:m.start()])]
            found.append(m)
            pos = m.end()
        found += [_EMPTY.match(string, pos + cut) for cut in self.cuts(string[pos:])]
        return found

    def cuts(self, word: str) -> list[int]:
        """Offsets in `word` where a glued name starts or ends."""
        if len(word) < 4 or word.lower() in self.words:
            return []
        # A glued word has three letters at least: "GCSEs" and "APIs" are plurals, not "GCS|Es"
        joins = [m.start() for m in _CASE_JOIN.finditer(word) if 0 < m.start() <= len(word) - 3]
        if not joins:
            return []
        lower = word.lower()
        for p in reversed(joins):  # the longest known name before a join: "PostgreSQL|Experience"
            if lower[:p] in self.ends:
                return [p, *(p + c for c in self.cuts(word[p:]))]
        for p in joins:  # a plain word, then a known name: "skills|Python"
            head = word[:p]
            if len(head) >= 3 and head.isalpha() and head.islower():
                nxt = next((q for q in joins if q > p), len(word))
                if lower[p:] in self.words or lower[p:nxt] in self.starts:
                    return [p, *(p + c for c in self.cuts(word[p:]))]
        return []


# spaCy caches the tokens of each whitespace-separated chunk it has seen, but only its first
# 10,000 chunks by default. Ads use more distinct chunks than that (words with their
# punctuation), so past the first few hundred ads most chunks were split afresh: 0.5 ms of an
# ad's ~2.5 ms. A cache entry costs a few dozen bytes.
TOKEN_CACHE_CHUNKS = 200_000


def skills_tokenizer(vocab) -> Tokenizer:
    return Tokenizer(vocab, prefix_search=_PREFIX.search, suffix_search=_SUFFIX.search,
                     infix_finditer=GlueSplitter(), max_cache_size=TOKEN_CACHE_CHUNKS)


TOKENIZER_NAME = "skillscout.text_keeping_tokenizer.v1"


@registry.tokenizers(TOKENIZER_NAME)
def text_keeping_tokenizer() -> Callable[[Any], TextKeepingTokenizer]:
    """For spaCy's config (`[nlp.tokenizer] @tokenizers = ...`): the skills tokenizer, keeping
    the text."""
    def create(nlp) -> TextKeepingTokenizer:
        return TextKeepingTokenizer(skills_tokenizer(nlp.vocab))
    return create


class TextKeepingTokenizer:
    """The tokenizer, keeping the input string on the Doc (`doc.user_data`), so the
    extractor need not rebuild it from tokens (a third of its time on a long ad)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def set_names(self, names: Iterable[str], splittable: Iterable[str]) -> None:
        """Tell the glue splitter the names (see `GlueSplitter.set_names`); forgets cached
        tokenizations."""
        splitter = self.tokenizer.infix_finditer
        if isinstance(splitter, GlueSplitter):
            splitter.set_names(names, splittable)
            self.tokenizer.infix_finditer = splitter  # the setter flushes spaCy's cache

    def split_many(self, texts: list[str]) -> list[list[str]]:
        """The tokens' texts of each of many short strings (the taxonomy's ~16,000 names), as
        this tokenizer splits them, without adding them to the pipeline's vocabulary: one pass
        over them all, in a scratch vocabulary that computes no lexical attributes. Making a
        Doc of each name in the pipeline's vocab was most of the time it takes to build.

        Whitespace-separated chunks are tokenized independently (the tokenizer has no special
        cases), so each string, joined to the next by a newline, splits as it does alone.
        Strings that could not be told apart that way (empty, or with whitespace at an end)
        are tokenized on their own."""
        tok = self.tokenizer
        if tok.rules:  # special cases may span chunks: keep to one string at a time
            return [[t.text for t in tok(text)] for text in texts]
        scratch = Tokenizer(Vocab(), prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                            infix_finditer=tok.infix_finditer, token_match=tok.token_match,
                            url_match=tok.url_match)
        plain = [i for i, text in enumerate(texts) if text and text == text.strip()]
        out: list[list[str]] = [[] for _ in texts]
        doc = scratch("\n".join(texts[i] for i in plain))
        bounds, at = [], 0
        for i in plain:
            bounds.append((at, at + len(texts[i])))
            at += len(texts[i]) + 1
        b = 0
        for token in doc:
            while b < len(bounds) and token.idx >= bounds[b][1]:
                b += 1
            if b < len(bounds) and token.idx >= bounds[b][0]:
                out[plain[b]].append(token.text)
        taken = set(plain)
        for i, text in enumerate(texts):
            if i not in taken:
                out[i] = [t.text for t in scratch(text)]
        return out

    def __getattr__(self, name: str) -> Any:  # pipe(), to_disk(), rules... as the tokenizer has them
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """The ad's text. spaCy rebuilds `doc.text` from the tokens on every read; our tokenizer
    keeps the input string instead."""
    return doc.user_data.get(TEXT_KEY) or doc.text
