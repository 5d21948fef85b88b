"""The scoring behind `skillscout eval`, checked on cases small enough to count by hand, and
the labelled sets it reads."""

from __future__ import annotations

import pytest
import yaml

import skills
from pipeline.ranking_eval import PERSONAS_DIR, ndcg_at, precision_at
from skills.evaluation import (
    DEV_SET,
    HOLDOUT_SET,
    HUMAN_LANGUAGES,
    REAL_DEV_LABELS,
    REAL_HOLDOUT_LABELS,
    SpanPosting,
    align_to_tokens,
    load_dev_set,
    score_ads,
    score_spans,
    span_kind,
    trim_punctuation,
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


def test_punctuation_at_a_span_edge_is_scored_on_neither_side():
    # SkillSpan's tokens split brackets off words and its annotators sometimes kept them
    text = "Cloud ( AWS ) and Angular * or REST APIs ."
    assert trim_punctuation(text, (8, 13)) == (8, 11)  # "AWS )" -> "AWS"
    assert trim_punctuation(text, (18, 27)) == (18, 25)  # "Angular *" -> "Angular"
    assert trim_punctuation(text, (6, 7)) == (6, 7)  # "(" alone stays as it is
    assert trim_punctuation(text, (0, 5)) == (0, 5)
    posting = SpanPosting(text, knowledge=[(8, 13), (18, 27), (31, 42)], skill=[])
    scores = score_spans([posting], [[(8, 11), (18, 25), (31, 40)]]).summary()
    assert scores["strict_precision"] == 1.0 and scores["strict_recall"] == 1.0
    # a name with symbols of its own is not punctuation
    assert trim_punctuation("C++ )", (0, 5)) == (0, 3)


def test_a_span_of_anonymisation_placeholders_counts_neither_way():
    text = "Java <ORGANIZATION> <ORGANIZATION> and Go"
    posting = SpanPosting(text, knowledge=[(0, 4), (5, 34), (39, 41)], skill=[])
    scores = score_spans([posting], [[(0, 4), (5, 19)]]).summary()
    # the hidden name is neither missed nor a false positive when something touches it
    assert (scores["gold"], scores["predicted"], scores["overlap_recall"]) == (2, 1, 0.5)


def test_human_languages_are_scored_as_knowledge_and_other_soft_skills_as_skills():
    taxonomy = skills.load_taxonomy()
    for name in HUMAN_LANGUAGES:  # every name is a soft skill of ours, or this list is stale
        assert taxonomy.get(name) is not None and taxonomy.get(name).category == "soft_skill", name
    assert span_kind(taxonomy.get("German")) == "knowledge"
    assert span_kind(taxonomy.get("Teamwork")) == "skill"
    assert span_kind(taxonomy.get("Python")) == "knowledge" and span_kind(None) == "knowledge"


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


def test_personas_split_into_fit_and_holdout_and_every_ad_is_judged():
    from pipeline.ranking_eval import load_personas

    personas = load_personas()
    assert len(personas.grades) >= 20
    fit, holdout = personas.parts["fit"], personas.parts["holdout"]
    assert not set(fit) & set(holdout) and sorted(fit + holdout) == sorted(personas.grades)
    ads = {f"{n:03d}" for n in range(1, 69)}
    for name, grades in personas.grades.items():
        assert set(grades) == ads and set(grades.values()) <= {0, 1, 2}, name
        assert any(g == 2 for g in grades.values()), name
        assert personas.profiles[name].skills, name
    # the first seven are all in the fit part, as their judgments came first
    first = yaml.safe_load((PERSONAS_DIR / "judgments.yaml").read_text(encoding="utf-8"))
    assert set(first) <= set(fit) and len(first) == 7


def test_a_persona_judged_twice_or_left_out_of_the_split_is_refused(tmp_path):
    import shutil

    from pipeline.ranking_eval import load_personas

    for name in ("judgments.yaml", "split.yaml", "junior_analyst.yaml", "statistician.yaml"):
        shutil.copy(PERSONAS_DIR / name, tmp_path / name)
    first = yaml.safe_load((tmp_path / "judgments.yaml").read_text(encoding="utf-8"))
    (tmp_path / "judgments.yaml").write_text(yaml.safe_dump(
        {k: first[k] for k in ("junior_analyst", "statistician")}), encoding="utf-8")
    (tmp_path / "split.yaml").write_text("fit: [junior_analyst]\nholdout: [statistician]\n")
    assert load_personas(tmp_path).part_of("statistician") == "holdout"
    (tmp_path / "judgments_more.yaml").write_text(yaml.safe_dump({"statistician": first["statistician"]}))
    with pytest.raises(ValueError, match="judged in two files"):
        load_personas(tmp_path)
    (tmp_path / "judgments_more.yaml").unlink()
    (tmp_path / "split.yaml").write_text("fit: [junior_analyst]\nholdout: []\n")
    with pytest.raises(ValueError, match="exactly once"):
        load_personas(tmp_path)


def test_bm25_prefers_rare_terms_repeated_in_short_documents():
    from pipeline.text_search import bm25_scores

    docs = {"a": "Python and SQL. <b>dbt</b> models, dbt tests.",
            "b": "Python and SQL and Excel for reporting, a long ad about many other things entirely",
            "c": "Excel only"}
    scores = bm25_scores(["dbt", "Python"], docs)
    assert scores["a"] > scores["b"] > scores["c"] == 0.0
    # a term in every document counts for little; one in one document for a lot
    assert bm25_scores(["Python"], docs)["a"] < bm25_scores(["dbt"], docs)["a"]
    assert bm25_scores(["C++"], {"x": "modern C++ and C", "y": "C only"})["x"] > 0


def test_calibration_counts_precision_and_recall_of_strong(fresh_db):
    from datetime import UTC, datetime

    from pipeline.load import load_items
    from pipeline.match import rank
    from pipeline.profile import Profile
    from pipeline.ranking_eval import Personas, calibrate

    today = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00Z")
    items = [{"source": "t", "source_id": str(n), "url": f"https://x.example/{n}", "title": f"Job {n}",
              "country": "GB", "posted_at": today, "description": "x",
              "skills": [{"name": s, "category": "tool", "required": True, "years": None,
                          "spans": [{"start": 0, "end": 1, "text": s}]} for s in skills]}
             for n, skills in enumerate([["SQL", "Python"], ["SQL", "Rust", "Go", "Scala", "Haskell"],
                                         ["Excel", "VBA"]])]
    load_items(fresh_db, items, run_id="r", origin="t")
    ids = dict(fresh_db.execute("SELECT title, id FROM jobs").fetchall())
    ad_of_job = {ids[f"Job {n}"]: f"00{n}" for n in range(3)}
    personas = Personas({"p": Profile.from_skills(["SQL", "Python"])},
                        {"p": {"000": 2, "001": 2, "002": 0}}, {"holdout": ["p"]})
    scores = {m.title: m.score for m in rank(fresh_db, personas.profiles["p"], limit=None)}
    assert scores["Job 0"] > scores["Job 1"] > scores.get("Job 2", 0)  # both skills, one of five, none
    # Match.score is rounded to four places: a hair below it
    c = calibrate(fresh_db, ad_of_job, personas, ["p"], threshold=scores["Job 0"] - 0.001)
    assert (c.predicted, c.judged_strong, c.both) == (1, 2, 1)
    assert (c.precision, c.recall) == (1.0, 0.5)


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


def test_the_eval_store_is_finished_as_a_crawl_finishes_it(demo_board, tmp_path):
    """`skillscout eval` must score the store users get: the taxonomy synced (titles naming
    a skill by an alias depend on it) and the ranking weights stored, not recomputed."""
    import dataclasses

    from flows.evaluation import build_demo_store
    from pipeline.db import open_store
    from pipeline.match import weights_are_fresh

    kept = {ad["id"] for ad in demo_board.ads[:8]}
    board = dataclasses.replace(demo_board, hidden={ad["id"] for ad in demo_board.ads} - kept)
    db = tmp_path / "eval.duckdb"
    build_demo_store(db, board)
    taxonomy = skills.get_nlp().get_pipe("skill_extractor").taxonomy
    with open_store(db, read_only=True) as con:
        (names,), = con.execute("SELECT count(*) FROM skills").fetchall()
        (jobs,), = con.execute("SELECT count(*) FROM jobs").fetchall()
        assert names == len(taxonomy) and jobs > 0
        assert weights_are_fresh(con)


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
