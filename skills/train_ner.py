"""Train a small CPU NER for SkillSpan Knowledge spans (an experiment beside the dictionary).

    python -m skills.train_ner                      # the shipped model, saved to skills/models/
    python -m skills.train_ner --source tech        # tech postings only (default: tech and house)
    python -m skills.train_ner --compare            # score the saved model on SkillSpan dev

The training postings (`../shared/skillspan/train.json`) are rebuilt as text with
`skills.evaluation.load_skillspan`, cut into chunks of a few lines (joined by newlines, as
ads are at run time) and tokenised by spaCy's blank English tokenizer; every Knowledge span
lines up with its tokens. A fixed, seeded set of tech postings from train is held out as the
validation set that picks the best checkpoint: SkillSpan dev is never seen in training.

The model is spacy.blank("en") + "ner" (label KNOWLEDGE) over its own small tok2vec:
MultiHashEmbed (hashed NORM/PREFIX/SUFFIX/SHAPE embeddings) and a MaxoutWindowEncoder.
The defaults (width 48, depth 2, state layer 32, 15 epochs, tech + house postings) are the
smallest tried that keeps the dictionary + NER at more than half the dictionary's speed:
width 96/depth 4 scores ~0.04 higher on validation but runs at half the dictionary's speed
on its own. Training takes about 5 minutes on 2 cores; the model is ~2.7 MB.
`--compare` scores, on SkillSpan dev tech postings with `score_spans`, the NER alone, the
dictionary alone (doc.spans["skill_mentions"]), their union, and the dictionary plus the NER
spans that touch no dictionary span, and times both pipelines."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_nlp

from skills.evaluation import PROJECT_ROOT, SKILLSPAN_DEV, SpanPosting, load_skillspan, score_spans

TRAIN_SET = PROJECT_ROOT.parent / "shared" / "skillspan" / "train.json"
MODEL_DIR = Path(__file__).resolve().parent / "models" / "skillspan_ner"
LABEL = "KNOWLEDGE"

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["ner"]
batch_size = 256

[components]

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100
incorrect_spans_key = null
scorer = {{"@scorers":"spacy.ner_scorer.v1"}}

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = {augmenter}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = {patience}
max_epochs = {max_epochs}
max_steps = 0
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
before_to_disk = null
before_update = null
score_weights = {{"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": null}}

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 1e-8
learn_rate = 0.001

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""

# Lower-cases a share of the training chunks: postings write "python", "Python" and "PYTHON".
LOWER_CASE_AUGMENTER = '{"@augmenters": "spacy.lower_case.v1", "level": 0.1}'


# --- data ---------------------------------------------------------------------------------------

def split_postings(path: Path = TRAIN_SET, source: str = "tech", valid_fraction: float = 0.15,
                   seed: int = 0) -> tuple[list[SpanPosting], list[SpanPosting]]:
    """(training postings, validation postings). Validation is always the same seeded share
    of the *tech* postings, whichever source is trained on, so runs compare on one set."""
    tech = load_skillspan(path, "tech")
    order = list(range(len(tech)))
    random.Random(seed).shuffle(order)
    n_valid = max(1, round(len(tech) * valid_fraction))
    held = set(order[:n_valid])
    valid = [p for i, p in enumerate(tech) if i in held]
    train = [p for i, p in enumerate(tech) if i not in held]
    if source == "all":
        train += load_skillspan(path, "house")
    elif source != "tech":
        raise ValueError(f"unknown source {source!r}: tech or all")
    return train, valid


def chunk_docs(nlp: Language, postings: Iterable[SpanPosting], lines_per_doc: int = 8) -> list[Doc]:
    """Each posting cut into docs of up to `lines_per_doc` lines, Knowledge spans as entities."""
    docs = []
    for posting in postings:
        lines, pos = [], 0
        for line in posting.text.split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        for i in range(0, len(lines), lines_per_doc):
            start, end = lines[i][0], lines[min(i + lines_per_doc, len(lines)) - 1][1]
            doc = nlp.make_doc(posting.text[start:end])
            ents = []
            for s, e in posting.knowledge:
                if start <= s and e <= end:
                    span = doc.char_span(s - start, e - start, label=LABEL, alignment_mode="expand")
                    if span is not None:
                        ents.append(span)
            doc.ents = spacy.util.filter_spans(ents)
            docs.append(doc)
    return docs


# --- training -----------------------------------------------------------------------------------

def build_config(seed: int = 0, width: int = 48, depth: int = 2, hidden: int = 32, max_epochs: int = 15,
                 patience: int = 1600, eval_frequency: int = 100, augment: bool = True) -> str:
    return CONFIG.format(seed=seed, width=width, depth=depth, hidden=hidden, max_epochs=max_epochs,
                         patience=patience,
                         eval_frequency=eval_frequency,
                         augmenter=LOWER_CASE_AUGMENTER if augment else "null")


def train(source: str = "all", output: Path = MODEL_DIR, seed: int = 0, width: int = 48,
          depth: int = 2, hidden: int = 32, max_epochs: int = 15, patience: int = 1600,
          augment: bool = True, lines_per_doc: int = 8) -> dict[str, float]:
    """Train, keep the checkpoint best on the validation postings, save it to `output`."""
    started = time.perf_counter()
    blank = spacy.blank("en")
    train_postings, valid_postings = split_postings(TRAIN_SET, source, seed=seed)
    train_docs = chunk_docs(blank, train_postings, lines_per_doc)
    valid_docs = chunk_docs(blank, valid_postings, lines_per_doc)
    n_ents = sum(len(d.ents) for d in train_docs)
    print(f"source={source}: {len(train_postings)} training postings ({len(train_docs)} docs, "
          f"{n_ents} Knowledge spans), {len(valid_postings)} validation postings "
          f"({len(valid_docs)} docs)", flush=True)
    config = spacy.util.load_config_from_str(
        build_config(seed, width, depth, hidden, max_epochs, patience, augment=augment), interpolate=False)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        DocBin(docs=train_docs).to_disk(tmp_path / "train.spacy")
        DocBin(docs=valid_docs).to_disk(tmp_path / "valid.spacy")
        config["paths"]["train"] = str(tmp_path / "train.spacy")
        config["paths"]["dev"] = str(tmp_path / "valid.spacy")
        nlp = init_nlp(config, use_gpu=-1)
        (tmp_path / "out").mkdir()
        train_nlp(nlp, tmp_path / "out", use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
        best = spacy.load(tmp_path / "out" / "model-best")
        # The paths pointed into the temporary folder: don't ship them.
        best.config["paths"]["train"] = None
        best.config["paths"]["dev"] = None
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        best.to_disk(output)
    scores = best.evaluate([_example(best, d) for d in valid_docs])
    seconds = time.perf_counter() - started
    summary = {"valid_ents_p": round(scores["ents_p"], 3), "valid_ents_r": round(scores["ents_r"], 3),
               "valid_ents_f": round(scores["ents_f"], 3), "seconds": round(seconds, 1)}
    print(json.dumps({"source": source, "output": str(output), **summary}), flush=True)
    return summary


def _example(nlp: Language, gold: Doc):
    from spacy.training import Example

    return Example(nlp.make_doc(gold.text), gold)


# --- comparison on SkillSpan dev ----------------------------------------------------------------

Spans = list[tuple[int, int]]


def predict(nlp: Language, texts: list[str], batch_size: int = 32) -> list[Spans]:
    return [[(e.start_char, e.end_char) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]


def dictionary_spans(texts: list[str]) -> list[Spans]:
    from skills import get_nlp
    from skills.extractor import MENTIONS_KEY

    return [[(s.start_char, s.end_char) for s in doc.spans[MENTIONS_KEY]] for doc in get_nlp().pipe(texts)]


def _touches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def union(first: Spans, second: Spans) -> Spans:
    return sorted(set(first) | set(second))


def fill_gaps(base: Spans, extra: Spans) -> Spans:
    """`base` plus the spans of `extra` that touch none of `base`."""
    return sorted(set(base) | {s for s in extra if not any(_touches(s, b) for b in base)})


def plain_ads() -> list[str]:
    """The labelled development set's ads: plain text of 200-550 words, as extraction reads
    ads after the crawl has turned their HTML into text."""
    from skills.evaluation import load_dev_set

    return [ad["text"] for ad in load_dev_set()]


def _rate(run: Callable[[list[str]], object], texts: list[str], repeats: int = 1) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def compare(model: Path = MODEL_DIR, dev: Path = SKILLSPAN_DEV, speed_copies: int = 1000) -> dict:
    postings = load_skillspan(dev, "tech")
    texts = [p.text for p in postings]
    ner = spacy.load(model)
    ner_pred = predict(ner, texts)
    dict_pred = dictionary_spans(texts)
    rows = {
        "(a) NER alone": ner_pred,
        "(b) dictionary alone": dict_pred,
        "(c) union": [union(d, n) for d, n in zip(dict_pred, ner_pred, strict=True)],
        "(d) dictionary + NER where no dictionary span": [
            fill_gaps(d, n) for d, n in zip(dict_pred, ner_pred, strict=True)],
    }
    scores = {name: score_spans(postings, pred).summary() for name, pred in rows.items()}

    # Speed: the 29 dev postings, and `speed_copies` copies of a ~300-word ad.
    ads = plain_ads()
    ad = min(ads, key=lambda t: abs(len(t.split()) - 300))
    many = [ad] * speed_copies
    dictionary_spans(texts[:2])  # build the dictionary pipeline outside the timings
    speed = {
        "dev_postings": len(texts),
        "dev_words_per_posting": round(sum(len(t.split()) for t in texts) / len(texts)),
        "ad_words": len(ad.split()),
        "ad_copies": speed_copies,
        "ner_docs_per_s_dev": round(_rate(lambda t: predict(ner, t), texts, 3), 1),
        "dictionary_docs_per_s_dev": round(_rate(dictionary_spans, texts, 3), 1),
        "ner_docs_per_s_ad": round(_rate(lambda t: predict(ner, t), many), 1),
        "dictionary_docs_per_s_ad": round(_rate(dictionary_spans, many), 1),
    }
    return {"model": str(model), "model_bytes": _size(model), "scores": scores, "speed": speed}


def _print_comparison(result: dict) -> None:
    print(f"model {result['model']}: {result['model_bytes'] / 1e6:.2f} MB on disk")
    head = f"{'':48} {'strict P':>8} {'R':>6} {'F1':>6} | {'overlap P':>9} {'R':>6} {'F1':>6} | {'pred':>5}"
    print(head)
    for name, s in result["scores"].items():
        print(f"{name:48} {s['strict_precision']:8.3f} {s['strict_recall']:6.3f} {s['strict_f1']:6.3f} | "
              f"{s['overlap_precision']:9.3f} {s['overlap_recall']:6.3f} {s['overlap_f1']:6.3f} | "
              f"{s['predicted']:5d}")
    print(json.dumps(result["speed"], indent=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m skills.train_ner", description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=["tech", "all"], default="all")
    parser.add_argument("--output", type=Path, default=MODEL_DIR)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=48)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=32, help="hidden width of the NER's state layer")
    parser.add_argument("--max-epochs", type=int, default=15)
    parser.add_argument("--no-augment", action="store_true", help="no lower-casing augmentation")
    parser.add_argument("--compare", action="store_true",
                        help="don't train: score the model at --output on SkillSpan dev (tech)")
    parser.add_argument("--json", action="store_true", help="with --compare: print JSON")
    args = parser.parse_args(argv)
    if args.compare:
        result = compare(args.output)
        print(json.dumps(result, indent=1)) if args.json else _print_comparison(result)
        return
    train(args.source, args.output, seed=args.seed, width=args.width, depth=args.depth,
          hidden=args.hidden, max_epochs=args.max_epochs, augment=not args.no_augment)


if __name__ == "__main__":
    main()
