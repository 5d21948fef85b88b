"""The command line as a user meets it: help everywhere, the extract contract, JSON output,
and one clear line (exit code 1) for bad input."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, kept_ads
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_board import DemoBoard

runner = CliRunner()
PROFILE = str(ROOT / "data" / "profile.example.yaml")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_every_command_has_help():
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"demo", "crawl", "extract", "match", "gaps"} <= set(commands)
    for name in commands:
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
        command = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
        assert (command.callback.__doc__ or "").strip(), f"{name} has no help text"
    # Help text survives rich's markup: "[default: ...]" in a help string would vanish; the
    # help says where the database is.
    def squeezed(text: str) -> str:  # the words, without the help panel's borders
        return "".join(ch for ch in text if not ch.isspace() and ch != "│")

    assert squeezed("$SKILLSCOUT_DB, else skillscout.duckdb in your data folder") in squeezed(
        run("match", "--help").output)
    from pipeline.db import default_db_path

    assert squeezed(str(default_db_path())) in squeezed(run("--help").output)


def test_extract_one_text_file(tmp_path):
    ad = tmp_path / "ad.txt"
    ad.write_text("Requirements\n- Python and SQL\nNice to have\n- dbt\n")
    result = run("extract", str(ad))
    assert result.exit_code == 0
    (line,) = result.output.splitlines()
    obj = json.loads(line)
    found = {s["name"]: s for s in obj["skills"]}
    assert found["dbt"]["required"] is False and found["Python"]["required"] is True
    span = found["SQL"]["spans"][0]
    assert obj["text"][span["start"]:span["end"]] == "SQL"


def test_extract_jsonl_passes_other_fields_through(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Requirements\n- Excel and VBA", "lang": "en"})
                   + "\n\n" + json.dumps({"id": "b", "text": "You will excel at this."}) + "\n")
    result = run("extract", "--jsonl", str(src))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"] and rows[0]["lang"] == "en"
    assert {s["name"] for s in rows[0]["skills"]} == {"Excel", "VBA"}
    assert rows[1]["skills"] == []


def test_extract_reports_a_broken_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": \n')
    result = runner.invoke(app, ["extract", "--jsonl", str(src)])
    assert result.exit_code == 1
    assert "line 2: not valid JSON" in result.output


def test_match_and_gaps_json(demo_db):
    db, _ = demo_db
    result = run("match", "--profile", PROFILE, "--db", str(db), "--json", "-n", "5")
    assert result.exit_code == 0
    matches = json.loads(result.output)
    assert len(matches) == 5
    for m in matches:
        assert {"id", "title", "company", "url", "score", "matched", "missing"} <= set(m)
        assert 0 <= m["score"] <= 1
    result = run("gaps", "--profile", PROFILE, "--db", str(db), "--json", "--threshold", "0.5")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["skills"] and all(g["jobs"] >= g["unlocks"] for g in data["skills"])
    profile_skills = {"SQL", "Python", "Excel", "Power BI"}
    assert not profile_skills & {g["skill"] for g in data["skills"]}
    assert data["skills"][0]["example_jobs"]


def test_match_table_output(demo_db):
    db, _ = demo_db
    result = run("match", "--profile", PROFILE, "--db", str(db), "-n", "3")
    assert result.exit_code == 0 and "Best matches" in result.output


@pytest.mark.parametrize(("profile_text", "message"), [
    ("skills: [SQL\n", "not valid YAML"),
    ("skils: [SQL]\n", "unknown key 'skils'"),
])
def test_broken_profile_is_one_clear_error(tmp_path, demo_db, profile_text, message):
    db, _ = demo_db
    profile = tmp_path / "me.yaml"
    profile.write_text(profile_text)
    result = runner.invoke(app, ["match", "--profile", str(profile), "--db", str(db)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("sources_text", "message"), [
    ("sources: [{spider: nosuch}]\n", "unknown spider 'nosuch'"),
    ("sources: [{spider: greenhouse\n", "not valid YAML"),
    ("sources: []\n", "non-empty list"),
])
def test_broken_sources_file_is_one_clear_error(tmp_path, sources_text, message):
    sources = tmp_path / "sources.yaml"
    sources.write_text(sources_text)
    db = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["crawl", "--sources", str(sources), "--db", str(db)])
    assert result.exit_code == 1 and message in result.output
    assert not db.exists()  # nothing written


def test_crawl_command_runs_the_flow(prefect_harness, demo_url, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - spider: greenhouse\n    board: quantloop\n"
                       f"    api_url: {demo_url}\n    allow_private: true\n")
    db = tmp_path / "db.duckdb"
    result = run("crawl", "--sources", str(sources), "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{"):])
    assert summary["status"] == "ok" and summary["sources"][0]["new"] == 7


def test_demo_runs_the_whole_path(prefect_harness, tmp_path, monkeypatch):
    from flows import demo_board

    monkeypatch.setattr(demo_board, "LOCAL_CRAWL_SETTINGS",
                        {**demo_board.LOCAL_CRAWL_SETTINGS, "TELNETCONSOLE_ENABLED": False})
    result = run("demo", "--db", str(tmp_path / "demo.duckdb"), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Best matches for Sam Example" in result.output
    assert "Learn next" in result.output
    assert f"{len(kept_ads(DemoBoard.load()))} open jobs" in result.output


def test_unknown_skills_are_counted_across_ads(tmp_path):
    from pipeline.db import connect
    from pipeline.load import load_items

    ad = ("Requirements\n- Python and SQL\n- Experience with Zorblax and FrobDB\n"
          "About us\nWe are Zorblax Ltd, based in Leeds.")
    con = connect(tmp_path / "db.duckdb")
    load_items(con, [{"source": "t", "source_id": str(n), "url": f"https://x.example/{n}",
                      "title": "Data Engineer", "company": "Acme", "location": "Leeds, GB",
                      "description": ad, "skills": []} for n in range(3)], run_id="r", origin="t")
    con.close()
    result = run("skills", "unknown", "--db", str(tmp_path / "db.duckdb"), "--json", "--no-ner")
    found = {f["name"]: f["ads"] for f in json.loads(result.output)}
    assert found == {"Zorblax": 3, "FrobDB": 3}  # not Python/SQL (known), not "Leeds"
    with_ner = run("skills", "unknown", "--db", str(tmp_path / "db.duckdb"), "--json")
    assert {"Zorblax", "FrobDB"} <= {f["name"] for f in json.loads(with_ner.output)}
