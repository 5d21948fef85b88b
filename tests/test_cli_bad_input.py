"""Bad input on the command line: each case is one `error:` line naming the cause, exit code
1, found before any slow work (the crawl flow is never reached), and nothing stored changes.

Terminals are 80 columns here ($COLUMNS): an error must not wrap onto a second line."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_match import add_jobs, skill
from typer.testing import CliRunner

from flows import cli
from flows.cli import app
from pipeline.db import connect
from pipeline.trends import take_snapshot

runner = CliRunner()
PROFILE = ROOT / "data" / "profile.example.yaml"


@pytest.fixture(autouse=True)
def narrow_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def no_flow(monkeypatch):
    """Fails the test if a command gets as far as starting the crawl flow (and Prefect)."""
    def started(**kwargs):
        raise AssertionError("the crawl flow started before the bad input was noticed")
    monkeypatch.setattr(cli, "_run_flow", started)


def one_error(result, *expected: str) -> str:
    """The single line a failed command printed; checks exit code 1 and the words in it."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1, f"expected one line, got:\n{result.output}"
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output
    for words in expected:
        assert words in lines[0], lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small_store(tmp_path) -> Path:
    """A store with a few jobs and two crawls of history."""
    from datetime import datetime

    db = tmp_path / "store.duckdb"
    con = connect(db)
    add_jobs(con, {"Data Analyst": [skill("SQL"), skill("Python")], "BI Developer": [skill("Power BI")]})
    take_snapshot(con, "first", datetime(2026, 11, 1))
    take_snapshot(con, "second", datetime(2026, 11, 8))
    con.close()
    return db


def sources_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    return path


def test_crawl_into_a_file_that_is_not_a_database(tmp_path, no_flow):
    db = tmp_path / "notaduckdb.txt"
    db.write_text("my shopping list\n")
    result = runner.invoke(app, ["crawl", "--sources", str(ROOT / "data" / "sources.yaml"), "--db", str(db)])
    one_error(result, str(db), "is not a DuckDB database")
    assert db.read_text() == "my shopping list\n"


def test_crawl_with_no_network_is_one_line_before_the_flow(small_store, no_flow, monkeypatch):
    """Offline, the crawl started Prefect and every source's process, then printed its
    failures after a minute and more: no host resolving is known in a fraction of a second."""
    import socket

    asked: list[str] = []

    def no_dns(host, *args, **kwargs):  # what getaddrinfo says on a machine with no network
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    before = digest(small_store)
    line = one_error(runner.invoke(app, ["crawl", "--db", str(small_store)]),
                     "offline?", "DNS lookup failed for all 7 hosts", "api.ashbyhq.com")
    assert len(line) <= 80 and "boards-api.greenhouse.io" in asked
    assert digest(small_store) == before


def test_crawl_goes_ahead_when_some_host_resolves(tmp_path, monkeypatch):
    """A source whose host is gone among ones that answer is the crawl's per-source report."""
    import socket

    from flows.sources import hosts_that_do_not_resolve, load_sources

    real = socket.getaddrinfo

    def only_lever_is_gone(host, *args, **kwargs):
        if host == "api.lever.co":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real("127.0.0.1", *args, **kwargs)  # never a real lookup in tests
    monkeypatch.setattr(socket, "getaddrinfo", only_lever_is_gone)
    assert hosts_that_do_not_resolve(load_sources(ROOT / "data" / "sources.yaml")) == []


def _make_read_only(folder: Path) -> None:
    """chmod is enough for a normal user; root ignores it, so make the folder immutable too."""
    folder.chmod(0o555)
    probe = folder / ".probe"
    try:
        probe.touch()
    except OSError:
        return
    probe.unlink()
    subprocess.run(["chattr", "+i", str(folder)], check=True)


def _undo_read_only(folder: Path) -> None:
    subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_crawl_into_a_read_only_folder(tmp_path, no_flow):
    folder = tmp_path / "locked"
    folder.mkdir()
    _make_read_only(folder)
    try:
        result = runner.invoke(app, ["crawl", "--sources", str(ROOT / "data" / "sources.yaml"),
                                     "--db", str(folder / "jobs.duckdb")])
        one_error(result, str(folder), "not writable")
        assert list(folder.iterdir()) == []
    finally:
        _undo_read_only(folder)


def test_crawl_into_a_busy_database(small_store, no_flow):
    holder = subprocess.Popen(  # another process writing to the store, as a running crawl would
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); sys.stdin.read()", str(small_store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        one_error(runner.invoke(app, ["crawl", "--db", str(small_store)]), "database is busy",
                  str(small_store))
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


@pytest.mark.parametrize(("text", "expected"), [
    ("sources: [{spider: greenhouse}]\n", ["source #1 (greenhouse)", "needs `board:`"]),
    ("sources: [{spider: jobposting}]\n", ["source #1 (jobposting)", "start_url"]),
    ("sources: [{spider: htmlboard, start_url: 'https://jobs.example.org/'}]\n",
     ["source #1 (htmlboard)", "selectors"]),
    ("sources: [{spider: greenhouse, board: acme, api_url: 'http://169.254.169.254/latest/'}]\n",
     ["169.254.169.254", "link-local", "SKILLSCOUT_ALLOW_LINK_LOCAL"]),
    ("sources: [{spider: jobposting, start_url: 'http://metadata.google.internal/'}]\n",
     ["metadata.google.internal", "link-local"]),
    ("sources: [{spider: jobposting, start_url: 'http://192.168.1.20/jobs/'}]\n",
     ["192.168.1.20", "private", "allow_private: true"]),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "sources: [{spider: greenhouse, board: acme}]\n", ["line 2", "aliases"]),
])
def test_broken_sources_fail_before_crawling(tmp_path, no_flow, text, expected):
    db = tmp_path / "db.duckdb"
    result = runner.invoke(app, ["crawl", "--sources", str(sources_file(tmp_path, text)), "--db", str(db)])
    one_error(result, *expected)
    assert not db.exists()


def test_a_private_source_that_says_so_is_accepted(tmp_path):
    from flows.sources import load_sources

    (source,) = load_sources(sources_file(tmp_path, "sources: [{spider: jobposting, "
                                          "start_url: 'http://192.168.1.20/jobs/', allow_private: true}]\n"))
    assert "allow_private" not in source.args  # a setting of ours, not a spider argument


def test_link_local_is_allowed_only_when_the_setting_says_so(tmp_path, monkeypatch):
    from flows.sources import load_sources

    path = sources_file(tmp_path, "sources: [{spider: greenhouse, board: a, api_url: 'http://169.254.1.1/'}]\n")
    monkeypatch.setenv("SKILLSCOUT_ALLOW_LINK_LOCAL", "1")
    assert load_sources(path)[0].args["api_url"] == "http://169.254.1.1/"


def test_the_crawl_refuses_a_configured_link_local_host(tmp_path):
    """The crawl's own middleware agrees with the sources check: a spider pointed at the
    cloud metadata address is stopped before any request leaves (no network here)."""
    from conftest import TEST_CRAWL_SETTINGS

    from flows.crawl import CrawlError, run_crawl
    from flows.sources import Source

    source = Source("greenhouse", {"board": "acme", "api_url": "http://169.254.169.254"}, timeout=120)
    with pytest.raises(CrawlError, match="no items"):
        run_crawl(source, tmp_path, {**TEST_CRAWL_SETTINGS, "ROBOTSTXT_OBEY": False})
    stats = json.loads((tmp_path / f"{source.slug}.stats.json").read_text())
    assert stats["skillscout/blocked/private_address"] >= 1
    assert not stats.get("downloader/request_count")


@pytest.mark.parametrize(("text", "expected"), [
    ("skills: [SQL]\npreferences: {countries: [GB, US], min_salary: 40000}\n",
     ["line 2", "min_salary 40000 has no currency", "GB, US"]),
    ("skills: [SQL]\npreferences: {min_salary: {amount: 40000}}\n",
     ["min_salary 40000 has no currency", "names no countries"]),
    ("name: &n Sam\nalias: *n\nskills: [SQL]\n", ["line 2", "aliases"]),
    ("skills: [SQL]\npreferences: {min_salary: .inf, countries: [GB]}\n", ["min_salary"]),
    ("skills:\n" + "".join(f"  - made-up skill {n}\n" for n in range(10_000)),
     ["10,000 skills listed", "at most 500"]),
])
def test_broken_profiles(tmp_path, small_store, text, expected):
    profile = tmp_path / "me.yaml"
    profile.write_text(text)
    before = digest(small_store)
    one_error(runner.invoke(app, ["match", "--profile", str(profile), "--db", str(small_store)]), *expected)
    assert digest(small_store) == before


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path, small_store):
    # Nine levels of nine: expanded, a billion strings.
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    profile = tmp_path / "bomb.yaml"
    profile.write_text("\n".join(lines) + "\nskills: [SQL]\n")
    one_error(runner.invoke(app, ["match", "--profile", str(profile), "--db", str(small_store)]), "aliases")
    sources = sources_file(tmp_path, "\n".join(lines) + "\nsources: [{spider: greenhouse, board: a}]\n")
    one_error(runner.invoke(app, ["crawl", "--sources", str(sources), "--db", str(small_store)]), "aliases")


def test_many_unknown_skills_are_summarised(tmp_path, small_store):
    profile = tmp_path / "me.yaml"
    profile.write_text("skills:\n  - SQL\n" + "".join(f"  - zorblaxian skill {n}\n" for n in range(400)))
    result = runner.invoke(app, ["match", "--profile", str(profile), "--db", str(small_store), "--json"])
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 11  # ten with suggestions, then one line for the rest
    assert "390 more unknown skills ignored" in warnings[-1]


@pytest.mark.parametrize(("args", "expected"), [
    (["jobs", "--min-salary", "-1"], "--min-salary"),
    (["jobs", "--min-salary", "40000"], "--min-salary needs --currency"),
    (["jobs", "--min-salary", "inf"], "--min-salary"),
    (["jobs", "--min-salary", "nan"], "--min-salary"),
    (["jobs", "--limit", "0"], "--limit"),
    (["jobs", "--currency", "pounds"], "--currency"),
    (["jobs", "--since", "last week"], "not a date"),
    (["jobs", "--remote", "sometimes"], "--remote"),
    (["gaps", "--threshold", "2"], "--threshold"),
    (["match", "--json", "--csv"], "--json and --csv"),
    (["jobs", "--json", "--csv"], "--json and --csv"),
    (["match", "--no-such-option"], "No such option"),
    (["trends", "--skill", "nosuchskill"], "unknown skill 'nosuchskill'"),
    (["trends", "--skill", "pytorh"], "did you mean PyTorch"),
    (["jobs", "--skill", "pytorh"], "did you mean PyTorch"),
    (["show", "ffffffffffff"], "no stored job has id"),
])
def test_bad_options(small_store, args, expected):
    before = digest(small_store)
    one_error(runner.invoke(app, [*args, "--db", str(small_store)]), expected)
    assert digest(small_store) == before


def test_an_unknown_skill_in_trends_is_an_error_even_with_history(small_store):
    """Wrong answer 5: with two crawls stored, a typo used to print "No crawl history yet"
    and exit 0."""
    line = one_error(runner.invoke(app, ["trends", "--skill", "sqll", "--db", str(small_store)]))
    assert "did you mean SQL" in line
    ok = runner.invoke(app, ["trends", "--skill", "sql", "--db", str(small_store), "--json"])
    assert ok.exit_code == 0 and [t["skill"] for t in json.loads(ok.output)] == ["SQL"]


def test_extract_names_the_line_and_the_json_error(tmp_path):
    broken = '{"id": 2, "text": "Python" "dbt"}'
    with pytest.raises(json.JSONDecodeError) as parsing:
        json.loads(broken)
    src = tmp_path / "ads.jsonl"
    src.write_text(f'{{"id": 1, "text": "SQL"}}\n\n{broken}\n')
    line = one_error(runner.invoke(app, ["extract", "--jsonl", str(src)]), f"{src}, line 3: not valid JSON: ")
    assert line.endswith(str(parsing.value))  # in full: what, and where in the line
    assert "column 28" in line


def test_schedule_checks_the_cron_expression_before_serving(tmp_path):
    sources = sources_file(tmp_path, "sources: [{spider: greenhouse, board: acme}]\n")
    result = runner.invoke(app, ["schedule", "--sources", str(sources), "--cron", "every morning",
                                 "--db", str(tmp_path / "db.duckdb")])
    one_error(result, "not a valid cron expression: 'every morning'")
    assert "Serving" not in result.output


def test_schedule_checks_the_server_before_serving(tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    sources = sources_file(tmp_path, "sources: [{spider: greenhouse, board: acme}]\n")
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        result = runner.invoke(app, ["schedule", "--sources", str(sources), "--cron", "0 6 * * *",
                                     "--db", str(tmp_path / "db.duckdb")])
    one_error(result, "no Prefect server answers")
    assert "Serving" not in result.output


def test_demo_into_a_broken_database_fails_before_serving(tmp_path):
    db = tmp_path / "notaduckdb.txt"
    db.write_text("hello")
    result = runner.invoke(app, ["demo", "--db", str(db)])
    one_error(result, "is not a DuckDB database")
    assert "Serving the demo board" not in result.output
