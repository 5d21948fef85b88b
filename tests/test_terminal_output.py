"""What `match`, `jobs`, `gaps`, `show`, `sources` and the crawl table print for people:
scraped text never turns into terminal markup or control codes, and at 80 columns nothing is
cut: pay stays whole, words are not split, shortened lists say so, every job has its link
and id."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from test_match import add_jobs, skill
from typer.testing import CliRunner

from flows.cli import app
from pipeline import runs
from pipeline.db import connect

runner = CliRunner()
PROFILE = ROOT / "data" / "profile.example.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours and bold: ours, allowed
HOSTILE_TITLE = "Data Analyst [/] [bold red]shouting[/] [link=javascript:alert(1)]click me[/link]"
HOSTILE_COMPANY = "Evil \x1b[2J\x1b]8;;https://evil.example\x07Corp\x1b]8;;\x07 \u202eLtd"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def write_profile(tmp_path, text: str):
    path = tmp_path / "me.yaml"
    path.write_text(text)
    return str(path)


@pytest.fixture
def hostile_store(tmp_path):
    db = tmp_path / "hostile.duckdb"
    con = connect(db)
    add_jobs(con, {HOSTILE_TITLE: [skill("SQL"), skill("Python"), skill("[/]dbt[red]")]},
             company=HOSTILE_COMPANY, location="Leeds\x1b[31m, GB", url="https://jobs.example/1")
    runs.start_run(con, "run1", __import__("datetime").datetime(2026, 11, 1), 1)
    runs.record_source(con, "run1", "greenhouse:[bold]acme\x1b[5m", "greenhouse", "failed", {}, {},
                       error="spider failed: [/] \x1b[2J boom")
    con.close()
    return db


@pytest.mark.parametrize("command", [["match"], ["jobs"], ["sources"], ["show", "{id}"]])
def test_scraped_text_is_never_markup_or_control_codes(hostile_store, monkeypatch, command):
    monkeypatch.setenv("FORCE_COLOR", "1")  # a real terminal: styles on, as a user sees it
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that no cell wraps
    con = connect(hostile_store, read_only=True)
    (job_id,), = con.execute("SELECT id FROM jobs").fetchall()
    con.close()
    profile = (["--profile", write_profile(hostile_store.parent, "skills: [SQL]\n")]
               if command[0] == "match" else [])
    args = [a.replace("{id}", job_id) for a in command] + profile
    result = run(*args, "--db", str(hostile_store))
    assert result.exit_code == 0, result.output
    shown = result.output
    # Only our own colour codes reach the terminal: no screen clearing, no hyperlinks (OSC 8),
    # no bidirectional override, and nothing scraped became a style or a link.
    assert not re.findall(r"\x1b(?!\[[0-9;]*m)", shown), repr(shown)
    assert "\x1b[2J" not in shown and "\x1b[5m" not in shown and "\u202e" not in shown
    squeezed = re.sub(r"\s", "", ANSI.sub("", shown))
    if command[0] == "sources":
        assert "greenhouse:[bold]acme" in squeezed and "spiderfailed:[/]" in squeezed
    else:  # shown literally, as written in the ad
        assert "DataAnalyst[/][boldred]shouting[/][link=javascript:alert(1)]clickme[/link]" in squeezed
        assert "EvilCorpLtd" in squeezed  # escape sequences removed whole


def test_the_crawl_table_shows_failures_in_full(monkeypatch, capsys):
    from flows import output, views

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    cause = ("DNS lookup failed for [link=javascript:x]boards-api.greenhouse.io[/link] after three "
             "attempts, each of them timing out")
    summary = {"run_id": "r1", "status": "partial", "note": "kept in [red]here", "sources": [
        {"source": "greenhouse:[/]x", "status": "failed", "items": 0, "new": 0, "updated": 0, "closed": 0,
         "skills": 0, "error": cause + " \x1b[2J"}]}
    views.crawl_summary(output.console(), summary)
    shown = capsys.readouterr().out
    assert not re.findall(r"\x1b(?!\[[0-9;]*m)", shown)
    lines = ANSI.sub("", shown).splitlines()
    # One line for the failed source, with its cause whole (not cut at 80 columns or mid-word).
    assert f"failed: greenhouse:[/]x: {cause} " in lines
    assert "kept in [red]here" in lines


def test_match_at_80_columns_keeps_pay_words_links_and_ids(demo_db, monkeypatch):
    db, _ = demo_db
    monkeypatch.setenv("COLUMNS", "80")
    found = json.loads(run("match", "--profile", str(PROFILE), "--db", str(db), "-n", "10", "--json").output)
    shown = run("match", "--profile", str(PROFILE), "--db", str(db), "-n", "10").output
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = shown.split()
    for m in found:
        if m["salary"]:
            assert any(m["salary"] in line for line in lines), m["salary"]  # whole, on one line
        for word in f"{m['title']} {m['company']}".split():
            assert word in words, word  # never split across lines
        assert m["id"] in words
        assert m["url"][:60] in shown.replace("\n", "").replace(" ", "")  # the link, folded if long
    assert "partly:" in shown and "nice to have:" in shown and "strong match" in shown  # the legend
    assert "(" + found[0]["missing"][0] + ")" not in shown  # no unexplained "(X)" markers


def test_shortened_lists_say_how_many_more(tmp_path):
    db = tmp_path / "db.duckdb"
    con = connect(db)
    wanted = ["SQL", "Python", "dbt", "Airflow", "Kafka", "Spark", "Scala", "Java", "Go", "Rust",
              "Terraform", "Docker", "Kubernetes"]
    add_jobs(con, {"Platform Engineer": [skill(s) for s in wanted]})
    con.close()
    shown = run("match", "--profile", write_profile(tmp_path, "skills: [SQL]\n"), "--db", str(db)).output
    assert "+4 more" in shown  # 12 missing, 8 shown


def test_partly_covered_skills_are_shown_as_the_report_shows_them(tmp_path):
    db = tmp_path / "db.duckdb"
    con = connect(db)
    add_jobs(con, {"ML Engineer": [skill("PyTorch"), skill("Deep learning"), skill("SQL")]})
    con.close()
    profile = write_profile(tmp_path, "skills: [TensorFlow, SQL]\n")
    shown = run("match", "--profile", profile, "--db", str(db)).output
    partly = next(line for line in shown.splitlines() if line.strip().startswith("partly"))
    assert "PyTorch" in partly  # related to TensorFlow: half covered
    (m,) = json.loads(run("match", "--profile", profile, "--db", str(db), "--json").output)
    assert "PyTorch" in m["partial"]


def test_zero_scores_are_hidden_unless_asked(tmp_path):
    db = tmp_path / "db.duckdb"
    con = connect(db)
    add_jobs(con, {"SQL Analyst": [skill("SQL")], "Welder": [skill("Welding")]})
    con.close()
    profile = write_profile(tmp_path, "skills: [SQL]\n")
    shown = run("match", "--profile", profile, "--db", str(db)).output
    assert "SQL Analyst" in shown and "Welder" not in shown
    assert "1 of 1 job scoring above 0.00 · 0 strong matches · 2 of 2 open jobs pass" in shown
    assert "--all lists every job" in shown
    every = run("match", "--profile", profile, "--db", str(db), "--all").output
    assert "Welder" in every and "0.00" in every


def test_plurals_and_the_save_confirmation(tmp_path):
    db = tmp_path / "db.duckdb"
    con = connect(db)
    known = ["SQL", "Python", "pandas", "dbt", "Airflow", "Docker", "Git", "Excel"]
    add_jobs(con, {"Analytics Engineer": [skill(s) for s in known]})
    con.close()
    profile = write_profile(tmp_path, f"name: Pat\nskills: [{', '.join(known)}]\n")
    shown = run("match", "--profile", profile, "--db", str(db), "--save").output
    assert "1 of 1 job scoring above 0.00 · 1 strong match · 1 of 1 open job passes your preferences" in shown
    assert "Saved 1 ranked job as profile 'Pat' in the matches table of" in " ".join(shown.split())
    con = connect(db, read_only=True)
    assert con.execute("SELECT profile, rank FROM matches").fetchall() == [("Pat", 1)]
    con.close()
    assert run("jobs", "--db", str(db)).output.splitlines()[0].strip() == "1 job"


def test_match_and_gaps_explain_an_empty_answer(tmp_path):
    db = tmp_path / "db.duckdb"
    con = connect(db)
    add_jobs(con, {"SQL Analyst": [skill("SQL")], "Python Developer": [skill("Python")]})
    con.close()
    elsewhere = write_profile(tmp_path, "skills: [SQL]\npreferences: {countries: [US]}\n")
    for command in ("match", "gaps"):
        shown = " ".join(run(command, "--profile", elsewhere, "--db", str(db)).output.split())
        assert "None of the 2 open jobs passes the preferences in" in shown, shown
    everything = write_profile(tmp_path, "skills: [SQL, Python]\n")
    shown = " ".join(run("gaps", "--profile", everything, "--db", str(db)).output.split())
    assert "You already have every skill the 2 jobs passing your preferences ask for" in shown
    nothing = write_profile(tmp_path, "skills: [Excel]\n")
    shown = " ".join(run("match", "--profile", nothing, "--db", str(db)).output.split())
    assert "2 of 2 open jobs pass your preferences, but none asks for any of the skills" in shown


def test_every_job_listed_has_its_id(demo_db, monkeypatch):
    db, _ = demo_db
    monkeypatch.setenv("COLUMNS", "80")
    rows = json.loads(run("jobs", "--db", str(db), "--json", "-n", "20").output)
    shown = run("jobs", "--db", str(db), "-n", "20").output
    assert max(len(line) for line in shown.splitlines()) <= 80
    for row in rows:
        assert row["id"] in shown.split()
    detail = run("show", rows[0]["id"][:6], "--db", str(db)).output
    assert rows[0]["url"] in "".join(detail.split()) and rows[0]["title"] in detail


def test_match_shows_the_skills_stored_for_the_job(tmp_path):
    """Wrong answer 10: what `match` lists comes from the stored extraction, not from
    reading the ad again (here the ad's text names other skills than those stored)."""
    db = tmp_path / "db.duckdb"
    con = connect(db)
    add_jobs(con, {"Streaming Engineer": [skill("Apache Spark"), skill("Kafka", required=False)]},
             description="We run Apache HTTP Server, Excel and Tableau.")
    con.close()
    (m,) = json.loads(run("match", "--profile", write_profile(tmp_path, "skills: [Apache Spark]\n"),
                          "--db", str(db), "--json").output)
    assert m["matched"] == ["Apache Spark"] and m["missing"] == ["Kafka"]
    shown = run("match", "--profile", write_profile(tmp_path, "skills: [Apache Spark]\n"),
                "--db", str(db)).output
    assert "Apache HTTP Server" not in shown and "Tableau" not in shown


def test_deploy_without_cron_says_nothing_about_schedules(prefect_harness, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {spider: greenhouse, board: acme}\n")
    result = run("deploy", "--sources", str(sources), "--parquet", str(tmp_path / "out"), "--shards", "1",
                 "--pool", "one-off-pool")
    assert result.exit_code == 0, result.output
    assert "deployed skillscout-crawl-shard/shard-1-of-1\n" in result.output
    assert "schedul" not in result.output.lower()
    assert "Nothing runs until you start a run" in result.output
