"""Names that look like skills but are not in the taxonomy, so it can grow from real crawls.

In the parts of ads that ask for things (requirement and nice-to-have sections, and bullet
lists of duties), a tool is usually written as a proper name: capitalised mid-sentence
("Metabase"), with inner capitals or digits ("PostHog", "S3", "H3"), or dotted ("Deno.js").
Those names, minus the skills we already know, the company's own name and ordinary
capitalised words, are counted by how many ads use them; one ad's oddity is not a trend."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from skills import sections
from skills.extractor import MENTIONS_KEY, doc_text
from skills.ner import MODEL_DIR, ner_spans

# Capitalised words that are not tools: pronouns, days, months, places and ad vocabulary.
_COMMON = frozenset(re.findall(r"\S+", """
i we you our your us they their he she it
this that these those the a an and or of in on at to for with from by as is are be will can may
must should would could ideally strong solid good great excellent experience knowledge
understanding ability skills desirable essential required requirements bonus plus preferred
nice familiarity exposure proven working advanced basic including such etc e.g i.e eg ie monday
tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december uk us usa eu europe european london manchester leeds
bristol berlin amsterdam dublin paris edinburgh glasgow new york remote hybrid onsite team
teams data analyst engineer scientist senior junior lead head manager director role company
business customers clients stakeholders phd msc bsc ms ba ma degree masters university english
inside outside ir35 certified certification ireland scotland wales england
"""))
_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9.+#-]*$")


@dataclass
class UnknownSkill:
    name: str
    ads: int
    examples: list[str] = field(default_factory=list)  # a line it appears in, per ad


def _looks_like_a_name(token: str, sentence_start: bool) -> bool:
    if not _TOKEN.match(token) or token.lower() in _COMMON or len(token) < 2:
        return False
    inner_capital = any(c.isupper() for c in token[1:]) and not token.isupper()
    has_digit = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    dotted = "." in token.strip(".")
    acronym = token.isupper() and 2 <= len(token) <= 6
    capitalised = token[0].isupper() and not sentence_start
    return inner_capital or has_digit or dotted or acronym or capitalised


def candidates_in(doc, company: str | None = None, location: str | None = None,
                  extra_spans: list[tuple[int, int]] = ()) -> set[str]:
    """Skill-like names in one processed ad (a Doc from the skill extractor's pipeline);
    `extra_spans` are places another detector (the NER) found a skill named."""
    text = doc_text(doc)  # read once: doc.text is rebuilt from the tokens on every read
    layout = sections.AdLayout.parse(text)
    known = set()
    for span in doc.spans[MENTIONS_KEY]:
        known.update(range(span.start, span.end))
    own_words = {w.lower() for w in re.findall(r"\w+", f"{company or ''} {location or ''}")}
    found: set[str] = set()
    current: list[str] = []

    def flush() -> None:
        if current:
            found.add(" ".join(current))
            current.clear()

    previous_line = -1
    for token in doc:
        line = layout.line_index(token.idx)
        if line != previous_line:
            flush()
            previous_line = line
        section = layout.sections[line]
        asking = section in (sections.REQUIRED, sections.NICE) or (
            section == sections.ROLE and layout.is_bullet(token.idx))
        if asking:
            s_start, s_end = layout.sentence_bounds(token.idx, token.idx + len(token))
            asking = not sections.is_boilerplate(text[s_start:s_end])
        first = token.i == 0 or doc[token.i - 1].text in (".", "-", ":", "•", "(") or (
            doc[token.i - 1].idx < layout.line_starts[line])
        # A capitalised first word counts when the next is a name too: "Tabular Editor".
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (first and nxt is not None and nxt.i not in known and nxt.text[:1].isupper()
                and nxt.lower_ not in _COMMON):
            first = False
        if (asking and token.i not in known and token.lower_ not in own_words
                and _looks_like_a_name(token.text, first)):
            current.append(token.text)
        else:
            flush()
    flush()
    for start, end in extra_spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        line = layout.line_index(start)
        asking = layout.sections[line] in (sections.REQUIRED, sections.NICE) or layout.is_bullet(start)
        if (span is not None and asking and not any(t.i in known for t in span) and len(span.text) <= 40
                and any(_looks_like_a_name(t.text, False) for t in span)
                and not {t.lower_ for t in span} & own_words):
            found.add(span.text)
    return {c for c in found if c.lower() not in _COMMON}


def unknown_skills(nlp, ads: Iterable[tuple[str, str | None, str | None]], min_ads: int = 2,
                   limit: int = 50, use_ner: bool = True) -> list[UnknownSkill]:
    """`ads`: (text, company, location) triples. Candidates seen in at least `min_ads` ads,
    commonest first. With `use_ner` (and the model shipped), the NER trained on SkillSpan
    adds the names it finds that the taxonomy does not know."""
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    texts = list(ads)
    ner = ner_spans([t for t, _, _ in texts]) if use_ner and MODEL_DIR.exists() else [[] for _ in texts]
    for doc, (text, company, location), extra in zip(nlp.pipe(t for t, _, _ in texts), texts, ner,
                                                      strict=True):
        for name in candidates_in(doc, company, location, extra):
            counts[name] += 1
            if len(examples.setdefault(name, [])) < 2:
                line = next((ln for ln in text.splitlines() if name in ln), "")
                examples[name].append(line.strip()[:120])
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy
    # Known names can reach here where the extractor declined them in context ("ML engineer").
    return [UnknownSkill(name, n, examples[name]) for name, n in counts.most_common()
            if n >= min_ads and taxonomy.resolve(name) is None][:limit]
