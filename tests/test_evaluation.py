"""The scoring behind `skillscout eval`, checked on cases small enough to count by hand, and
the labelled sets it reads."""

from __future__ import annotations

import pytest

import skills
from pipeline.ranking_eval import ndcg_at, precision_at
from skills.evaluation import (
    DEV_SET,
    HOLDOUT_SET,
    REAL_DEV_LABELS,
    REAL_HOLDOUT_LABELS,
    SpanPosting,
    align_to_tokens,
    load_dev_set,
    score_ads,
    score_spans,
)


def _found(name: str, required: bool = True) -> dict:
    return {"name": name, "category": "tool", "required": required, "years": None, "spans": []}


def test_ad_scores_count_aliases_optional_skills_and_required_or_nice():
    ad = {"skills": [["Python"], ["scikit-learn", "sklearn"], ["dbt", "data build tool"]],
          "nice": [["dbt", "data build tool"]], "optional": [["Git"]]}
    predicted = [_found("Python"), _found("scikit-learn"), _found("dbt", required=True),
                 _found("Git"), _found("Excel")]
    scores = score_ads([ad], [predicted], skills.load_taxonomy())
    # three found (dbt through its name), Git is a judgement call, Excel is wrong
    assert (scores.tp, scores.fp, scores.fn) == (3, 1, 0)
    assert scores.false_positives == {"Excel": 1}
    assert scores.required_accuracy == pytest.approx(2 / 3)  # dbt was nice-to-have
    missed = score_ads([ad], [[_found("Python")]], skills.load_taxonomy())
    assert (missed.tp, missed.fn) == (1, 2) and missed.misses == {"scikit-learn": 1, "dbt": 1}


def test_span_scores_strict_overlap_and_skill_only_spans():
    text = "aaaa bbbb cccc dddd eeee ffff gggg hhhh"  # tokens every 5 characters
    posting = SpanPosting(text, knowledge=[(0, 4), (20, 29)], skill=[(10, 14)])
    # exact; touching only a Skill span (ignored); touching knowledge with other bounds; wrong
    scores = score_spans([posting], [[(0, 4), (10, 14), (20, 24), (30, 34)]]).summary()
    assert scores["predicted"] == 3 and scores["gold"] == 2
    assert scores["strict_precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert scores["overlap_precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert scores["overlap_recall"] == 1.0 and scores["strict_recall"] == 0.5
    # soft skills are scored against Skill spans, where a Knowledge-only touch is ignored
    soft = score_spans([posting], [[(10, 14), (0, 4), (35, 39)]], kind="skill").summary()
    assert (soft["predicted"], soft["gold"], soft["strict_recall"]) == (2, 1, 1.0)


def test_spans_are_aligned_to_skillspan_tokens():
    # SkillSpan labels whitespace-separated tokens: a name inside a token takes the token,
    # and two names inside one token ("SNS/SQS") are one mention
    text = "AWS (SNS/SQS, MongoDB) and Java"
    names = [(5, 8), (9, 12), (14, 21), (27, 31)]
    assert align_to_tokens(text, names) == [(4, 13), (14, 22), (27, 31)]
    posting = SpanPosting(text, knowledge=[(4, 13), (14, 22)], skill=[])
    assert score_spans([posting], [names]).summary()["strict_precision"] == pytest.approx(2 / 3, abs=1e-3)


def test_ndcg_and_precision_at_k():
    grades = {"a": 2, "b": 1, "c": 0, "d": 2}
    assert ndcg_at(["a", "d", "b", "c"], grades) == pytest.approx(1.0)
    assert ndcg_at(["c", "b", "a", "d"], grades) < ndcg_at(["a", "b", "c", "d"], grades) < 1.0
    assert precision_at(["a", "b", "d", "c", "x"], grades) == pytest.approx(2 / 5)


@pytest.mark.parametrize("path", [DEV_SET, HOLDOUT_SET], ids=["dev", "holdout"])
def test_labelled_sets_are_well_formed(path):
    ads = load_dev_set(path)
    assert len(ads) >= 20
    assert len({ad["id"] for ad in ads}) == len(ads)
    for ad in ads:
        assert ad["text"].splitlines()[0].strip() == ad["title"], ad["id"]
        assert all(isinstance(g, list) and g for g in ad["skills"]), ad["id"]
        assert all(n in ad["skills"] for n in ad.get("nice", [])), ad["id"]  # nice is a subset
        assert not any(o in ad["skills"] for o in ad.get("optional", [])), ad["id"]


def test_tool_mentions_are_plain_names_only():
    from skills.evaluation import tool_mentions

    text = ("You will excel at SQL and Python; Excel and PySpark too. Java, not JavaScript. "
            "See https://github.com/acme or write to jobs@python.example")
    found = [(tool, text[s:e]) for tool, s, e in tool_mentions(text)]
    assert found == [("SQL", "SQL"), ("Python", "Python"), ("Excel", "Excel"), ("Spark", "PySpark"),
                     ("Java", "Java"), ("JavaScript", "JavaScript")]


def test_real_ad_scores_count_empty_ads_and_covered_mentions():
    from skills.evaluation import RealAd, score_real_ads

    ads = [RealAd("a", "c", "text", "", "SQL and Python"), RealAd("b", "c", "text", "", "Tableau"),
           RealAd("c", "c", "text", "", "nothing here")]
    found = [[{"name": "SQL", "spans": [{"start": 0, "end": 3}]}], [], []]
    scores = score_real_ads(ads, found)
    assert (scores.ads, scores.no_skill, scores.mentions, scores.covered) == (3, 2, 3, 1)
    assert (scores.naming_a_tool, scores.naming_a_tool_no_skill) == (2, 1)
    assert scores.missed == {"Python": 1, "Tableau": 1}


@pytest.mark.parametrize("path", [REAL_DEV_LABELS, REAL_HOLDOUT_LABELS], ids=["real-dev", "real-holdout"])
def test_real_ad_labels_are_well_formed_and_ship_no_ad_text(path):
    rows = load_dev_set(path)
    assert len(rows) == 30 and len({r["id"] for r in rows}) == 30
    for row in rows:
        # only labels: the ads stay in ../shared, and no note written while reading them ships
        assert set(row) == {"id", "source", "format", "skills", "nice", "optional", "years"}, row["id"]
        assert row["source"] in {"adzuna-uk-2013", "glassdoor-ds-2020", "glassdoor-ds-2021",
                                 "hn-whoishiring-2024", "themuse-swe-2026"}, row["id"]
        assert all(isinstance(g, list) and g for g in row["skills"]), row["id"]
        assert all(n in row["skills"] for n in row["nice"]), row["id"]
        assert not any(o in row["skills"] for o in row["optional"]), row["id"]
        assert set(row["years"]) <= {g[0] for g in row["skills"]}, row["id"]
