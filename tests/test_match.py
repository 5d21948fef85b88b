"""Ranking and learn-next on a small hand-made store, where the right answers can be
worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.fit import SOFT_MISS_FACTOR
from pipeline.gaps import gaps, learning_path
from pipeline.load import load_items
from pipeline.match import rank
from pipeline.profile import Profile

TODAY = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00Z")


def skill(name: str, required: bool = True, years: int | None = None, category: str = "tool") -> dict:
    return {"name": name, "category": category, "required": required, "years": years,
            "spans": [{"start": 0, "end": 1, "text": name}]}


def add_jobs(con, jobs: dict[str, list[dict]], **fields) -> None:
    items = []
    for n, (title, found) in enumerate(jobs.items()):
        items.append({"source": "test", "source_id": str(n), "url": f"https://x.example/{n}",
                      "title": title, "company": f"Company {n}", "location": "Leeds, GB",
                      "country": "GB", "remote": "hybrid", "employment_type": "full_time",
                      "posted_at": TODAY, "description": title, "skills": found, **fields})
    load_items(con, items, run_id="r1", origin="test")


def order(con, profile: Profile) -> list[str]:
    return [m.title for m in rank(con, profile, limit=None)]


def test_required_skills_count_more_than_nice_to_haves(fresh_db):
    add_jobs(fresh_db, {
        "needs what you have": [skill("SQL"), skill("Tableau", required=False)],
        "wants what you have": [skill("Tableau"), skill("SQL", required=False)],
    })
    assert order(fresh_db, Profile.from_skills(["SQL"])) == ["needs what you have",
                                                               "wants what you have"]


def test_rare_skills_count_more_than_common_ones(fresh_db):
    common = [skill("SQL")]
    add_jobs(fresh_db, {
        "rare match": [skill("SQL"), skill("Stan")],
        "common match": [skill("SQL"), skill("Python")],
        **{f"filler {n}": [*common, skill("Python")] for n in range(6)},
    })
    ranked = order(fresh_db, Profile.from_skills(["Stan"]))
    assert ranked[0] == "rare match"
    ranked = order(fresh_db, Profile.from_skills(["Python"]))
    # Knowing the common skill scores lower on the rare job than on the common one.
    assert ranked.index("common match") < ranked.index("rare match")


def test_related_skills_give_partial_credit(fresh_db):
    add_jobs(fresh_db, {"pytorch job": [skill("PyTorch", category="library")],
                        "excel job": [skill("Excel")]})
    matches = rank(fresh_db, Profile.from_skills(["TensorFlow"]), limit=None)
    assert [m.title for m in matches] == ["pytorch job", "excel job"]
    assert 0 < matches[0].score < 1 and matches[1].score == 0
    assert matches[0].partial == ["PyTorch"]


def test_years_short_of_the_ask_lower_the_score(fresh_db):
    add_jobs(fresh_db, {"senior": [skill("SQL", years=6)], "junior": [skill("SQL", years=1)]})
    matches = rank(fresh_db, Profile.from_skills({"SQL": 2.0}), limit=None)
    assert [m.title for m in matches] == ["junior", "senior"]
    assert 0 < matches[1].score < matches[0].score
    # With the years the senior job asks for, it scores as the junior one does.
    assert rank(fresh_db, Profile.from_skills({"SQL": 6.0}), limit=None)[1].score == pytest.approx(
        matches[0].score, rel=0.01)


def test_stored_weights_rank_as_computed_ones(fresh_db):
    from pipeline.match import refresh_weights, weights_are_fresh

    add_jobs(fresh_db, {"a": [skill("SQL"), skill("dbt", required=False)], "b": [skill("SQL"), skill("Rust")],
                        "c": [skill("Python", years=5)]})
    profile = Profile.from_skills({"SQL": 2.0, "Python": 1.0, "dbt": None})
    computed = [(m.title, m.score) for m in rank(fresh_db, profile, limit=None)]
    refresh_weights(fresh_db)
    assert weights_are_fresh(fresh_db)
    assert [(m.title, m.score) for m in rank(fresh_db, profile, limit=None)] == computed
    add_jobs(fresh_db, {"d": [skill("SQL")]})  # a load makes them stale, and unused
    assert not weights_are_fresh(fresh_db)


def test_scores_explain_themselves(fresh_db):
    add_jobs(fresh_db, {"analyst": [skill("SQL"), skill("Python"), skill("dbt", required=False),
                                    skill("Looker", required=False)]})
    (m,) = rank(fresh_db, Profile.from_skills(["SQL", "dbt"]), limit=None)
    assert (m.matched_required, m.matched_nice) == (["SQL"], ["dbt"])
    assert (m.missing_required, m.missing_nice) == (["Python"], ["Looker"])
    assert 0 < m.score < 1
    assert m.to_dict()["matched"] == ["SQL", "dbt"]


def _us_job(**fields) -> list[dict]:
    return [{"source": "test", "source_id": "us", "url": "https://x.example/us",
             "title": "us job", "company": "Initech", "location": "Austin, TX",
             "country": "US", "remote": "onsite", "employment_type": "contract",
             "salary_min": 20.0, "salary_max": 30.0, "salary_currency": "GBP",
             "salary_period": "hour", "salary_annual_min": 35200.0,
             "salary_annual_max": 52800.0, "description": "x", "skills": [skill("SQL")], **fields}]


def test_hard_preferences_filter_jobs_out(fresh_db):
    add_jobs(fresh_db, {"uk job": [skill("SQL")]})
    load_items(fresh_db, _us_job(), run_id="r1", origin="test")
    assert len(order(fresh_db, Profile.from_skills(["SQL"]))) == 2
    for prefs in ({"countries": {"GB"}}, {"exclude_companies": {"initech"}}, {"remote": {"remote"}}):
        assert "us job" not in order(fresh_db, Profile.from_skills(["SQL"], **prefs)), prefs


@pytest.mark.parametrize(("prefs", "reason"), [
    ({"remote": {"hybrid", "remote"}}, "workplace"),
    ({"employment_types": {"full_time"}}, "employment type"),
    ({"locations": ["Leeds"]}, "location"),
    ({"min_salary": 60000.0, "salary_currency": "GBP"}, "salary"),
    # $70k is about £56k at the fixed rates: the £52.8k job misses it
    ({"min_salary": 70000.0, "salary_currency": "USD"}, "salary"),
])
def test_one_soft_preference_missed_ranks_lower_and_says_why(fresh_db, prefs, reason):
    add_jobs(fresh_db, {"uk job": [skill("SQL")]})
    load_items(fresh_db, _us_job(), run_id="r1", origin="test")
    plain = {m.title: m for m in rank(fresh_db, Profile.from_skills(["SQL"]), limit=None)}
    ranked = rank(fresh_db, Profile.from_skills(["SQL"], **prefs), limit=None)
    assert [m.title for m in ranked] == ["uk job", "us job"]
    us = ranked[1]
    assert us.outside_preferences == [reason]
    assert us.score == pytest.approx(plain["us job"].score * SOFT_MISS_FACTOR, rel=1e-3)
    assert ranked[0].outside_preferences == [] and ranked[0].factors["preference_fit"] == 1


def test_two_soft_preferences_missed_filter_the_job_out(fresh_db):
    add_jobs(fresh_db, {"uk job": [skill("SQL")]})
    load_items(fresh_db, _us_job(), run_id="r1", origin="test")
    profile = Profile.from_skills(["SQL"], remote={"hybrid"}, employment_types={"full_time"})
    assert order(fresh_db, profile) == ["uk job"]


def test_salary_floor_in_another_currency_and_pay_without_a_rate(fresh_db):
    load_items(fresh_db, _us_job(salary_currency="USD", salary_annual_max=70000.0), run_id="r1",
               origin="test")
    # $70k is £56k: passes a £55k floor, misses a £60k one
    assert rank(fresh_db, Profile.from_skills(["SQL"], min_salary=55000.0, salary_currency="GBP"),
                limit=None)[0].outside_preferences == []
    assert rank(fresh_db, Profile.from_skills(["SQL"], min_salary=60000.0, salary_currency="GBP"),
                limit=None)[0].outside_preferences == ["salary"]
    load_items(fresh_db, _us_job(salary_currency="CHF", salary_annual_max=1.0), run_id="r2",
               origin="test")
    # no rate for CHF: not compared, not a miss
    assert rank(fresh_db, Profile.from_skills(["SQL"], min_salary=60000.0, salary_currency="GBP"),
                limit=None)[0].outside_preferences == []


def test_learn_next_counts_jobs_that_become_strong_matches(fresh_db):
    # Every job asks for four skills the person has; five also want dbt, two Rust, one both.
    # (No title names a skill: a skill in the title would weigh more.)
    known = [skill("SQL"), skill("Python"), skill("Excel"), skill("Git")]
    add_jobs(fresh_db, {
        **{f"analytics job {n}": [*known, skill("dbt")] for n in range(5)},
        **{f"systems job {n}": [*known, skill("Rust")] for n in range(2)},
        "mixed": [*known, skill("dbt"), skill("Rust")],
    })
    profile = Profile.from_skills(["SQL", "Python", "Excel", "Git"])

    def scores(extra: list[str]) -> dict[str, float]:
        learned = Profile.from_skills([*profile.skills, *extra])
        return {m.title: m.score for m in rank(fresh_db, learned, limit=None)}

    now, with_dbt, with_rust = scores([]), scores(["dbt"]), scores(["Rust"])
    with_both = scores(["dbt", "Rust"])
    # A threshold between what a dbt job scores now and once dbt is learned.
    threshold = (now["analytics job 0"] + with_dbt["analytics job 0"]) / 2
    assert with_dbt["mixed"] < threshold  # "mixed" still lacks Rust
    unlocked = {name: sum(now[t] < threshold <= after[t] for t in now)
                for name, after in (("dbt", with_dbt), ("Rust", with_rust))}
    found = {g.skill: g for g in gaps(fresh_db, profile, threshold=threshold)}
    assert found["dbt"].unlocks == unlocked["dbt"] == 5 and found["dbt"].jobs == 6
    assert found["Rust"].unlocks == unlocked["Rust"] and found["Rust"].jobs == 3
    assert gaps(fresh_db, profile, threshold=threshold)[0].skill == "dbt"
    path = learning_path(fresh_db, profile, threshold=threshold)
    assert [p.skill for p in path.steps] == ["dbt", "Rust"]
    assert [p.strong_matches_after for p in path.steps] == [
        sum(v >= threshold for v in with_dbt.values()), sum(v >= threshold for v in with_both.values())]
    assert path.steps[-1].strong_matches_after == 8
    assert path.strong_matches_now == 0
    assert path.stopped_because == "no job left asks for a skill you lack"


def test_learn_next_never_suggests_another_trade_to_a_data_profile(fresh_db):
    # Care ads in the store (a source kept with `keep: all`): learning manual handling would
    # turn them into strong matches, but a data analyst is not looking for care work.
    known = [skill("SQL"), skill("Python"), skill("Excel")]
    care = [skill("Manual handling", category="occupational"),
            skill("Personal care", category="occupational")]
    add_jobs(fresh_db, {
        **{f"care assistant {n}": [*care, skill("Excel")] for n in range(6)},
        **{f"data analyst {n}": [*known, skill("dbt")] for n in range(2)},
    })
    analyst = Profile.from_skills(["SQL", "Python", "Excel"], target_roles=["data analyst"])
    suggested = [g.skill for g in gaps(fresh_db, analyst, threshold=0.2)]
    assert suggested and suggested[0] == "dbt"
    assert not {"Manual handling", "Personal care"} & set(suggested)
    path = learning_path(fresh_db, analyst, threshold=0.2)
    assert not {"Manual handling", "Personal care"} & {s for p in path.steps for s in p.skills}
    # someone who works in care is shown them
    carer = Profile.from_skills(["Personal care", "Excel"])
    assert "Manual handling" in {g.skill for g in gaps(fresh_db, carer, threshold=0.2)}
