"""Extraction over real ads as their sources deliver them (`../shared/real-ads/`, see its
README: flattened one-line text, text with line breaks, HTML), read at run time and never
copied into the repository. The floors are the measured figures less a small margin, so a
change that loses skills on real text fails here."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

import skills.evaluation
from flows.cli import app
from scrapers.pipelines.description import html_to_text
from skills import extract_many
from skills.evaluation import (
    REAL_DEV_LABELS,
    REAL_HOLDOUT_LABELS,
    evaluate_real_ads,
    load_labelled_real_ads,
    score_ads,
)

REAL_ADS = ROOT.parent / "shared" / "real-ads"
if not REAL_ADS.is_dir():
    pytest.skip("real ads are not distributed with skillscout (../shared/real-ads)", allow_module_level=True)

# Ads with no skill found, at most (share of the corpus). Most of these ads name no skill the
# taxonomy knows: UK care and kitchen jobs that name only the job and its setting (adzuna),
# HN comments that are only a company blurb, a generic role and a link.
NO_SKILL_AT_MOST = {
    "adzuna-uk-2013": 0.18,  # measured 0.169 (0.248 before the empty ads were read, 0.71 before issue 11)
    "glassdoor-ds-2020": 0.015,  # 0.010 (0.010, 0.015)
    "glassdoor-ds-2021": 0.012,  # 0.009 (0.014, 0.034)
    "hn-whoishiring-2024": 0.10,  # 0.086 (0.248, 0.33)
    "themuse-swe-2026": 0.01,  # 0.002 (0.002, 0.006)
}


@pytest.fixture(scope="module")
def real():
    results = evaluate_real_ads(html_to_text, REAL_ADS)
    assert results is not None
    return results


def test_every_corpus_is_read(real):
    assert set(NO_SKILL_AT_MOST) <= set(real)
    assert real["all"].ads > 4000


@pytest.mark.parametrize("corpus", sorted(NO_SKILL_AT_MOST))
def test_plain_tool_mentions_are_found(real, corpus):
    scores = real[corpus]
    assert scores.mentions > 100
    assert scores.coverage >= 0.95, sorted(scores.missed.items(), key=lambda kv: -kv[1])[:10]


@pytest.mark.parametrize("corpus", sorted(NO_SKILL_AT_MOST))
def test_few_ads_come_back_empty(real, corpus):
    scores = real[corpus]
    assert scores.no_skill_share <= NO_SKILL_AT_MOST[corpus]
    # an ad that names a tool plainly is never left without skills
    assert scores.naming_a_tool_no_skill <= max(1, 0.015 * scores.naming_a_tool)


# Blind labels of 60 real ads (data/eval/real_ads_*.jsonl): P/R floors at the measured
# figures less a small margin. The held-out half is never tuned on.
LABELLED_AT_LEAST = {
    "dev": (REAL_DEV_LABELS, 0.87, 0.71),  # measured P 0.885, R 0.740
    "holdout": (REAL_HOLDOUT_LABELS, 0.84, 0.56),  # 0.862, 0.585
}


@pytest.fixture(scope="module")
def labelled():
    return {name: load_labelled_real_ads(path, html_to_text, REAL_ADS)
            for name, (path, _, _) in LABELLED_AT_LEAST.items()}


@pytest.mark.parametrize("name", sorted(LABELLED_AT_LEAST))
def test_labels_score_themselves_perfectly(labelled, name):
    # the scoring behind `skillscout eval`: the gold itself, named by any alias, is all right
    ads = labelled[name]
    gold = [[{"name": g[-1], "required": g not in ad["nice"]} for g in ad["skills"]] for ad in ads]
    scores = score_ads(ads, gold)
    assert (scores.fp, scores.fn) == (0, 0) and scores.tp == sum(len(ad["skills"]) for ad in ads)
    assert scores.required_accuracy == 1.0
    # an optional judgement call counts neither way; a made-up skill is a false positive
    noisy = [found + [{"name": o[0], "required": True} for o in ad["optional"]]
             + [{"name": "COBOL", "required": True}] for found, ad in zip(gold, ads, strict=True)]
    scores = score_ads(ads, noisy)
    cobol_asked = sum(any("COBOL" in g for g in ad["skills"]) for ad in ads)
    assert scores.fp == len(ads) - cobol_asked and scores.fn == 0


@pytest.mark.parametrize("name", sorted(LABELLED_AT_LEAST))
def test_extraction_on_labelled_real_ads(labelled, name):
    ads = labelled[name]
    _, precision, recall = LABELLED_AT_LEAST[name]
    scores = score_ads(ads, extract_many(ad["text"] for ad in ads))
    assert scores.precision >= precision and scores.recall >= recall, scores.summary()


def test_eval_command_scores_the_labelled_real_ads(demo_db, monkeypatch):
    # `skillscout eval` as a user runs it, joining the shipped labels to ../shared's ads; the
    # SkillSpan part (minutes, with the NER) is left out here: it has tests of its own
    monkeypatch.setattr(skills.evaluation, "evaluate_skillspan", lambda *a, **k: None)
    db, _ = demo_db
    result = CliRunner().invoke(app, ["eval", "--json", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key, (_, precision, recall) in (("real_ads_labelled_dev", LABELLED_AT_LEAST["dev"]),
                                        ("real_ads_labelled_holdout", LABELLED_AT_LEAST["holdout"])):
        ours = data[key]["skillscout"]
        assert ours["precision"] >= precision and ours["recall"] >= recall, (key, ours)
        assert ours["tp"] + ours["fn"] == (489 if key.endswith("dev") else 574)  # every label scored
        corpora = {k for k in data[key] if k.startswith("skillscout: ")}
        assert len(corpora) == 5, corpora
    assert data["real_ads"]["all"]["ads"] == 4615
