"""spaCy component that finds the skills a job ad asks for.

    nlp = spacy.blank("en")
    nlp.add_pipe("skill_extractor")
    nlp.initialize()                  # loads the taxonomy and context rules
    doc = nlp(ad_text)
    doc._.skills                      # [{"name", "category", "required", "years", "spans"}]
    doc.spans["skills"]               # every mention asked of the candidate, labelled with its skill
    doc.spans["skill_mentions"]       # every skill named in context, wherever in the ad

Matching is a PhraseMatcher over the taxonomy's surface forms (lower-cased; ambiguous forms
such as "R" or "Excel" only with their exact capitalisation). Each match is then judged in
context: which section of the ad it sits in, whether an ambiguous name has support around
it, whether it is negated, whether it is nice-to-have, and how many years are asked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from skills import sections
from skills.ner import NER_KEY, Linker, touches
from skills.regex_scan import BoundaryFirst
from skills.taxonomy import DATA_DIR, DEFAULT_TAXONOMY, GENERAL_OCCUPATION_CATEGORIES, Skill, Taxonomy
from skills.tokenizer import TEXT_KEY, TOKENIZER_NAME, doc_text

__all__ = ["MENTIONS_KEY", "SPAN_KEY", "TEXT_KEY", "SkillExtractor", "build_nlp", "doc_text"]

DEFAULT_CONTEXT = DATA_DIR / "context.yaml"
DEFAULT_PHRASES = DATA_DIR / "phrases.yaml"
# Words after a concept that make it a job title or a team: "ML engineer", "BI developer".
_ROLE_NOUNS = frozenset({"engineer", "engineers", "developer", "developers", "scientist", "scientists",
                         "analyst", "analysts", "team", "teams", "role", "roles", "lead", "leads",
                         "manager", "managers", "specialist", "specialists", "function", "department",
                         "consultant", "consultants", "architect", "architects", "researcher",
                         "researchers", "practitioners", "community"})
# The everyday trades' titles: "care worker", "talent acquisition professional", "recruitment
# agencies" (but "a proactive professional" is a soft skill, not a job).
_TRADE_TITLES = frozenset({
    "worker", "workers", "assistant", "assistants", "nurse", "nurses", "officer", "officers", "coordinator",
    "coordinators", "administrator", "administrators", "executive", "executives", "advisor", "advisors",
    "adviser", "advisers", "technician", "technicians", "professional", "professionals", "agency", "agencies",
    "partner", "partners", "practitioner", "supervisor", "supervisors"})
# Words between a field and the role's noun, or a role's noun the prose ones lack: "Embedded
# Software Engineer", "Security Administrator", "Threat Researcher".
_ROLE_FIELD_WORDS = frozenset({"software", "administrator", "administrators", "researcher", "researchers"})
_COMPANY_SUFFIXES = frozenset({"limited", "ltd", "llp", "plc", "inc", "group", "agency", "agencies"})
# Tokens that separate the items of a list: "python, sql, excel and looker".
# A version after a tool's name: "8", "3.11", "2012+", "v2", "5.x".
_VERSION = re.compile(r"v?\d{1,4}(?:\.(?:\d{1,3}|x))*\+?")
_MAY_WIDEN = frozenset("(v0123456789")  # first characters of a version or a bracket
_COORDINATING = frozenset({",", "/", "and", "or", "&"})
_DETERMINERS = frozenset({"the", "a", "an", "other", "our", "their", "your", "all", "new", "junior", "senior",
                          "more", "some", "any", "its"})
_LIST_SEPARATORS = frozenset({",", "/", "and", "or", "&", ";", "|", "-", "(", ")"})
SPAN_KEY = "skills"
# A coordination of words before one head noun: "analytical, problem-solving, and communication
# skills", "numeracy / literacy skills" (see SkillExtractor._shared_head_spans).
# (a literal space first: Python's regex engine then scans for it quickly)
_HEAD_NOUN = re.compile(r" (?P<head>[Ss]kills|[Aa]bilit(?:y|ies)|[Ss]killset)\b")
_COORDINATION_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]{1,24}|[,/&]")
_COORDINATED_BEFORE = re.compile(r"(?:[,/&]|\band|\bor)\s*[A-Za-z][A-Za-z-]{1,24}\s+\Z")
_COORDINATORS = frozenset({",", "/", "&", "and", "or"})
# Skills that name a concept rather than a tool: counted only where the ad asks for them.
ABSTRACT_CATEGORIES = frozenset({"practice", "soft_skill", "domain", "ml_method", "statistics",
                                 "occupational"})
# Concepts a duty sentence names as the work's methods ("Develop predictive models").
DUTY_CATEGORIES = frozenset({"practice", "ml_method", "statistics", "occupational"})
SHORT_ASK_CHARS = 90  # a sentence this short, with a cue before the name, asks for it
TECHNICAL_AD_TOOLS = 3  # distinct tools, languages, platforms... that make an ad technical
MENTIONS_KEY = "skill_mentions"  # every skill named, wherever in the ad (blurb and benefits too)

if not Doc.has_extension("skills"):
    Doc.set_extension("skills", default=None)
# Places the NER (when it ran) found a skill named that the taxonomy cannot name: reported,
# not dropped, so the taxonomy can grow ([{"text", "start", "end"}]).
if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", default=None)


@dataclass
class ContextRule:
    cues: frozenset[str]
    not_followed_by: frozenset[str]
    not_preceded_by: frozenset[str]
    # words before the name that lift the not_followed_by veto: "with Excel at an advanced
    # level" is the tool even though "Excel at" usually is the verb
    followed_ok_after: frozenset[str] = frozenset()


@dataclass
class Mention:
    skill: Skill
    start: int  # character offsets into the text
    end: int
    text: str
    required: bool
    years: int | None
    tokens: tuple[int, int] | None = None  # token offsets, when known


@Language.factory("skill_extractor", default_config={"span_key": SPAN_KEY})
def make_skill_extractor(nlp: Language, name: str, span_key: str) -> SkillExtractor:
    return SkillExtractor(nlp, name, span_key=span_key)


class SkillExtractor:
    def __init__(self, nlp: Language, name: str = "skill_extractor", *, span_key: str = SPAN_KEY):
        self.nlp = nlp
        self.name = name
        self.span_key = span_key
        self.taxonomy = Taxonomy({})
        self.context: dict[str, Any] = {}
        self._linker = None
        self._skill_of_label: dict[int, Skill] = {}
        self._reset_matchers()

    # --- setup ---------------------------------------------------------------------------------

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   taxonomy_path: str | None = None, context_path: str | None = None,
                   phrases_path: str | None = None) -> None:
        taxonomy = Taxonomy.load(taxonomy_path or DEFAULT_TAXONOMY)
        context = yaml.safe_load(Path(context_path or DEFAULT_CONTEXT).read_text(encoding="utf-8"))
        phrases = yaml.safe_load(Path(phrases_path or DEFAULT_PHRASES).read_text(encoding="utf-8"))
        self.set_data(taxonomy, context, phrases)

    def set_data(self, taxonomy: Taxonomy, context: dict[str, Any],
                 phrases: dict[str, list[str]] | None = None) -> None:
        self.taxonomy = taxonomy
        self.context = context
        self.phrases = phrases or {}
        self._linker: Linker | None = None
        _check_names(taxonomy, "phrases", self.phrases)
        _check_names(taxonomy, "context rules", (context.get("skills") or {}))
        _check_names(taxonomy, "context broad list", context.get("broad", []))
        # Separate patterns (one alternation of them all is slower in Python's re engine), each
        # run only when a word it starts with, and every word it must contain, is in the ad:
        # most ads lack most of them.
        # Each runs on the lower-cased ad without re.I (several times faster), and with re.I on
        # the rare ad whose lower-casing changes its length (offsets would not line up).
        self.phrase_patterns = [
            (name, _lower_case_phrase(_lowercase_literals(pattern)), re.compile(pattern, re.I),
             _leading_words(pattern), _required_words(pattern))
            for name, patterns in self.phrases.items() for pattern in patterns]
        self.window = int(context.get("window", 4))
        self.generic_cues = frozenset(w.lower() for w in context.get("generic_cues", []))
        self.broad = frozenset(context.get("broad", []))
        self.preceding_cues = frozenset(w.lower() for w in context.get("preceding_cues", []))
        self.vendors = frozenset(context.get("vendors", []))
        role_titles = context.get("role_titles") or {}
        _check_names(taxonomy, "context role_titles", role_titles)
        self.role_titles = [(name, re.compile(pattern)) for name, patterns in role_titles.items()
                            for pattern in patterns]
        self.rules = {
            name: ContextRule(
                cues=frozenset(w.lower() for w in rule.get("cues", [])),
                not_followed_by=frozenset(str(w).lower() for w in rule.get("not_followed_by", [])),
                not_preceded_by=frozenset(str(w).lower() for w in rule.get("not_preceded_by", [])),
                followed_ok_after=frozenset(str(w).lower() for w in rule.get("followed_ok_after", [])),
            )
            for name, rule in (context.get("skills") or {}).items()
        }
        self._reset_matchers()
        # Matches carry their label as a hash: the skill by that hash, without decoding it
        self._skill_of_label = {self.nlp.vocab.strings.add(skill.name): skill for skill in taxonomy}
        if hasattr(self.nlp.tokenizer, "set_names"):
            # Before any pattern is tokenized: names glued to a word are cut off it, in the
            # patterns as in the text. Only concrete names cut words ("SQL|Familiarity").
            self.nlp.tokenizer.set_names(
                (form for skill in taxonomy for form in skill.surface_forms),
                (form for skill in taxonomy if skill.category not in ABSTRACT_CATEGORIES
                 and skill.name not in self.broad for form in skill.surface_forms))
        plain: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        cased: dict[str, list[str]] = {}
        stop_words = self.nlp.Defaults.stop_words
        for skill in taxonomy:
            ambiguous, acronyms = set(skill.ambiguous), set(skill.cased)
            for form in skill.surface_forms:
                if form in ambiguous:
                    bucket = exact
                elif form in acronyms or (form.isupper() and form.lower() in stop_words):
                    bucket = cased  # "IT", "BASIC": acronyms only in capitals
                else:
                    bucket = plain
                bucket.setdefault(skill.name, []).append(form)
        # The lower-case spelling of an ambiguous name counts only inside a list of other
        # skills: "python, sql, excel, looker" but not "you will excel".
        listed = {name: lower for name, forms in exact.items()
                  if (lower := [form.lower() for form in forms if form != form.lower()])}
        keys = _pattern_keys(self.nlp, [form for bucket in (plain, cased, exact, listed)
                                        for forms in bucket.values() for form in forms])
        for bucket, matcher in ((plain, self.matcher), (cased, self.cased_matcher),
                                (exact, self.exact_matcher), (listed, self.list_matcher)):
            lower = matcher is self.matcher
            for name, forms in bucket.items():
                matcher.add(name, [keys[form][lower] for form in forms])

    def _reset_matchers(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.cased_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.exact_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.list_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")

    # --- the component -------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        mentions, names = self.find(doc)
        self.set_annotations(doc, mentions, names)
        return doc

    def find(self, doc: Doc) -> tuple[list[Mention], list[Span]]:
        """(mentions asked of the candidate, every place a skill is named in context)."""
        text = doc_text(doc)
        # Matches are (start, end, label, Span or None): a Span is made only for those that
        # survive the filter (a third of the matches are dropped there, and a Span costs more
        # than the tuple).
        candidates: list[_Match] = [(s, e, m, None) for m, s, e in self.matcher(doc)]
        candidates += [(s, e, m, None) for m, s, e in self.cased_matcher(doc)]
        candidates += [(sp.start, sp.end, sp.label, sp) for sp in self._phrase_spans(doc, text)]
        candidates += [(sp.start, sp.end, sp.label, sp) for sp in self._shared_head_spans(doc, text)]
        unlinked: list[Span] = []
        if NER_KEY in doc.user_data:
            linked, unlinked = self._ner_spans(doc, doc.user_data[NER_KEY], _spans(doc, candidates))
            candidates += [(sp.start, sp.end, sp.label, sp) for sp in linked]
        ambiguous_spans: list[_Match] = [(s, e, m, None) for m, s, e in self.exact_matcher(doc)]
        ambiguous_keys = {match[:3] for match in ambiguous_spans}
        listed_spans: list[_Match] = [(s, e, m, None) for m, s, e in self.list_matcher(doc)]
        listed_keys = {match[:3] for match in listed_spans}
        # longest wins: "T-SQL" over "SQL"
        spans = _spans(doc, _filter_matches(candidates + ambiguous_spans + listed_spans))
        doc._.candidates = []
        if unlinked:
            doc._.candidates = self._reported_candidates(text, unlinked, spans)
        if not spans:
            if self.role_titles and sections.is_post(text):  # "Acme | Frontend Engineer | Remote"
                return self._role_disciplines(doc, text, sections.role_parts(text), []), []
            return [], []
        if self.vendors and any(vendor in text for vendor in self.vendors):
            spans = self._vendor_products(doc, spans)
        unsure = ambiguous_keys | listed_keys
        sure = [sp for sp in spans if (sp.start, sp.end, sp.label) not in unsure]
        sure_tokens = sorted(sp.start for sp in sure) + sorted(sp.end - 1 for sp in sure)
        by_start = {sp.start: sp for sp in spans}
        by_end = {sp.end: sp for sp in spans}
        layout = sections.AdLayout.parse(text, [(sp.start_char, sp.end_char) for sp in spans])
        seen: dict[tuple[int, int], sections.SentenceCues] = {}
        mentions, named = [], []
        negated: set[str] = set()
        concrete = [sp for sp in sure if (t := self._skill_of_label.get(sp.label))
                    and t.category not in ABSTRACT_CATEGORIES]
        concrete_ends = {sp.end for sp in concrete}
        # An ad naming several tools is for technical work: a trade named in its duties is the
        # business the work serves ("dashboards for merchandising and sales"), not a skill.
        technical = len({sp.label for sp in concrete}) >= TECHNICAL_AD_TOOLS
        # A post's openings ("Acme | Senior Flutter Engineer | Remote"): what the role is named
        # after is what the job asks, tool or discipline ("Machine Learning Engineer").
        roles = sections.role_parts(text) if layout.post else []
        for span in spans:
            skill = self._skill_of_label.get(span.label)
            if skill is None:
                continue
            in_role = bool(roles) and _inside_any(roles, span.start_char, span.end_char)
            role_noun_after = span.end < len(doc) and (doc[span.end].lower_ in _ROLE_NOUNS or (
                doc[span.end].lower_ in _TRADE_TITLES and skill.category != "soft_skill"))
            if (skill.category in ABSTRACT_CATEGORIES or skill.name in self.broad) and (
                # "PostgreSQL databases", "Looker API": one thing; but in a run of names with no
                # separator ("Spring Cloud ORM JUnit", "Node.js Microservices Event Sourcing": a
                # flattened list) the next name says it is an item of its own
                (span.start in concrete_ends and span.end not in by_start)
                or (not in_role and role_noun_after)  # "ML engineer"
                # "fundraising and service teams"
                or (not in_role and _coordinated_before_a_role(doc, span.end))
                or _ends_a_proper_name(doc, span)  # "Harper Lane Recruitment is ..."
                or (skill.category == "domain" and _a_team_worked_with(doc, span))  # "with Finance on"
            ):
                continue
            if in_role and self._names_the_role(doc, text, span, skill, layout, sure_tokens, by_start, by_end,
                                                unsure):
                unsure.discard((span.start, span.end, span.label))
                named.append(span)
                if not self._negated_here(text, span, layout, seen):
                    mentions.append(Mention(skill, span.start_char, span.end_char, span.text, required=True,
                                            years=None, tokens=(span.start, span.end)))
                continue
            key = (span.start, span.end, span.label)
            # A lower-case form the taxonomy lists as ambiguous ("active learning") is judged
            # by its context like any ambiguous name; the list rule is for lower-cased names.
            if (key in listed_keys and key not in ambiguous_keys
                    and not self._in_a_list(doc, span, sure, spans)):
                continue
            if key in ambiguous_keys and not (
                    self._supported(doc, text, span, skill, sure_tokens, layout)
                    or _listed_with_a_sure_name(doc, span, by_start, by_end, unsure)):
                # "you won't need to know Rust" has no support, yet it says Rust is not asked
                if self._negated_here(text, span, layout, seen):
                    negated.add(skill.name)
                continue
            unsure.discard(key)  # now it supports the names listed after it
            # "accommodations for ... mental health or physical disability", "childcare
            # vouchers": a care trade named in equal-opportunity or benefits text is a
            # circumstance of the applicant or a perk, not a skill named
            if (skill.category in GENERAL_OCCUPATION_CATEGORIES
                    and self._in_boilerplate(text, span, layout, seen)):
                continue
            named.append(span)
            mention = self._judge(text, span, skill, layout, seen, negated, technical)
            if mention:
                mentions.append(mention)
        if roles and self.role_titles:
            mentions += self._role_disciplines(doc, text, roles, mentions)
        if negated:  # "our backend is in Scala, but no Scala needed": not asked anywhere in the ad
            mentions = [m for m in mentions if m.skill.name not in negated]
        if named:
            named, mentions = self._whole_names(doc, text, named, mentions)
        return mentions, named

    def _names_the_role(self, doc: Doc, text: str, span: Span, skill: Skill, layout: sections.AdLayout,
                        sure_tokens: list[int], by_start: dict[int, Span], by_end: dict[int, Span],
                        unsure: set[tuple[int, int, int]]) -> bool:
        """Whether a skill named in a post's opening names what the role is: a field only as
        the role itself ("Security Engineer", "Embedded Software Engineer"), not as the
        business ("Healthcare Data Engineer"); an ambiguous name before the role's noun ("Go
        Developer") or with its usual support. Otherwise it is judged as anywhere else."""
        before_role = span.end < len(doc) and doc[span.end].lower_ in _ROLE_NOUNS | _ROLE_FIELD_WORDS
        if skill.category == "domain" and not before_role:
            return False
        if (span.start, span.end, span.label) not in unsure:
            return True
        return (before_role or self._supported(doc, text, span, skill, sure_tokens, layout)
                or _listed_with_a_sure_name(doc, span, by_start, by_end, unsure))

    def _role_disciplines(self, doc: Doc, text: str, roles: list[tuple[int, int]], found: list[Mention]
                          ) -> list[Mention]:
        """The disciplines the post's openings are named after ("Senior Backend Engineer" asks
        for back-end development), where the taxonomy's names did not already say so."""
        out: list[Mention] = []
        for start, end in roles:
            role = text[start:end].lower()
            for name, pattern in self.role_titles:
                m = pattern.search(role)
                if m is None or not sections.role_named_after(role, m.start()):
                    continue
                at, to = start + m.start(), start + m.end()
                if any(x.skill.name == name and x.start < end and start < x.end for x in (*found, *out)):
                    continue
                span = doc.char_span(at, to, alignment_mode="expand")
                if span is not None:
                    out.append(Mention(self.taxonomy.get(name), span.start_char, span.end_char, span.text,
                                       required=True, years=None, tokens=(span.start, span.end)))
        return out

    def _whole_names(self, doc: Doc, text: str, named: list[Span], mentions: list[Mention]
                     ) -> tuple[list[Span], list[Mention]]:
        """Each mention widened to the whole name as written: a version after a tool ("Java 8",
        "SQL Server 2012+", "PHP 7.4") and the acronym in brackets after a name ("Natural
        Language Processing (NLP)") are part of one mention, not text beside it (nor, for the
        acronym, a second mention)."""
        ends: dict[int, int] = {}  # token start -> widened token end
        swallowed: set[int] = set()  # token starts of acronyms taken into the name before them
        n = len(doc)
        for span in named:
            end = span.end
            # most names are followed by neither a version nor a bracket: nothing to look up
            if end >= n or (doc[end].text[:1] not in _MAY_WIDEN):
                continue
            skill = self.taxonomy.get(span.label_)
            if skill is None:
                continue
            if (end < len(doc) and skill.category not in ABSTRACT_CATEGORIES
                    and _VERSION.fullmatch(doc[end].text)):
                end += 1
            if (end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")"
                    and (short := self.taxonomy.resolve(doc[end + 1].text)) is not None
                    and short.name == skill.name):
                swallowed.add(end + 1)
                end += 3
            if end != span.end:
                ends[span.start] = end
        if not ends:
            return named, mentions
        widened = [Span(doc, sp.start, ends.get(sp.start, sp.end), label=sp.label) for sp in named
                   if sp.start not in swallowed]
        out = []
        for m in mentions:
            if m.tokens is None:
                out.append(m)
                continue
            start, end = m.tokens
            if start in swallowed:
                continue
            if start in ends:
                end = ends[start]
                m = Mention(m.skill, m.start, doc[end - 1].idx + len(doc[end - 1]), "", m.required, m.years,
                            (start, end))
                m.text = text[m.start:m.end]
            out.append(m)
        return widened, out

    def _ner_spans(self, doc: Doc, found: list[tuple[int, int]], dictionary: list[Span]
                   ) -> tuple[list[Span], list[Span]]:
        """(NER spans the taxonomy can name, labelled with the skill; those it cannot), for the
        NER spans that touch no name the dictionary found: the dictionary's reading wins."""
        if self._linker is None:
            self._linker = Linker(self.taxonomy)
        taken = sorted((sp.start_char, sp.end_char) for sp in dictionary)
        linked, unlinked = [], []
        for start, end in found:
            if any(touches((start, end), t) for t in taken):
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            name = self._linker(span.text)
            if name is None:
                unlinked.append(span)
            else:
                linked.append(Span(doc, span.start, span.end, label=name))
        return linked, unlinked

    def _reported_candidates(self, text: str, unlinked: list[Span], spans: list[Span]
                             ) -> list[dict[str, Any]]:
        layout = sections.AdLayout.parse(text)
        taken = [(sp.start_char, sp.end_char) for sp in spans]
        return [{"text": sp.text, "start": sp.start_char, "end": sp.end_char} for sp in unlinked
                if layout.section_at(sp.start_char) != sections.BOILERPLATE
                and not any(touches((sp.start_char, sp.end_char), t) for t in taken)]

    def _vendor_products(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A vendor's name right before a capitalised word is part of a product's name, not
        the skill the vendor's name alone stands for: "Apache Spark Structured Streaming" is
        Spark Streaming, "Apache Zeppelin" is not Apache HTTP Server, "Google BigQuery" is
        BigQuery. A product the taxonomy knows takes the vendor's name into its span."""
        out: list[Span] = []
        skip_to = -1
        for i, span in enumerate(spans):
            if span.start < skip_to:
                continue
            nxt_token = doc[span.end] if span.end < len(doc) else None
            if (span.text in self.vendors and nxt_token is not None and nxt_token.text[:1].isupper()
                    and "\n" not in span[-1].whitespace_):
                following = spans[i + 1] if i + 1 < len(spans) else None
                if following is not None and following.start == span.end:
                    out.append(Span(doc, span.start, following.end, label=following.label))
                    skip_to = following.end
                continue
            out.append(span)
        return out

    @staticmethod
    def _cues(text: str, bounds: tuple[int, int],
              seen: dict[tuple[int, int], sections.SentenceCues]) -> sections.SentenceCues:
        # Mentions share sentences ("- Python, SQL and dbt"): look for cues once per sentence
        # and run the finer checks only where one is there.
        cues = seen.get(bounds)
        if cues is None:
            cues = seen[bounds] = sections.SentenceCues.of(text[bounds[0]:bounds[1]])
        return cues

    def _in_boilerplate(self, text: str, span: Span, layout: sections.AdLayout,
                        seen: dict[tuple[int, int], sections.SentenceCues]) -> bool:
        """Whether `span` sits in benefits, the company blurb or equal-opportunity text, in a
        sentence that asks nothing of the candidate (as `_judge` reads it)."""
        s_start, s_end = layout.sentence_bounds(span.start_char, span.end_char)
        return ((layout.section_at(span.start_char) == sections.BOILERPLATE
                 or self._cues(text, (s_start, s_end), seen).boilerplate)
                and not sections.asks_something(text[s_start:s_end]))

    def _negated_here(self, text: str, span: Span, layout: sections.AdLayout,
                      seen: dict[tuple[int, int], sections.SentenceCues]) -> bool:
        start, end = span.start_char, span.end_char
        s_start, s_end = layout.sentence_bounds(start, end)
        return (self._cues(text, (s_start, s_end), seen).negation
                and sections.is_negated(text[s_start:start], text[end:s_end]))

    def _judge(self, text: str, span: Span, skill: Skill, layout: sections.AdLayout,
               seen: dict[tuple[int, int], sections.SentenceCues], negated: set[str],
               technical: bool = False) -> Mention | None:
        start, end = span.start_char, span.end_char
        section = layout.section_at(start)
        s_start, s_end = layout.sentence_bounds(start, end)
        cues = self._cues(text, (s_start, s_end), seen)
        # Benefits, the company blurb and equal-opportunity text ask nothing of you, judged
        # sentence by sentence: a sentence there that asks for something still counts, so a
        # heading or a cue word found in the wrong place cannot silence the rest of the ad.
        if (section == sections.BOILERPLATE or cues.boilerplate) and not sections.asks_something(
                text[s_start:s_end]):
            return None
        c_start, c_end = layout.clause_bounds(start, end, (s_start, s_end))
        if section == sections.INTRO:
            if layout.structured and not layout.post:
                if sections.is_company_talk(text[c_start:c_end]):
                    return None
            else:
                # No heading says where the requirements are: the ad is read as requirements
                # (concepts still need to be asked for, below).
                section = sections.REQUIRED if skill.category not in ABSTRACT_CATEGORIES else sections.ROLE
        before, after = text[c_start:start], text[end:c_end]
        if cues.negation and sections.is_negated(text[s_start:start], text[end:s_end]):
            negated.add(skill.name)
            return None
        if skill.category in ABSTRACT_CATEGORIES:
            # "our data science team", "you'll build dashboards", "a degree in physics":
            # concepts describe the work or the education unless the ad asks for them.
            if cues.education and sections.is_field_of_study(text[s_start:start], text[end:s_end]):
                return None
            # In a list of duties a specific method is asked for ("- Fine-tune transformer
            # models"); a broad one names the work or the team ("- Build dashboards").
            # the cue may open the name itself ("Excellent communication skills")
            outside_asks = section not in (sections.REQUIRED, sections.NICE) and not (
                sections.asks_for(before) or sections.opens_with_a_cue(text[start:end])
                or sections.asked_after(after)
                # a short line listing what is asked: "Excellent documentation, presentation,
                # and communication skills" (the list's comma ends the clause, not the ask)
                or (s_end - s_start <= SHORT_ASK_CHARS and sections.asks_for(text[s_start:start])))
            # Outside those, a specific method named in a duty is one the job uses ("Apply data
            # mining ...", "You will build statistical models"); soft skills and domains are
            # labelled only where the ad asks for them.
            if outside_asks and (
                    skill.name in self.broad
                    or (technical and skill.category in GENERAL_OCCUPATION_CATEGORIES)
                    or not (layout.is_bullet(start) or (
                        # (in the opening paragraph too, but never on the title line)
                        (section == sections.ROLE
                         or (section == sections.INTRO and layout.line_index(start) > 0))
                        and skill.category in DUTY_CATEGORIES
                        and sections.opens_with_a_duty(text[s_start:start], text[start:end])))):
                return None
        nice = section == sections.NICE or (cues.nice and sections.is_nice_cue(before, after))
        years = sections.years_asked(before, after) if cues.years else None
        return Mention(skill, start, end, text[start:end], required=not nice, years=years,
                       tokens=(span.start, span.end))

    def _shared_head_spans(self, doc: Doc, text: str) -> list[Span]:
        """Words that share one head noun in a coordination: "analytical, problem-solving and
        communication skills" names analytical skills and problem-solving skills too. Each
        word that, with the head, is a skill's name becomes a mention of it (its own span).
        The last word keeps its head in the ordinary match."""
        out = []
        for h in _HEAD_NOUN.finditer(text):
            at = h.start() + 1
            if not _COORDINATED_BEFORE.search(text, max(0, at - 40), at):
                continue  # "communication skills": no coordination, the usual case
            head = h.group("head").lower()
            tokens = list(_COORDINATION_TOKEN.finditer(text, max(0, at - 160), at))
            # backwards from the head: word, separator(s), word, ... ("a, b and c skills")
            i = len(tokens) - 2  # tokens[-1] is the word the head belongs to
            words = 0
            while i >= 1 and words < 5 and tokens[-1].group(0)[0].isalpha():
                seps = 0
                while i >= 0 and tokens[i].group(0).lower() in _COORDINATORS:
                    i -= 1
                    seps += 1
                if not seps or i < 0 or not tokens[i].group(0)[0].isalpha():
                    break
                word = tokens[i].group(0)
                words += 1
                skill = self.taxonomy.resolve(f"{word} {head}")
                if skill is None and head != "skills":
                    skill = self.taxonomy.resolve(f"{word} skills")
                if skill is not None:
                    span = doc.char_span(tokens[i].start(), tokens[i].end(), label=skill.name,
                                         alignment_mode="expand")
                    if span is not None:
                        out.append(span)
                i -= 1
        return out

    def _phrase_spans(self, doc: Doc, text: str) -> list[Span]:
        out = []
        lower = text.lower()
        aligned = len(lower) == len(text)
        for name, fast, any_case, leading, required in self.phrase_patterns:
            if leading and not any(word in lower for word in leading):
                continue
            if required and not all(word in lower for word in required):
                continue
            for m in (fast.finditer(lower) if aligned else any_case.finditer(text)):
                span = doc.char_span(m.start(), m.end(), label=name, alignment_mode="expand")
                if span is not None:
                    out.append(span)
        return out

    @staticmethod
    def _in_a_list(doc: Doc, span: Span, sure: list[Span], named: list[Span]) -> bool:
        """Both neighbours, past separators, name skills, one of them surely
        ("python, sql, excel, looker, git")."""
        before, after = span.start - 1, span.end
        while before >= 0 and doc[before].lower_ in _LIST_SEPARATORS:
            before -= 1
        while after < len(doc) and doc[after].lower_ in _LIST_SEPARATORS:
            after += 1
        if span.start - before > 3 or after - span.end > 3:
            return False
        ends, starts = {sp.end - 1 for sp in named}, {sp.start for sp in named}
        sure_ends, sure_starts = {sp.end - 1 for sp in sure}, {sp.start for sp in sure}
        return before in ends and after in starts and (before in sure_ends or after in sure_starts)

    def _supported(self, doc: Doc, text: str, span: Span, skill: Skill, sure_tokens: list[int],
                   layout: sections.AdLayout) -> bool:
        """An ambiguous name counts only with support and without a false-friend neighbour."""
        rule = self.rules.get(skill.name)
        lo, hi = max(0, span.start - self.window), min(len(doc), span.end + self.window)
        if rule:
            nxt = doc[span.end].lower_ if span.end < len(doc) else ""
            prv = doc[span.start - 1].lower_ if span.start > 0 else ""
            if prv in ("/", "-") and span.start > 1:
                prv2 = doc[span.start - 2].lower_  # "grade 4/C": look past the slash
                if prv2 in rule.not_preceded_by:
                    return False
            if prv in rule.not_preceded_by or (
                    nxt in rule.not_followed_by and prv not in rule.followed_ok_after):
                return False
        line = layout.line_index(span.start_char)
        line_start, line_end = layout.line_bounds(line)
        if text[line_start:line_end].strip(" -•*:;,.") == text[span.start_char:span.end_char]:
            return True  # a bullet that is only the name: a skills list, nothing else
        for i in sure_tokens:
            if lo <= i < hi and not (span.start <= i < span.end) and (
                layout.line_index(doc[i].idx) == line
            ):
                return True
        before = doc[max(0, span.start - 2):span.start].text.lower()
        if span.start > 0 and (doc[span.start - 1].lower_ in self.preceding_cues
                               or before in self.preceding_cues):
            return True
        cues = self.generic_cues | (rule.cues if rule else frozenset())
        return any(
            doc[i].lower_ in cues or doc[i].text in cues
            for i in range(lo, hi)
            if not span.start <= i < span.end
        )

    def set_annotations(self, doc: Doc, mentions: list[Mention], named: list[Span]) -> None:
        doc.spans[MENTIONS_KEY] = named
        # Most mentions are a name's span as found: that Span serves (making a new one for each
        # was a twentieth of the extractor's time).
        strings = doc.vocab.strings
        found = {(sp.start, sp.end, sp.label): sp for sp in named}
        doc.spans[self.span_key] = [
            (found.get((*m.tokens, strings[m.skill.name])) or Span(doc, *m.tokens, label=m.skill.name))
            if m.tokens else doc.char_span(m.start, m.end, label=m.skill.name, alignment_mode="expand")
            for m in mentions
        ]
        doc._.skills = summarise(mentions)

    # --- serialisation -------------------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.taxonomy.dump(path / "taxonomy.jsonl")
        (path / "context.yaml").write_text(yaml.safe_dump(self.context, sort_keys=False),
                                           encoding="utf-8")
        (path / "phrases.yaml").write_text(yaml.safe_dump(self.phrases, sort_keys=False),
                                           encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> SkillExtractor:
        path = Path(path)
        self.set_data(
            Taxonomy.load(path / "taxonomy.jsonl"),
            yaml.safe_load((path / "context.yaml").read_text(encoding="utf-8")),
            yaml.safe_load((path / "phrases.yaml").read_text(encoding="utf-8")),
        )
        return self


def _check_names(taxonomy: Taxonomy, where: str, names: Iterable[str]) -> None:
    """Data naming a skill the taxonomy lacks would silently never apply: refuse it."""
    unknown = [name for name in names if name not in taxonomy]
    if unknown:
        raise ValueError(f"{where} name skills not in the taxonomy: {', '.join(map(str, unknown))}")


_Match = tuple[int, int, int, "Span | None"]  # token start, token end, label, the Span if made


def _filter_matches(matches: list[_Match]) -> list[_Match]:
    """spaCy's `filter_spans` on match tuples: the longest of overlapping matches (the first
    of equals, in the order given), in text order."""
    result = []
    seen: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
        start, end = match[0], match[1]
        if start not in seen and end - 1 not in seen:
            result.append(match)
            seen.update(range(start, end))
    return sorted(result, key=lambda m: m[0])


def _spans(doc: Doc, matches: list[_Match]) -> list[Span]:
    return [sp if sp is not None else Span(doc, s, e, label=m) for s, e, m, sp in matches]


def _pattern_keys(nlp: Language, forms: list[str]) -> dict[str, tuple[list[int], list[int]]]:
    """Each form's PhraseMatcher pattern: (ORTH, LOWER) hashes of its tokens. Built from the
    tokens' texts (as the tokenizer splits them: `TextKeepingTokenizer.split_many`), which
    gives the hashes a Doc's tokens would have (a lexeme's LOWER is its text lower-cased)
    without making a Doc, and the lexemes, of each of the ~16,000 forms."""
    unique = list(dict.fromkeys(forms))
    split_many = getattr(nlp.tokenizer, "split_many", None)
    if split_many is None:
        docs = [nlp.make_doc(form) for form in unique]
        return {form: ([t.orth for t in doc], [t.lower for t in doc])
                for form, doc in zip(unique, docs, strict=True)}
    add = nlp.vocab.strings.add
    return {form: ([add(w) for w in words], [add(w.lower()) for w in words])
            for form, words in zip(unique, split_many(unique), strict=True)}


def _inside_any(parts: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in parts)


def _coordinated_before_a_role(doc: Doc, end: int, most: int = 4) -> bool:
    """Whether the words after a concept coordinate it with others before a role noun, so that
    all of them name teams or jobs: "fundraising and service teams", "sales, finance and HR
    roles"; but not when the people are an object ("mentoring or coaching other analysts")."""
    if end >= len(doc) or doc[end].lower_ not in _COORDINATING:
        return False
    for i in range(end + 1, min(len(doc), end + 1 + most)):
        word = doc[i].lower_
        if word in _ROLE_NOUNS:
            return True
        if (not (word in _COORDINATING or doc[i].is_alpha) or word in _DETERMINERS
                or "\n" in doc[i - 1].whitespace_):
            return False
    return False


_WORKED_WITH = frozenset({"with", "alongside"})
_WORK_VERBS = frozenset({"work", "works", "working", "partner", "partnering", "liaise", "liaising",
                         "collaborate", "collaborating", "closely", "together"})


def _a_team_worked_with(doc: Doc, span: Span) -> bool:
    """A field in capitals after "working with" names the team you work with, not the
    field asked: "Working with Finance on month-end models", "partner closely with Marketing".
    An acronym is knowledge of a system ("working with SCADA", "with NHS data"), not a team."""
    if (span.start < 2 or not span.text[:1].isupper() or span.text.isupper()
            or doc[span.start - 1].lower_ not in _WORKED_WITH):
        return False
    return doc[span.start - 2].lower_ in _WORK_VERBS


def _ends_a_proper_name(doc: Doc, span: Span) -> bool:
    """A concept written in capitals at the end of a run of capitalised words, before a
    lower-case word, ends a name: "Harper Lane Recruitment is hiring", "Westminster Home Care
    are looking". A list of headings ("Care Planning Peg Feeding Syringe Driving") is not."""
    if span.start < 2 or span.end >= len(doc) or not span[0].text[:1].isupper():
        return False
    # two capitalised words before it: a name, not a sentence's first word ("Implement GitOps")
    first, before, after = doc[span.start - 2], doc[span.start - 1], doc[span.end]
    return (all(t.is_alpha and t.text[:1].isupper() and "\n" not in t.whitespace_ for t in (first, before))
            and ((after.is_alpha and after.is_lower and after.lower_ not in _COORDINATING)
                 or after.lower_ in _COMPANY_SUFFIXES))  # "Hays Specialist Recruitment Limited"


def _listed_with_a_sure_name(doc: Doc, span: Span, by_start: dict[int, Span], by_end: dict[int, Span],
                             unsure: set[tuple[int, int, int]], most: int = 12) -> bool:
    """Whether `span` is an item of a list ("Hadoop experience (Pig, Hive, Spark)") in which
    some item is a name that needs no support: the list is about tools, so every item is one."""
    for step in (-1, 1):
        current = span
        for _ in range(most):
            i = current.start - 1 if step < 0 else current.end
            skipped = 0
            while 0 <= i < len(doc) and doc[i].lower_ in _LIST_SEPARATORS and skipped < 2:
                if "\n" in doc[i].whitespace_ or (step < 0 and "\n" in doc[i - 1].whitespace_):
                    break
                i += step
                skipped += 1
            if not skipped:
                break
            nxt = by_end.get(i + 1) if step < 0 else by_start.get(i)
            if nxt is None or "\n" in doc[min(nxt.start, current.start):max(nxt.end, current.end)].text:
                break
            if (nxt.start, nxt.end, nxt.label) not in unsure:
                return True
            current = nxt
    return False


def _lower_case_phrase(pattern: str) -> re.Pattern[str] | BoundaryFirst:
    """A phrase pattern, searched from its first word where it starts with one (see
    `BoundaryFirst`: 10-20 times faster on an ad, the same matches)."""
    return BoundaryFirst(pattern) if _literal_after_boundary(pattern) else re.compile(pattern)


def _literal_after_boundary(pattern: str) -> bool:
    """Whether `pattern` is \\b and then a letter, or a group of words that is not optional:
    what the regex engine's fast scan needs (whole words of three letters or more, so no
    match is empty)."""
    if not pattern.startswith(r"\b"):
        return False
    body = pattern[2:]
    if body[:1].isalpha():
        return body[1:2] not in ("?", "*", "{")  # a first letter that must be there
    if not body.startswith("(?:") or not _leading_words(pattern):
        return False
    depth = 0
    for i, ch in enumerate(body):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return body[i + 1:i + 2] not in ("?", "*", "{")
    return False


def _lowercase_literals(pattern: str) -> str:
    """The pattern for lower-cased text: literal capitals lower-cased, escapes (\\S, \\W,
    \\B) and group names kept."""
    return re.sub(r"(\\.)|(\(\?P<\w+>)|([A-Z])",
                  lambda m: m.group(1) or m.group(2) or m.group(3).lower(), pattern)


def _leading_words(pattern: str) -> tuple[str, ...]:
    """Literal words one of which any match must start with ("explain", "communicat"), or ()
    when the pattern's start is not plain enough to tell."""
    body = pattern.removeprefix(r"\b")
    if body.startswith("(?:"):
        depth, end = 0, None
        for i, ch in enumerate(body):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                end = i
                break
        if end is None:
            return ()
        alternatives, depth, current = [], 0, ""
        for ch in body[3:end]:
            if ch == "|" and depth == 0:
                alternatives.append(current)
                current = ""
                continue
            depth += (ch == "(") - (ch == ")")
            current += ch
        alternatives.append(current)
    else:
        alternatives = [body]
    words = []
    for alt in alternatives:
        word = re.match(r"[a-z]*", alt.lower()).group(0)
        if alt[len(word):len(word) + 1] in ("?", "*", "{"):
            word = word[:-1]  # "publications?": the last letter is optional
        words.append(word)
    return tuple(words) if all(len(w) >= 3 for w in words) else ()


def _required_words(pattern: str) -> tuple[str, ...]:
    """Literal words outside every group, which any match must contain ("drift" in
    "(?:model|data|concept)\\s+drift"), or () when the pattern has a top-level "|"."""
    words, depth, word, i = [], 0, "", 0

    def flush(next_char: str) -> None:
        nonlocal word
        if next_char in ("?", "*", "{"):
            word = word[:-1]  # the last letter is optional
        if len(word) >= 3:
            words.append(word.lower())
        word = ""

    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            flush("")
            i += 2
            continue
        if ch == "|" and depth == 0:
            return ()
        if ch == "[":
            flush("")
            i = pattern.find("]", i + 1) + 1 or len(pattern)
            continue
        if depth == 0 and ch.isalpha():
            word += ch
        else:
            flush(ch)
            depth += (ch == "(") - (ch == ")")
        i += 1
    flush("")
    return tuple(words)


def summarise(mentions: list[Mention]) -> list[dict[str, Any]]:
    """One entry per skill: required if any mention is, the most years any mention asks."""
    out: dict[str, dict[str, Any]] = {}
    for m in mentions:
        entry = out.setdefault(m.skill.name, {
            "name": m.skill.name, "category": m.skill.category, "required": False,
            "years": None, "spans": [],
        })
        entry["required"] = entry["required"] or m.required
        if m.years is not None:
            entry["years"] = max(entry["years"] or 0, m.years)
        entry["spans"].append({"start": m.start, "end": m.end, "text": m.text})
    return list(out.values())


def build_nlp(taxonomy_path: str | None = None, context_path: str | None = None) -> Language:
    """A blank English pipeline with the extractor, initialised: no model download needed."""
    # Our tokenizer from the start: spacy.blank("en") would first build English's own, with its
    # ~1,300 special cases (0.1 s), only for it to be replaced.
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    component = nlp.add_pipe("skill_extractor")
    component.initialize(nlp=nlp, taxonomy_path=taxonomy_path, context_path=context_path)
    return nlp

