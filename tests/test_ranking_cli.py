"""`match --explain`, `match --json` contributions and `gaps` (--assume, columns) on the demo
board crawled by the real flow."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()
PROFILE = str(ROOT / "data" / "profile.example.yaml")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(demo_db):
    return str(demo_db[0])


def test_match_json_splits_each_score_into_skills_and_factors(db):
    result = run("match", "--db", db, "--profile", PROFILE, "--json", "-n", "10")
    assert result.exit_code == 0
    matches = json.loads(result.output)
    assert matches
    for m in matches:
        factors = 1.0
        for value in m["factors"].values():
            factors *= value
        assert m["score"] == pytest.approx(m["skill_score"] * factors, abs=2e-4)
        assert sum(c["points"] for c in m["contributions"]) == pytest.approx(m["score"], abs=2e-3)
        assert {c["skill"] for c in m["contributions"]} == set(m["matched"]) | set(m["missing"])
        for c in m["contributions"]:
            assert (c["points"] > 0) == (c["cover"] > 0)


def test_match_explain_prints_one_job_skill_by_skill(db):
    top = json.loads(run("match", "--db", db, "--profile", PROFILE, "--json", "-n", "1").output)[0]
    result = run("match", "--db", db, "--profile", PROFILE, "--explain", top["id"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert top["title"] in text and f"score {top['score']:.3f}" in text
    for c in top["contributions"]:
        assert c["skill"] in text
    explained = run("match", "--db", db, "--profile", PROFILE, "--explain", top["id"], "--json")
    as_json = json.loads(explained.output)
    assert as_json["contributions"] == top["contributions"]
    missing = runner.invoke(app, ["match", "--db", db, "--profile", PROFILE, "--explain", "nosuchjob"])
    assert missing.exit_code == 1 and "no stored job" in missing.output


def test_gaps_keep_name_and_category_apart_in_every_format(db):
    table = run("gaps", "--db", db, "--profile", PROFILE)  # piped: no terminal
    data = json.loads(run("gaps", "--db", db, "--profile", PROFILE, "--json").output)
    rows = list(csv.DictReader(io.StringIO(run("gaps", "--db", db, "--profile", PROFILE, "--csv").output)))
    assert [g["skill"] for g in data["skills"]] == [r["skill"] for r in rows]
    for g, row in zip(data["skills"], rows, strict=True):
        assert row["category"] == g["category"] and g["category"] not in g["skill"]
        # the table's skill cell holds the name alone, the category has its own column
        cells = next(line for line in table.output.splitlines() if line.startswith(f"│ {g['skill']} "))
        columns = [c.strip() for c in cells.strip("│").split("│")]
        assert columns[0] == g["skill"] and columns[1] == g["category"]
    assert data["path"]["stopped_because"]
    assert all(s["strong_matches_after"] > p for s, p in zip(
        data["path"]["steps"], [data["path"]["strong_matches_now"]]
        + [s["strong_matches_after"] for s in data["path"]["steps"]], strict=False))


def test_gaps_assume_answers_what_if(db):
    before = json.loads(run("gaps", "--db", db, "--profile", PROFILE, "--json").output)
    first = before["skills"][0]["skill"]
    after = json.loads(run("gaps", "--db", db, "--profile", PROFILE, "--json", "--assume", first).output)
    assert after["assumed"] == [first]
    assert first not in [g["skill"] for g in after["skills"]]
    unlocked = before["skills"][0]["unlocks"]
    assert after["path"]["strong_matches_now"] == before["path"]["strong_matches_now"] + unlocked
    bad = runner.invoke(app, ["gaps", "--db", db, "--profile", PROFILE, "--assume", "no such skill at all"])
    assert bad.exit_code == 1 and "unknown skill" in bad.output
