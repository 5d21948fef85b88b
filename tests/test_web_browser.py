"""`skillscout serve` in a real browser: Debian's Chromium under Playwright against the app
running as its own process (one server and one browser for the module). Screenshots land in
test-artifacts/browser/ to be looked at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from browser import playwright_chromium
from conftest import ROOT
from playwright.sync_api import Page, sync_playwright
from webapp import ARTIFACTS, hostile_job_id, make_web_db, served

from pipeline.db import open_store
from pipeline.query import job_detail
from pipeline.status import statuses

EXAMPLE = ROOT / "data" / "profile.example.yaml"
SHOTS = ARTIFACTS / "browser"


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory) -> Iterator[tuple[str, object]]:
    where = tmp_path_factory.mktemp("browser")
    db = make_web_db(demo_db[0], where / "jobs.duckdb")
    profile = where / "me.yaml"
    shutil.copy(EXAMPLE, profile)
    with served(db, profile) as base:
        yield base, db


@pytest.fixture(scope="module")
def chromium():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = playwright_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium) -> Iterator[Page]:
    """A fresh browser context per test; everything a page says in its console or raises is
    kept, and any dialog (an alert from injected script) is recorded and dismissed."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.seen = {"console": [], "errors": [], "dialogs": []}
    page.on("console", lambda m: page.seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (page.seen["dialogs"].append(d.message), d.dismiss()))
    yield page
    context.close()


def listed(page: Page) -> list[str]:
    return page.locator("ol.jobs > li.job").evaluate_all("els => els.map(e => e.dataset.jobId)")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_browse_filter_and_open_a_job_with_its_evidence(server, page):
    base, db = server
    page.goto(base + "/")
    first = listed(page)
    assert len(first) == 20
    total = int(page.locator("#counts b").inner_text())
    shot(page, "01-matches")

    # Filter through the form as a user would: the list narrows and the URL carries the filter.
    page.fill("input[name=skill]", "pandas")
    page.select_option("select[name=remote]", "hybrid")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "skill=pandas" in page.url and "remote=hybrid" in page.url
    narrowed = listed(page)
    assert 0 < int(page.locator("#counts b").inner_text()) == len(narrowed) < total
    metas = page.locator("ol.jobs > li.job .meta").all_inner_texts()
    assert all("hybrid" in m for m in metas), metas
    shot(page, "02-filtered")

    # Open the first job: the ad with every skill the store holds marked where it occurs.
    page.locator("ol.jobs > li.job a.title").first.click()
    page.wait_for_load_state()
    job_id = page.url.rsplit("/", 1)[1]
    assert job_id == narrowed[0]
    marks = page.locator(".ad-column mark.skill:not([data-legend])")
    assert marks.count() > 0
    marked = set(marks.evaluate_all("els => els.map(e => e.dataset.skill)"))
    with open_store(db, read_only=True) as con:
        stored = {name for name, _ in job_detail(con, job_id)["skills"]}
    # Freshly crawled: every skill the store holds for the job is marked, and only those.
    assert page.locator("#evidence-drift").count() == 0
    assert marked == stored and "pandas" in marked
    # Each mark wraps the very words in the ad (the browser's text, not our HTML).
    for text, skill in marks.evaluate_all("els => els.map(e => [e.textContent, e.dataset.skill])"):
        assert text.strip(), skill
    assert page.locator("#ad mark.skill[data-required=true]").count() + \
        page.locator("#ad mark.skill[data-required=false]").count() == marks.count()
    assert "pandas" in page.locator("#score .chips").first.inner_text()
    assert page.locator("#listings a[href^=http]").count() >= 1
    shot(page, "03-job")
    assert not page.seen["errors"] and not page.seen["dialogs"]


def test_a_status_is_kept_after_a_reload(server, page):
    base, db = server
    page.goto(base + "/")
    job_id = listed(page)[1]
    page.goto(f"{base}/jobs/{job_id}")
    assert page.locator("#current-status-none").is_visible()
    page.select_option("#status-select", "applied")
    page.fill("form.status-form textarea[name=note]", "Sent CV <b>bold</b> & cover letter")
    page.click("form.status-form button[type=submit]")
    page.wait_for_load_state()
    page.reload()
    assert page.locator("#current-status").text_content() == "applied"
    assert page.locator("#current-note").inner_text() == "Sent CV <b>bold</b> & cover letter"
    assert "applied" in page.locator("#status-history").inner_text()
    shot(page, "04-status")
    with open_store(db, read_only=True) as con:
        assert {a.job_id: a.status for a in statuses(con, "Sam Example")}.get(job_id) == "applied"
    # The list says it too, and the applications page lists it.
    page.goto(base + "/")
    assert page.locator(f"li.job[data-job-id='{job_id}'] .badge.status").text_content() == "applied"
    page.goto(base + "/statuses")
    assert job_id in page.content()
    shot(page, "05-applications")


def test_hiding_a_job_takes_it_off_the_list(server, page):
    base, _ = server
    page.goto(base + "/")
    jobs = listed(page)
    victim = jobs[0]
    page.locator(f"li.job[data-job-id='{victim}'] button[data-action=hidden]").click()
    page.wait_for_load_state()
    after = listed(page)
    assert victim not in after and after[0] == jobs[1]
    page.reload()
    assert victim not in listed(page)
    # It is still there when the filter asks for hidden jobs, and can come back.
    page.goto(base + "/?status=hidden")
    assert listed(page) == [victim]
    shot(page, "06-hidden")
    page.locator(f"li.job[data-job-id='{victim}'] button[data-action=none]").click()
    page.wait_for_load_state()
    page.goto(base + "/")
    assert listed(page)[0] == victim


def test_a_hostile_ad_is_shown_as_text_and_runs_nothing(server, page):
    base, _ = server
    job_id = hostile_job_id()
    page.goto(f"{base}/jobs/{job_id}")
    ad = page.locator("#ad").inner_text()
    # The payloads are on the page as the words they are...
    assert "<script>window.__xss = 1; alert('xss')</script>" in ad
    assert "<img src=x onerror=" in ad
    assert "<script>" in page.locator("h1.ad-title").inner_text()
    # ... and none became an element, ran, or asked the browser to run it.
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onclick], [onload]').length") == 0
    links = page.evaluate("[...document.links].map(a => a.getAttribute('href'))")
    assert links and all(h.startswith(("http://", "https://", "/")) for h in links), links
    assert page.locator("#listings .unsafe-url").inner_text() == "javascript:window.__xss=5"
    # Skills are still marked inside the escaped text.
    marked = page.locator("#ad mark.skill").evaluate_all("els => els.map(e => e.dataset.skill)")
    assert {"SQL", "Python"} <= set(marked)
    shot(page, "07-hostile-job")
    # The same ad in the list (its title and company carry payloads too).
    page.goto(base + "/?q=xss")
    assert listed(page) == [job_id]
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    shot(page, "08-hostile-list")
    assert not page.seen["dialogs"] and not page.seen["errors"]
    # Not even a blocked attempt: a Content-Security-Policy report would mean markup got through.
    assert not [c for c in page.seen["console"] if "Content Security Policy" in c], page.seen["console"]


@pytest.mark.parametrize("path", ["/learn", "/learn?learn=dbt&learn=Databricks", "/trends", "/sources",
                                  "/profile", "/statuses", "/api/matches"])
def test_every_other_page_works_in_chromium(server, page, path):
    base, _ = server
    response = page.goto(base + path)
    assert response.status == 200
    assert "Traceback" not in page.content()
    assert not page.seen["errors"]
    assert not [c for c in page.seen["console"] if c.startswith("error")], page.seen["console"]
    if not path.startswith("/api"):
        name = path.strip("/").replace("?", "-").replace("&", "-").replace("=", "")
        shot(page, f"10-{name}")
