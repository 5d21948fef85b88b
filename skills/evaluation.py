"""How well extraction works, in figures.

1. The labelled development set (`data/eval/extraction_dev.jsonl`), and the held-out set
   (`extraction_holdout.jsonl`, written later and never tuned on): ads written and labelled
   for skillscout. Per ad, the gold skills are alias lists ("scikit-learn", "sklearn"), some
   marked nice-to-have, plus "optional" judgement calls that count neither way. Reports
   precision, recall, F1 over (ad, skill) pairs and the accuracy of required/nice on the
   skills found, for our extractor and for a naive dictionary over the same vocabulary
   (every surface form, any case, anywhere in the ad: no context, sections or negation).
2. SkillSpan dev (real postings, `../shared/skillspan/dev.json`, "tech" source): span
   precision/recall/F1, strict (same tokens) and overlap (touching). SkillSpan labels two
   kinds of span: Knowledge (tools, technologies, fields: our every category but soft skills)
   and Skill (abilities: our soft skills). Predictions of the first kind are scored against
   Knowledge spans, soft skills separately against Skill spans; a prediction touching only a
   span of the other kind counts neither way. SkillSpan's annotation unit is its
   whitespace-separated token, so a prediction is first widened to the tokens it touches
   ("MongoDB" in the token "MongoDB)"; "SNS" and "SQS" in "SNS/SQS" are one mention), as any
   system is when scored on that corpus's tokens. Human languages, soft skills of ours, are
   Knowledge there. Punctuation tokens at a span's edge ("AWS )") are scored on neither side,
   and a labelled span of anonymisation placeholders alone ("<ORGANIZATION>") counts neither
   way: its name is not in the text. Runs only when the file is there; it is not shipped with
   skillscout.
3. Real ads as their sources deliver them (`../shared/real-ads/`, five corpora: flattened
   one-line text, text with line breaks, HTML), unlabelled: the share of ads in which no skill
   is found, and the coverage of plain mentions of a written list of unambiguous tool names
   (`TOOL_MENTIONS`): a mention is covered when a skill the extractor reports has a span
   touching it. Also read only from `../shared`, never shipped."""

from __future__ import annotations

import bisect
import gzip
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from skills.ner import MODEL_DIR, ner_spans, touches
from skills.taxonomy import Skill, Taxonomy, load_taxonomy, normalise_key
from skillscout_data import EVAL  # the labelled sets ship with skillscout (data/eval/)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SET = EVAL / "extraction_dev.jsonl"
# Written and labelled after the extractor was tuned, and never tuned on: the honest figure.
HOLDOUT_SET = EVAL / "extraction_holdout.jsonl"
SKILLSPAN_DEV = PROJECT_ROOT.parent / "shared" / "skillspan" / "dev.json"
REAL_ADS = PROJECT_ROOT.parent / "shared" / "real-ads"
# Blind labels of real ads (ids into ../shared/real-ads; no ad text is shipped). The dev half
# may be read and tuned on; the held-out half never is (only its aggregate figures are read).
REAL_DEV_LABELS = PROJECT_ROOT / "data" / "eval" / "real_ads_dev.jsonl"
REAL_HOLDOUT_LABELS = PROJECT_ROOT / "data" / "eval" / "real_ads_holdout.jsonl"


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    req_right: int = 0
    req_total: int = 0
    false_positives: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def required_accuracy(self) -> float:
        return self.req_right / self.req_total if self.req_total else 0.0

    def summary(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "required_accuracy": round(self.required_accuracy, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def load_dev_set(path: Path = DEV_SET) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _forms(name: str, taxonomy: Taxonomy) -> set[str]:
    skill = taxonomy.get(name)
    forms = skill.surface_forms if skill else (name,)
    return {normalise_key(f) for f in forms}


def _gold_matches(gold: list[str], predicted: str, taxonomy: Taxonomy) -> bool:
    forms = _forms(predicted, taxonomy)
    for alias in gold:
        if normalise_key(alias) in forms:
            return True
        resolved = taxonomy.resolve(alias)
        if resolved and resolved.name == predicted:
            return True
    return False


def score_ads(ads: list[dict[str, Any]], predictions: Iterable[list[dict[str, Any]]],
              taxonomy: Taxonomy | None = None) -> Scores:
    """Compare predicted skills per ad with the labels; see the module docstring."""
    taxonomy = taxonomy or load_taxonomy()
    scores = Scores()
    for ad, predicted in zip(ads, predictions, strict=True):
        nice = {tuple(g) for g in ad.get("nice", [])}
        unmatched = [list(g) for g in ad["skills"]]
        for pred in predicted:
            hit = next((g for g in unmatched if _gold_matches(g, pred["name"], taxonomy)), None)
            if hit is not None:
                unmatched.remove(hit)
                scores.tp += 1
                scores.req_total += 1
                scores.req_right += pred["required"] == (tuple(hit) not in nice)
            elif any(_gold_matches(g, pred["name"], taxonomy) for g in ad["skills"]):
                continue  # a second prediction for a skill already found: not a new error
            elif any(_gold_matches(o, pred["name"], taxonomy) for o in ad.get("optional", [])):
                continue
            else:
                scores.fp += 1
                scores.false_positives[pred["name"]] = scores.false_positives.get(pred["name"], 0) + 1
        for gold in unmatched:
            scores.fn += 1
            scores.misses[gold[0]] = scores.misses.get(gold[0], 0) + 1
    return scores


class NaiveDictionary:
    """The baseline: every surface form of a vocabulary, matched in any case, anywhere."""

    def __init__(self, nlp: Language, vocabulary: dict[str, list[str]]) -> None:
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for name, forms in vocabulary.items():
            self.matcher.add(name, [nlp.make_doc(f) for f in forms])

    @classmethod
    def from_taxonomy(cls, nlp: Language, taxonomy: Taxonomy) -> NaiveDictionary:
        return cls(nlp, {s.name: list(s.surface_forms) for s in taxonomy})

    def __call__(self, text: str) -> list[dict[str, Any]]:
        doc = self.nlp.make_doc(text)
        found: dict[str, dict[str, Any]] = {}
        for match_id, start, end in self.matcher(doc):
            name = self.nlp.vocab.strings[match_id]
            span = doc[start:end]
            entry = found.setdefault(name, {"name": name, "required": True, "spans": []})
            entry["spans"].append({"start": span.start_char, "end": span.end_char,
                                   "text": span.text})
        return list(found.values())


# --- SkillSpan --------------------------------------------------------------------------------

@dataclass
class SpanPosting:
    text: str
    knowledge: list[tuple[int, int]]
    skill: list[tuple[int, int]]


def _bio_spans(tags: list[str], offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans, start, end = [], None, None
    for tag, (s, e) in zip(tags, offsets, strict=True):
        if tag.startswith("B"):
            if start is not None:
                spans.append((start, end))
            start, end = s, e
        elif tag.startswith("I") and start is not None:
            end = e
        else:
            if start is not None:
                spans.append((start, end))
            start = None
    if start is not None:
        spans.append((start, end))
    return spans


def load_skillspan(path: Path = SKILLSPAN_DEV, source: str = "tech") -> list[SpanPosting]:
    """Postings rebuilt from SkillSpan's token lists: tokens joined by spaces, one sentence
    per line, with gold spans as character offsets into that text."""
    by_posting: dict[int, list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["source"] == source:
                by_posting.setdefault(row["idx"], []).append(row)
    postings = []
    for rows in by_posting.values():
        text_parts: list[str] = []
        knowledge: list[tuple[int, int]] = []
        skill: list[tuple[int, int]] = []
        pos = 0
        for row in rows:
            offsets = []
            for token in row["tokens"]:
                offsets.append((pos, pos + len(token)))
                pos += len(token) + 1
            text_parts.append(" ".join(row["tokens"]))
            knowledge += _bio_spans(row["tags_knowledge"], offsets)
            skill += _bio_spans(row["tags_skill"], offsets)
        postings.append(SpanPosting("\n".join(text_parts), knowledge, skill))
    return postings


@dataclass
class SpanScores:
    strict_tp: int = 0
    overlap_tp_pred: int = 0
    overlap_tp_gold: int = 0
    predicted: int = 0
    gold: int = 0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float]:
        sp = self.strict_tp / self.predicted if self.predicted else 0.0
        sr = self.strict_tp / self.gold if self.gold else 0.0
        op = self.overlap_tp_pred / self.predicted if self.predicted else 0.0
        orr = self.overlap_tp_gold / self.gold if self.gold else 0.0
        return {"strict_precision": round(sp, 3), "strict_recall": round(sr, 3),
                "strict_f1": round(self._f1(sp, sr), 3), "overlap_precision": round(op, 3),
                "overlap_recall": round(orr, 3), "overlap_f1": round(self._f1(op, orr), 3),
                "predicted": self.predicted, "gold": self.gold}


# Our categories and the kind of SkillSpan span they correspond to: soft skills are abilities
# (Skill spans); every other category names a tool, a technology, a method or a field
# (Knowledge spans).
SKILL_SPAN_CATEGORIES = frozenset({"soft_skill"})
# Human languages sit with our soft skills, but SkillSpan's guidelines count a language as
# knowledge ("English", "German" are Knowledge spans there): scored against Knowledge spans.
HUMAN_LANGUAGES = frozenset({
    "English", "Foreign languages", "German", "French", "Spanish", "Dutch", "Italian", "Portuguese",
    "Polish", "Mandarin", "Cantonese", "Japanese", "Korean", "Arabic", "Hindi", "Urdu", "Punjabi",
    "Bengali", "Russian", "Ukrainian", "Turkish", "Greek", "Czech", "Hungarian", "Romanian", "Hebrew",
    "Swedish", "Danish", "Norwegian", "Finnish", "Welsh", "Irish", "Scottish Gaelic", "Vietnamese",
    "Thai", "Indonesian", "Malay", "Persian", "Swahili", "Tamil", "Scandinavian languages",
    "British Sign Language", "Catalan"})


def span_kind(skill: Skill | None) -> str:
    """The kind of SkillSpan span a mention of `skill` is scored against."""
    if skill is not None and skill.category in SKILL_SPAN_CATEGORIES and skill.name not in HUMAN_LANGUAGES:
        return "skill"
    return "knowledge"


def align_to_tokens(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans widened to the whitespace-separated tokens they touch, the unit
    SkillSpan labels; spans that then share a token become one."""
    starts, ends = [], []
    for m in re.finditer(r"\S+", text):
        starts.append(m.start())
        ends.append(m.end())
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(first, bisect.bisect_left(starts, end) - 1)
        s, e = starts[first], ends[last]
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


_PUNCTUATION_TOKEN = re.compile(r"[^\w\s]+")
# SkillSpan's anonymisation placeholders, alone or several in a row
_PLACEHOLDERS = re.compile(r"<[A-Z]+>(?:\s+<[A-Z]+>)*")


def trim_punctuation(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """`span` without the tokens of punctuation alone at either edge. SkillSpan's tokens split
    brackets and full stops off words, and its annotators sometimes took them into a span
    ("AWS )", "Angular *", "REST APIs ."): a bracket is no part of a name, so neither side is
    scored on it. A span of punctuation alone is kept as it is."""
    tokens = [m.span() for m in re.finditer(r"\S+", text[span[0]:span[1]])]
    kept = [t for t in tokens if not _PUNCTUATION_TOKEN.fullmatch(text[span[0] + t[0]:span[0] + t[1]])]
    if not kept:
        return span
    first = tokens.index(kept[0])
    last = tokens.index(kept[-1])
    return span[0] + tokens[first][0], span[0] + tokens[last][1]


def score_spans(postings: list[SpanPosting], predicted: Iterable[list[tuple[int, int]]],
                kind: str = "knowledge") -> SpanScores:
    """Predicted spans against the postings' Knowledge spans (or Skill spans, `kind="skill"`),
    after `align_to_tokens`; a prediction touching only a span of the other kind is ignored.
    Both sides are compared without punctuation tokens at their edges (`trim_punctuation`)."""
    scores = SpanScores()
    for posting, spans in zip(postings, predicted, strict=True):
        text = posting.text
        spans = [trim_punctuation(text, sp) for sp in align_to_tokens(text, spans)]
        gold, other = ((posting.knowledge, posting.skill) if kind == "knowledge"
                       else (posting.skill, posting.knowledge))
        gold = {trim_punctuation(text, g) for g in gold}
        # SkillSpan replaced names of organisations with a placeholder, some inside labelled
        # spans ("<ORGANIZATION>" for a company's own product): the name is gone from the
        # text, so such a span is found by no one and counts neither way.
        hidden = {g for g in gold if _PLACEHOLDERS.fullmatch(text[g[0]:g[1]])}
        gold -= hidden
        other = [*other, *hidden]
        scores.gold += len(gold)
        for span in spans:
            on_gold = any(touches(span, g) for g in gold)
            if not on_gold and any(touches(span, s) for s in other):
                continue  # touches only a span of the other kind: neither right nor wrong
            scores.predicted += 1
            scores.overlap_tp_pred += on_gold
            scores.strict_tp += span in gold
        scores.overlap_tp_gold += sum(any(touches(g, s) for s in spans) for g in gold)
    return scores


# --- running it -------------------------------------------------------------------------------

TAXONOMY_SOURCES = PROJECT_ROOT.parent / "shared" / "taxonomy-sources"


def onet_esco_vocabulary(sources: Path = TAXONOMY_SOURCES) -> dict[str, list[str]] | None:
    """The raw O*NET technology names and ESCO digital-skill labels, unfiltered and unmerged:
    what a naive extractor built straight from the open sources would match."""
    import csv

    onet = sources / "onet" / "technology_skills_29_3.txt"
    esco = sources / "esco" / "v1_2_0_collections" / "digitalSkillsCollection_en.csv"
    if not (onet.exists() and esco.exists()):
        return None
    vocab: dict[str, list[str]] = {}
    with open(onet, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            vocab.setdefault(row["Example"], [row["Example"]])
    with open(esco, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            labels = [row["preferredLabel"], *row["altLabels"].replace("\n", "|").split("|")]
            vocab.setdefault(row["preferredLabel"], []).extend(x.strip() for x in labels if x.strip())
    return vocab


def evaluate_dev_set(path: Path = DEV_SET) -> dict[str, Scores]:
    return evaluate_labelled(load_dev_set(path))


def evaluate_labelled(ads: list[dict[str, Any]]) -> dict[str, Scores]:
    """Our extractor and the naive baselines on labelled ads ({"text", "skills", ...})."""
    from skills import get_nlp

    nlp = get_nlp()
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy
    texts = [ad["text"] for ad in ads]
    results = {"skillscout": score_ads(ads, (d._.skills for d in nlp.pipe(texts)), taxonomy)}
    naive = NaiveDictionary.from_taxonomy(nlp, taxonomy)
    results["naive dictionary (same taxonomy)"] = score_ads(ads, map(naive, texts), taxonomy)
    vocab = onet_esco_vocabulary()
    if vocab:
        raw = NaiveDictionary(nlp, vocab)
        results["naive dictionary (O*NET + ESCO)"] = score_ads(ads, map(raw, texts), taxonomy)
    return results


def evaluate_skillspan(path: Path = SKILLSPAN_DEV) -> dict[str, SpanScores] | None:
    """Span scores on SkillSpan dev: the shipped extraction path (the dictionary: every place
    a skill is named) against Knowledge spans, and its soft skills against Skill spans; the
    opt-in path with the NER (names it links, plus the candidates it cannot name); the plain
    union of dictionary and NER spans; and the naive dictionary."""
    if not path.exists():
        return None
    from skills import get_nlp
    from skills.extractor import MENTIONS_KEY
    from skills.ner import NER_KEY

    postings = load_skillspan(path)
    nlp = get_nlp()
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy

    def split(doc: Doc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        knowledge, skill = [], []
        for span in doc.spans[MENTIONS_KEY]:
            soft = span_kind(taxonomy.get(span.label_)) == "skill"
            (skill if soft else knowledge).append((span.start_char, span.end_char))
        return knowledge, skill

    texts = [p.text for p in postings]
    ours, soft = zip(*(split(doc) for doc in nlp.pipe(texts)), strict=True) if texts else ((), ())
    results = {"skillscout (shipped: dictionary)": score_spans(postings, ours),
               "skillscout soft skills vs Skill spans": score_spans(postings, soft, kind="skill")}
    if MODEL_DIR.exists():
        found = ner_spans(texts)
        docs = [nlp.make_doc(t) for t in texts]
        for doc, spans in zip(docs, found, strict=True):
            doc.user_data[NER_KEY] = spans
        with_ner = [split(doc)[0] + [(c["start"], c["end"]) for c in doc._.candidates]
                    for doc in nlp.pipe(docs)]
        results["skillscout + NER (opt-in: linked + candidates)"] = score_spans(postings, with_ner)
        results["dictionary ∪ raw NER spans"] = score_spans(
            postings, [sorted(set(d) | set(n)) for d, n in zip(ours, found, strict=True)])
    vocab = onet_esco_vocabulary()
    if vocab:
        raw = NaiveDictionary(nlp, vocab)
        spans = ([(sp["start"], sp["end"]) for s in raw(t) for sp in s["spans"]] for t in texts)
        results["naive dictionary (O*NET + ESCO)"] = score_spans(postings, spans)
    return results


# --- real ads ---------------------------------------------------------------------------------

# Tool names that, written this way, name the tool and nothing else in job ads: the measure of
# recall on unlabelled real ads. Names that are also common words, people or companies in the
# corpora ("Go", "R", "React", "Flask", "Jenkins", "Looker", "Snowflake", "dbt" — dialectical
# behaviour therapy in care ads) are left out; "Excel" and "Spark" count only capitalised, and
# "Excel" not where it is the verb ("excel at", "excel in").
TOOL_MENTIONS: dict[str, str] = {
    "SQL": r"(?i:\bsql\b)",
    "Python": r"(?i:\bpython\b)",
    "Excel": r"\bExcel\b(?!\s+(?:at|in|as|when|under)\b)",
    "Spark": r"\b(?:Py)?Spark\b",
    "Tableau": r"(?i:\btableau\b)",
    "SAS": r"\bSAS\b",
    "Hive": r"\bHive\b",
    "Java": r"(?i:\bjava\b)(?![\s-]?[Ss]cript)",
    "AWS": r"\bAWS\b",
    "Salesforce": r"(?i:\bsalesforce\b)",
    "Hadoop": r"(?i:\bhadoop\b)",
    "TensorFlow": r"(?i:\btensorflow\b)",
    "PyTorch": r"(?i:\bpytorch\b)",
    "Keras": r"(?i:\bkeras\b)",
    "scikit-learn": r"(?i:\bscikit[- ]learn\b|\bsklearn\b)",
    "pandas": r"(?i:\bpandas\b)",
    "NumPy": r"(?i:\bnumpy\b)",
    "Jupyter": r"(?i:\bjupyter\b)",
    "MATLAB": r"(?i:\bmatlab\b)",
    "SPSS": r"(?i:\bspss\b)",
    "Stata": r"\bStata\b",
    "Scala": r"\bScala\b",
    "Kafka": r"(?i:\bkafka\b)",
    "Airflow": r"\bAirflow\b",
    "Kubernetes": r"(?i:\bkubernetes\b)",
    "Docker": r"(?i:\bdocker\b)",
    "PostgreSQL": r"(?i:\bpostgres(?:ql)?\b)",
    "MySQL": r"(?i:\bmysql\b)",
    "MongoDB": r"(?i:\bmongo(?:db)?\b)",
    "NoSQL": r"(?i:\bnosql\b)",
    "Redis": r"(?i:\bredis\b)",
    "Elasticsearch": r"(?i:\belasticsearch\b)",
    "Databricks": r"(?i:\bdatabricks\b)",
    "BigQuery": r"(?i:\bbigquery\b)",
    "Redshift": r"\bRedshift\b",
    "Azure": r"\bAzure\b",
    "Power BI": r"(?i:\bpower ?bi\b)",
    "Qlik": r"(?i:\bqlik(?:view| ?sense)?\b)",
    "Alteryx": r"(?i:\balteryx\b)",
    "JavaScript": r"(?i:\bjavascript\b)",
    "TypeScript": r"(?i:\btypescript\b)",
    "C++": r"(?i:(?<![\w+])c\+\+)",
    "C#": r"(?<![\w#])C#",
    "PHP": r"\bPHP\b",
    "Perl": r"\bPerl\b",
    "Django": r"(?i:\bdjango\b)",
    "Node.js": r"(?i:\bnode\.?js\b)",
    "GraphQL": r"(?i:\bgraphql\b)",
    "Terraform": r"(?i:\bterraform\b)",
    "Linux": r"(?i:\blinux\b)",
    "Git": r"\b(?:Git|git)\b(?!-)",
    "GitHub": r"(?i:\bgithub\b)",
    "Jira": r"\b(?:JIRA|Jira)\b",
    "SharePoint": r"(?i:\bsharepoint\b)",
    "VBA": r"\bVBA\b",
    "HTML": r"\bHTML5?\b",
    "CSS": r"\bCSS3?\b",
    "SAP": r"\bSAP\b",
    "AutoCAD": r"(?i:\bautocad\b)",
    "Microsoft Office": r"(?i:\b(?:microsoft|ms) office\b)",
}
_TOOL_PATTERNS = [(name, re.compile(pattern)) for name, pattern in TOOL_MENTIONS.items()]


# A name inside a link or an e-mail address is not a mention ("https://github.com/acme").
_LINKS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def tool_mentions(text: str) -> list[tuple[str, int, int]]:
    """(tool, start, end) of every plain mention of a `TOOL_MENTIONS` name in `text`."""
    links = [m.span() for m in _LINKS.finditer(text)]
    return sorted(((name, m.start(), m.end()) for name, pattern in _TOOL_PATTERNS
                   for m in pattern.finditer(text)
                   if not any(s <= m.start() < e for s, e in links)), key=lambda t: t[1])


@dataclass
class RealAd:
    id: str
    source: str
    format: str  # "text" or "html", as the source delivers it
    raw: str
    text: str  # what the extractor reads: the raw text, or the HTML turned into text


def load_real_ads(to_text: Callable[[str], str], root: Path = REAL_ADS) -> dict[str, list[RealAd]]:
    """Every corpus under `root` ({corpus: ads}). HTML ads go through `to_text`, which must be
    the conversion the crawl applies (the scrapers' description pipeline): skills/ cannot
    import it, so the caller hands it over."""
    corpora: dict[str, list[RealAd]] = {}
    for path in sorted(root.glob("*/ads.jsonl.gz")):
        ads = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                raw = row["text"] or ""
                ads.append(RealAd(row["id"], path.parent.name, row["format"], raw,
                                  to_text(raw) if row["format"] == "html" else raw))
        corpora[path.parent.name] = ads
    return corpora


@dataclass
class RealAdScores:
    ads: int = 0
    no_skill: int = 0
    naming_a_tool: int = 0  # ads with a plain mention of a listed tool
    naming_a_tool_no_skill: int = 0  # ... of which no skill was found
    skills: int = 0
    mentions: int = 0
    covered: int = 0
    missed: dict[str, int] = field(default_factory=dict)  # tool -> uncovered mentions

    @property
    def no_skill_share(self) -> float:
        return self.no_skill / self.ads if self.ads else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.mentions if self.mentions else 0.0

    def add(self, other: RealAdScores) -> None:
        for name in ("ads", "no_skill", "naming_a_tool", "naming_a_tool_no_skill", "skills", "mentions",
                     "covered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for tool, n in other.missed.items():
            self.missed[tool] = self.missed.get(tool, 0) + n

    def summary(self) -> dict[str, Any]:
        return {"ads": self.ads, "no_skill": self.no_skill,
                "no_skill_share": round(self.no_skill_share, 4),
                "naming_a_tool": self.naming_a_tool, "naming_a_tool_no_skill": self.naming_a_tool_no_skill,
                "skills_per_ad": round(self.skills / self.ads, 2) if self.ads else 0.0,
                "tool_mentions": self.mentions, "covered": self.covered,
                "coverage": round(self.coverage, 4)}


def score_real_ads(ads: list[RealAd], found: Iterable[list[dict[str, Any]]]) -> RealAdScores:
    """No-skill share and tool-mention coverage of the extractor's output (`found`: the skill
    lists, in the order of `ads`)."""
    scores = RealAdScores()
    for ad, skills in zip(ads, found, strict=True):
        scores.ads += 1
        scores.skills += len(skills)
        scores.no_skill += not skills
        spans = [(sp["start"], sp["end"]) for s in skills for sp in s["spans"]]
        mentions = tool_mentions(ad.text)
        scores.naming_a_tool += bool(mentions)
        scores.naming_a_tool_no_skill += bool(mentions) and not skills
        for tool, start, end in mentions:
            scores.mentions += 1
            if any(touches((start, end), span) for span in spans):
                scores.covered += 1
            else:
                scores.missed[tool] = scores.missed.get(tool, 0) + 1
    return scores


def evaluate_real_ads(to_text: Callable[[str], str], root: Path = REAL_ADS
                      ) -> dict[str, RealAdScores] | None:
    """Per corpus (and "all"), what the extractor finds in the real ads; None when the corpora
    are not there."""
    if not root.is_dir():
        return None
    from skills import extract_many

    results: dict[str, RealAdScores] = {}
    total = RealAdScores()
    for corpus, ads in load_real_ads(to_text, root).items():
        results[corpus] = score_real_ads(ads, extract_many(ad.text for ad in ads))
        total.add(results[corpus])
    results["all"] = total
    return results


def load_labelled_real_ads(labels: Path, to_text: Callable[[str], str], root: Path = REAL_ADS
                           ) -> list[dict[str, Any]]:
    """Labels for real ads (one JSON object per line: `id`, `skills`, `nice`, `optional`, as in
    the labelled sets) joined with their text from the real-ads corpora, in the labels' order.
    The labels name ads by id only; the text is read from `../shared` at run time."""
    wanted = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    ads = {ad.id: ad for corpus in load_real_ads(to_text, root).values() for ad in corpus}
    missing = [row["id"] for row in wanted if row["id"] not in ads]
    if missing:
        raise ValueError(f"{labels}: ads not in {root}: {', '.join(missing)}")
    return [{**row, "text": ads[row["id"]].text} for row in wanted]


def evaluate_real_labelled(labels: Path, to_text: Callable[[str], str], root: Path = REAL_ADS
                           ) -> dict[str, Scores] | None:
    """The extractors on blind-labelled real ads (see `load_labelled_real_ads`), plus our
    extractor per corpus ("skillscout: <corpus>"); None when the corpora are not there."""
    if not (root.is_dir() and labels.exists()):
        return None
    from skills import get_nlp

    ads = load_labelled_real_ads(labels, to_text, root)
    results = evaluate_labelled(ads)
    nlp = get_nlp()
    taxonomy = nlp.get_pipe("skill_extractor").taxonomy
    for corpus in sorted({ad["source"] for ad in ads}):
        subset = [ad for ad in ads if ad["source"] == corpus]
        results[f"skillscout: {corpus}"] = score_ads(
            subset, (d._.skills for d in nlp.pipe(ad["text"] for ad in subset)), taxonomy)
    return results
