"""Learn next, defect by defect (issue 13): pay only from enough jobs, nothing the person
already holds in substance, a learning path that only takes steps that add something, the
jobs each suggestion would unlock and what makes it close, "what if I learned these"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.gaps import MIN_PAY_JOBS, assume, gaps, learning_path, strong_matches
from pipeline.load import load_items
from pipeline.match import rank
from pipeline.profile import Profile
from skills.taxonomy import load_taxonomy

TODAY = datetime.now(UTC).strftime("%Y-%m-%dT00:00:00Z")


def skill(name: str, required: bool = True) -> dict:
    return {"name": name, "category": "tool", "required": required, "years": None,
            "spans": [{"start": 0, "end": 1, "text": name}]}


def job(n: int, title: str, skills: list[str], pay: tuple[float, float, str, str] | None = None,
        annual: tuple[float, float] | None = None) -> dict:
    item = {"source": "test", "source_id": str(n), "url": f"https://x.example/{n}", "title": title,
            "company": f"Company {n}", "location": "Leeds, GB", "country": "GB", "remote": "hybrid",
            "employment_type": "full_time", "posted_at": TODAY, "description": title,
            "skills": [skill(s) for s in skills]}
    if pay:
        low, high, currency, period = pay
        yearly = annual or ((low, high) if period == "year" else (low * 220, high * 220))
        item.update(salary_min=low, salary_max=high, salary_currency=currency, salary_period=period,
                    salary_annual_min=yearly[0], salary_annual_max=yearly[1])
    return item


KNOWN = ["SQL", "Python", "Excel", "Git"]


def by_skill(con, profile: Profile, **kwargs) -> dict:
    return {g.skill: g for g in gaps(con, profile, limit=50, **kwargs)}


def test_pay_needs_three_jobs_in_one_currency_and_says_how_many(fresh_db):
    load_items(fresh_db, [
        # dbt: three GBP salaries and a day rate (annualised at 220 days), one EUR
        job(1, "Analyst A", [*KNOWN, "dbt"], (40000, 50000, "GBP", "year")),
        job(2, "Analyst B", [*KNOWN, "dbt"], (50000, 60000, "GBP", "year")),
        job(3, "Analyst C", [*KNOWN, "dbt"], (400, 500, "GBP", "day")),  # 88,000–110,000 a year
        job(4, "Analyst D", [*KNOWN, "dbt"], (70000, 80000, "EUR", "year")),
        # Looker: two jobs with pay, the "median of one job"
        job(5, "Analyst E", [*KNOWN, "Looker"], (550, 550, "GBP", "day")),
        job(6, "Analyst F", [*KNOWN, "Looker"], (30000, 35000, "GBP", "year")),
        job(7, "Analyst G", [*KNOWN, "Rust"]),
    ], run_id="r1", origin="test")
    found = by_skill(fresh_db, Profile.from_skills(KNOWN))
    dbt = found["dbt"]
    # midpoints 45,000, 55,000 and 99,000: the median is 55,000, from the three GBP jobs
    assert (dbt.pay_median, dbt.pay_currency, dbt.pay_jobs) == (55000.0, "GBP", 3)
    assert dbt.pay == "GBP 55,000 (n=3)"
    looker = found["Looker"]
    assert looker.pay_jobs == 2 < MIN_PAY_JOBS and looker.pay_median is None
    assert looker.pay == "too few (2 with pay)"
    assert found["Rust"].pay == "no pay data"


def test_no_broader_parent_or_near_synonym_of_a_known_skill(fresh_db):
    taxonomy = load_taxonomy()
    # the taxonomy's own chain: PyTorch → Deep learning → Machine learning
    assert taxonomy.get("PyTorch").parent == "Deep learning"
    assert taxonomy.get("Deep learning").parent == "Machine learning"
    asks = ["PyTorch", "Machine learning", "Deep learning", "Experimentation", "Kubeflow", "MLflow"]
    load_items(fresh_db, [job(n, f"Role {n}", asks) for n in range(3)], run_id="r1", origin="test")
    found = by_skill(fresh_db, Profile.from_skills(["PyTorch", "A/B testing"]))
    assert "Machine learning" not in found and "Deep learning" not in found
    assert "Experimentation" not in found  # a near-synonym of A/B testing
    assert {"Kubeflow", "MLflow"} <= set(found)  # real gaps are still there
    # without PyTorch, the broader skills are worth learning again
    assert "Machine learning" in by_skill(fresh_db, Profile.from_skills(["A/B testing"]))


def _score(con, profile: Profile, title: str) -> float:
    return next(m.score for m in rank(con, profile, limit=None) if m.title == title)


def _threshold_between(con, before: Profile, after: Profile, title: str) -> float:
    """A strong-match threshold between what `title` scores for `before` and `after`."""
    low, high = _score(con, before, title), _score(con, after, title)
    assert low < high
    return (low + high) / 2


def test_learning_path_takes_only_steps_that_add_a_strong_match_and_says_why_it_stops(fresh_db):
    # Five jobs need dbt on top of what the person knows. One needs dbt and two of four more
    # skills: no single one of them adds it, two together do. One wants seven skills the
    # person lacks: no three of them make it strong (the "R (8) → CI/CD (8)").
    pair = ["Looker", "Apache Airflow", "Terraform", "Snowflake"]
    load_items(fresh_db, [job(n, f"Analytics role {n}", [*KNOWN, "dbt"]) for n in range(5)]
               + [job(7, "Pair role", [*KNOWN, "dbt", *pair])]
               + [job(9, "Odd role", ["SQL", "R", "CI/CD", "Stan", "Julia", "Scala", "Rust", "Haskell"])],
               run_id="r1", origin="test")
    profile = Profile.from_skills(KNOWN)
    with_dbt = assume(profile, ["dbt"])
    one, two = assume(with_dbt, pair[:1]), assume(with_dbt, pair[:2])
    threshold = _threshold_between(fresh_db, one, two, "Pair role")
    scores = {m.title: m.score for m in rank(fresh_db, profile, limit=None)}
    assert scores["Analytics role 0"] < threshold <= _score(fresh_db, with_dbt, "Analytics role 0")
    path = learning_path(fresh_db, profile, threshold=threshold)
    assert len(path.steps) == 2 and path.steps[0].skills == ["dbt"]
    assert len(path.steps[1].skills) == 2 and set(path.steps[1].skills) <= set(pair)
    assert path.strong_matches_now == 0
    assert [s.strong_matches_after for s in path.steps] == [5, 6]
    assert [s.unlocks for s in path.steps] == [5, 1]
    assert path.stopped_because == "no skill, nor 3 learned together, turns another job into a strong match"
    # learn-next agrees: after dbt, no single skill adds a strong match
    after_dbt = by_skill(fresh_db, with_dbt, threshold=threshold)
    assert all(g.unlocks == 0 for g in after_dbt.values()) and after_dbt["R"].gain > 0


def test_each_suggestion_lists_the_jobs_it_unlocks_and_what_makes_it_close(fresh_db):
    load_items(fresh_db, [
        job(1, "ML engineer one", ["Python", "Docker", "PyTorch", "Kubeflow"]),
        job(2, "ML engineer two", ["Python", "Docker", "PyTorch", "Kubeflow"]),
        job(3, "Other", ["Python", "Excel"]),
    ], run_id="r1", origin="test")
    profile = Profile.from_skills(["Python", "Docker", "Kubernetes"])
    threshold = _threshold_between(fresh_db, profile, assume(profile, ["Kubeflow"]), "ML engineer one")
    found = by_skill(fresh_db, profile, threshold=threshold)
    kubeflow, torch = found["Kubeflow"], found["PyTorch"]
    assert kubeflow.unlocks == torch.unlocks == 2 and found["Excel"].unlocks == 0
    for gap in (kubeflow, torch):
        assert sorted(j.title for j in gap.unlocked_jobs) == ["ML engineer one", "ML engineer two"]
        assert all(j.score < threshold <= j.score_after for j in gap.unlocked_jobs)
    assert found["Excel"].unlocked_jobs == []
    assert kubeflow.close_to == "related to Kubernetes"  # a taxonomy relation
    assert torch.close_to == "asked beside Docker in 100% of its ads"  # none: ads that ask for both
    taxonomy = load_taxonomy()
    assert strong_matches(fresh_db, profile, threshold, taxonomy) + kubeflow.unlocks == strong_matches(
        fresh_db, assume(profile, ["kubeflow"]), threshold, taxonomy)


def test_assume_answers_what_if_i_learned_these(fresh_db):
    asks = [*KNOWN, "dbt", "Looker", "Airflow"]
    load_items(fresh_db, [job(n, f"Analytics role {n}", asks) for n in range(3)], run_id="r1", origin="test")
    profile = Profile.from_skills(KNOWN)
    learned = assume(profile, ["data build tool"])  # aliases resolve
    assert "dbt" in learned.skills and "dbt" not in profile.skills
    assert "dbt" not in by_skill(fresh_db, learned)
    threshold = _threshold_between(fresh_db, learned, assume(learned, ["Looker"]), "Analytics role 0")
    assert by_skill(fresh_db, learned, threshold=threshold)["Looker"].unlocks == 3
    assert by_skill(fresh_db, profile, threshold=threshold)["Looker"].unlocks == 0  # dbt is needed too
    with pytest.raises(ValueError, match=r"unknown skill.*definitely not a skill"):
        assume(profile, ["definitely not a skill"])
