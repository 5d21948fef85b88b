"""The HTML report: scraped text is escaped, and the page renders its charts in a real
headless browser (Debian's Chromium), which also leaves a screenshot in test-artifacts/."""

from __future__ import annotations

import shutil
from datetime import datetime
from html import escape

from browser import Browser
from conftest import ROOT
from test_match import TODAY, skill

from pipeline.db import open_store
from pipeline.load import load_items
from pipeline.profile import Profile, load_profile
from pipeline.report import build_report
from pipeline.trends import take_snapshot

ARTIFACTS = ROOT / "test-artifacts"
EVIL = '<script>alert("owned")</script><img src=x onerror=alert(1)>'


def test_scraped_text_is_escaped(fresh_db):
    load_items(fresh_db, [{
        "source": "test", "source_id": "1", "url": "javascript:alert(1)", "title": f"Data Analyst {EVIL}",
        "company": f"Acme {EVIL}", "location": "Leeds, GB", "country": "GB", "remote": "hybrid",
        "posted_at": TODAY, "description": EVIL,
        "skills": [skill("SQL"), {**skill("Python"), "name": f"Python{EVIL}"}],
    }], run_id="r1", origin="test")
    page = build_report(fresh_db, Profile.from_skills(["SQL"], name=f"Sam {EVIL}"))
    assert "<script" not in page.lower()
    assert "onerror=" not in page.replace("onerror=alert(1)&gt;", "")  # only escaped copies remain
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page  # only http(s) links are linked


def test_report_renders_in_a_browser(demo_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db[0], db)  # the shared store stays as the flow left it
    profile = load_profile(ROOT / "data" / "profile.example.yaml")
    with open_store(db) as con:
        take_snapshot(con, "second-run", datetime(2030, 1, 1))  # a second point of trend history
        page = build_report(con, profile)
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    browser = Browser()
    try:
        browser.open(report.as_uri())
        drawn = browser.evaluate("""(() => {
            const drawn = r => r.getBoundingClientRect().width > 0 && r.getBoundingClientRect().height > 0;
            const bars = name => [...document.querySelectorAll(`svg.chart-${name} rect.bar`)]
                .filter(drawn).length;
            return {learn: bars('learn-next'), demand: bars('demand'), salary: bars('salary'),
                    lines: document.querySelectorAll('svg.chart-trends polyline.series').length,
                    matches: document.querySelectorAll('#matches .match').length,
                    scripts: document.querySelectorAll('script').length,
                    width: document.documentElement.scrollWidth};
        })()""")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "report.png"
        browser.screenshot(shot)
    finally:
        browser.close()
    assert drawn["learn"] >= 5 and drawn["demand"] >= 10 and drawn["salary"] >= 3, drawn
    assert drawn["lines"] >= 1 and drawn["matches"] == 15 and drawn["scripts"] == 0, drawn
    assert drawn["width"] <= 1280  # nothing overflows the page sideways
    assert shot.stat().st_size > 50_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_command_writes_the_page(demo_db, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    db, _ = demo_db
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "Best matches" in html
    # Self-contained: no scripts, stylesheets or images fetched from anywhere.
    assert 'src="' not in html and "<link" not in html and "@import" not in html


def test_links_still_work_after_the_demo_board_stopped(demo_db):
    """The demo's ads live on a local port that is gone once the demo ends: the report links
    each of those to the ad as stored on the page itself; a posting online keeps its link."""
    import re

    from pipeline.match import rank

    db, _ = demo_db
    profile = load_profile(ROOT / "data" / "profile.example.yaml")
    with open_store(db, read_only=True) as con:
        page = build_report(con, profile, top=5)
        matches = rank(con, profile, limit=5)
        texts = dict(con.execute("SELECT id, description FROM jobs").fetchall())
    assert "127.0.0.1" not in "".join(re.findall(r'href="([^"]*)"', page))
    for n, m in enumerate(matches, 1):
        assert f'href="#ad-{n}"' in page and f'<details id="ad-{n}">' in page
        first_line = texts[m.id].strip().splitlines()[0]
        assert escape(first_line) in page


def test_an_online_posting_keeps_its_link(fresh_db):
    load_items(fresh_db, [{"source": "t", "source_id": "1", "url": "https://jobs.example.com/1?a=1&b=2",
                           "title": "Data Analyst", "description": "SQL every day.", "posted_at": TODAY,
                           "skills": [skill("SQL")]}], run_id="r1", origin="t")
    page = build_report(fresh_db, Profile.from_skills(["SQL"]))
    assert 'href="https://jobs.example.com/1?a=1&amp;b=2"' in page and "SQL every day." in page
