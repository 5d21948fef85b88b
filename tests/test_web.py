"""`skillscout serve` through an ASGI client: every page and its JSON twin on the crawled demo
board, filters, statuses, the profile editor, the security rules, and the empty, broken and
busy states. (tests/test_web_browser.py drives the same app in Chromium.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings

import pytest
from conftest import ROOT
from webapp import hostile_job_id, make_web_db

from flows.web.app import WebConfig, create_app
from flows.web.profile_file import ProfileFile
from pipeline.browse import SHOWN_SCORE
from pipeline.db import open_store
from pipeline.match import rank
from pipeline.status import statuses

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette would like httpx2 for its test client; httpx works
    from starlette.testclient import TestClient

EXAMPLE = ROOT / "data" / "profile.example.yaml"
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def web_template(demo_db, tmp_path_factory):
    return make_web_db(demo_db[0], tmp_path_factory.mktemp("web") / "template.duckdb")


@pytest.fixture
def site(web_template, tmp_path):
    db = tmp_path / "jobs.duckdb"
    shutil.copy(web_template, db)
    profile = tmp_path / "me.yaml"
    shutil.copy(EXAMPLE, profile)
    client = TestClient(create_app(WebConfig(db=db, profile=profile)), base_url=BASE)
    client.db, client.profile = db, profile
    return client


def token(page_html: str) -> str:
    return re.search(r'name="csrftoken" value="([0-9a-f]{64})"', page_html).group(1)


def profile_for(client):
    return ProfileFile(client.profile, client.profile).current().profile


def listed_ids(page_html: str) -> list[str]:
    return re.findall(r'<li class="job[^"]*" data-job-id="([0-9a-f]+)"', page_html)


@pytest.mark.parametrize("path", ["/", "/statuses", "/learn", "/learn?learn=Databricks", "/trends",
                                  "/sources", "/profile", "/?status=any", "/?skill=sql&remote=hybrid&page=1"])
def test_every_page_renders(site, path):
    r = site.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text and "Undefined" not in r.text


def test_the_list_is_the_ranking_of_skillscout_match(site):
    page = site.get("/").text
    with open_store(site.db, read_only=True) as con:
        expected = [m.id for m in rank(con, profile_for(site), limit=20, min_score=SHOWN_SCORE)]
    assert listed_ids(page) == expected
    api = site.get("/api/matches").json()["matches"]
    assert [j["id"] for j in api["jobs"]] == expected
    assert api["total"] > 20 and api["pages"] == 2 and api["eligible_jobs"] <= api["open_jobs"]
    second = listed_ids(site.get("/?page=2").text)
    assert second and not set(second) & set(expected)
    assert len(expected) + len(second) == api["total"]


def test_filters_narrow_the_list_as_skillscout_jobs_does(site):
    api = site.get("/api/matches", params={"skill": "sklearn", "remote": "hybrid", "page": 1}).json()
    assert not api["errors"]
    ids = [j["id"] for j in api["matches"]["jobs"]]
    with open_store(site.db, read_only=True) as con:
        for job_id in ids:
            assert con.execute("SELECT remote FROM jobs WHERE id = ?", [job_id]).fetchall() == [("hybrid",)]
            assert con.execute("SELECT count(*) FROM job_skills WHERE job_id = ? AND skill = 'scikit-learn'",
                               [job_id]).fetchall() == [(1,)]
    everything = site.get("/api/matches").json()["matches"]["total"]
    assert 0 < len(ids) < everything
    role = site.get("/api/matches", params={"role": "data scientist"}).json()["matches"]["jobs"]
    assert role
    with open_store(site.db, read_only=True) as con:
        families = {con.execute("SELECT role_family FROM jobs WHERE id = ?", [j["id"]]).fetchall()[0][0]
                    for j in role}
    assert families == {"data scientist"}


@pytest.mark.parametrize(("params", "message"), [
    ({"skill": "sqll"}, "unknown skill 'sqll'"),
    ({"remote": "mars"}, "workplace is remote, hybrid or onsite"),
    ({"country": "Britain"}, "two-letter code"),
    ({"min_pay": "lots"}, "minimum pay is a number"),
    ({"since": "yesterday"}, "YYYY-MM-DD"),
    ({"status": "maybe"}, "unknown status 'maybe'"),
])
def test_bad_filters_say_why_and_the_rest_still_shows(site, params, message):
    r = site.get("/", params=params)
    assert r.status_code == 200 and message in r.text.replace("&#39;", "'")
    assert listed_ids(r.text)
    assert message in " ".join(site.get("/api/matches", params=params).json()["errors"])


def test_min_pay_uses_the_profiles_currency(site):
    jobs = site.get("/api/matches", params={"min_pay": "60000"}).json()["matches"]["jobs"]
    with open_store(site.db, read_only=True) as con:
        for j in jobs:
            (pay, currency), = con.execute("SELECT salary_annual_max, salary_currency FROM jobs WHERE id = ?",
                                           [j["id"]]).fetchall()
            assert currency == "GBP" and pay >= 60000


def test_a_job_page_marks_every_skill_where_the_ad_asks_for_it(site):
    job_id = listed_ids(site.get("/").text)[0]
    page = site.get(f"/jobs/{job_id}").text
    marks = re.findall(r'<mark class="skill" data-skill="([^"]+)" data-required="(true|false)"', page)
    with open_store(site.db, read_only=True) as con:
        stored = dict(con.execute("SELECT skill, required FROM job_skills WHERE job_id = ?",
                                  [job_id]).fetchall())
    assert {s: r == "true" for s, r in marks} == stored
    api = site.get(f"/api/jobs/{job_id}").json()
    description = api["job"]["description"]
    for span in api["evidence"]["spans"]:
        text = description if span["part"] == "description" else api["job"]["title"]
        assert text[span["start"]:span["end"]]
    assert api["match"]["id"] == job_id and api["match"]["score"] > 0
    assert {s["name"] for s in api["skills"]} == set(stored)
    assert len(api["history"]["listings"]) >= 1
    # Why: each skill's weight in the score and its points, which add up to the score.
    contributions = api["match"]["contributions"]
    assert {c["skill"] for c in contributions} == set(stored)
    assert sum(c["points"] for c in contributions) == pytest.approx(api["match"]["score"], abs=0.002)
    rows = re.findall(r'<tr class="(have|part|miss)"><td>([^<]+)', page.split('class="why"')[1])
    assert [name.strip() for _, name in rows] == [c["skill"] for c in contributions]


def post_status(client, job_id, **form):
    page = client.get(f"/jobs/{job_id}").text
    return client.post(f"/jobs/{job_id}/status", data={"csrftoken": token(page), **form},
                       follow_redirects=False)


def test_setting_a_status_is_stored_and_shown(site):
    job_id = listed_ids(site.get("/").text)[1]
    r = post_status(site, job_id, status="applied", note="Phoned <Jo> on Monday")
    assert r.status_code == 303 and r.headers["location"] == f"/jobs/{job_id}"
    page = site.get(f"/jobs/{job_id}").text
    assert 'id="current-status">applied<' in page and "Phoned &lt;Jo&gt; on Monday" in page
    with open_store(site.db, read_only=True) as con:
        [a] = statuses(con, "Sam Example")
    assert (a.job_id, a.status, a.note) == (job_id, "applied", "Phoned <Jo> on Monday")
    assert site.get("/api/statuses").json()["applications"][0]["status"] == "applied"
    assert job_id in listed_ids(site.get("/?status=applied").text)
    assert site.get("/statuses").text.count("Phoned &lt;Jo&gt; on Monday") == 1


def test_a_hidden_job_leaves_the_list_unless_asked_for(site):
    first = listed_ids(site.get("/").text)[0]
    r = post_status(site, first, status="hidden", next="/?remote=")
    assert r.status_code == 303 and r.headers["location"] == "/?remote="
    assert first not in listed_ids(site.get("/").text)
    assert first in listed_ids(site.get("/?status=hidden").text)
    assert first in listed_ids(site.get("/?status=all").text)
    post_status(site, first, status="none")
    assert listed_ids(site.get("/").text)[0] == first


@pytest.mark.parametrize(("form", "code", "message"), [
    ({"status": "accepted"}, 400, "unknown status"),
    ({"status": "saved", "note": "x" * 2001}, 400, "keep it under"),
])
def test_bad_status_values_are_refused(site, form, code, message):
    job_id = listed_ids(site.get("/").text)[0]
    r = post_status(site, job_id, **form)
    assert r.status_code == code and message in r.text
    with open_store(site.db, read_only=True) as con:
        assert statuses(con, "Sam Example") == []


def test_posts_need_the_csrf_token_and_this_origin(site):
    job_id = listed_ids(site.get("/").text)[0]
    page = site.get(f"/jobs/{job_id}").text
    good = token(page)
    for data, headers in [({"status": "saved"}, {}),
                          ({"status": "saved", "csrftoken": "0" * 64}, {}),
                          ({"status": "saved", "csrftoken": good}, {"Origin": "http://evil.example"}),
                          ({"status": "saved", "csrftoken": good}, {"Origin": "null"})]:
        r = site.post(f"/jobs/{job_id}/status", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 403
    # A token only fits its own cookie: another browser's cookie with this token fails.
    other = TestClient(site.app, base_url=BASE)
    other.get("/")
    r = other.post(f"/jobs/{job_id}/status", data={"status": "saved", "csrftoken": good},
                   follow_redirects=False)
    assert r.status_code == 403
    r = site.post("/profile", data={"text": "name: x\nskills: [SQL]\n"}, follow_redirects=False)
    assert r.status_code == 403 and site.profile.read_text() == EXAMPLE.read_text()
    with open_store(site.db, read_only=True) as con:
        assert statuses(con, "Sam Example") == []
    assert post_status(site, job_id, status="saved").status_code == 303


def test_security_headers_and_hosts(site):
    r = site.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "same-origin"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert site.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert site.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_a_hostile_ad_is_only_text(site):
    job_id = hostile_job_id()
    page = site.get(f"/jobs/{job_id}").text
    assert "<script" not in page and "<img" not in page and "onerror=\"" not in page
    assert "&lt;script&gt;window.__xss = 1" in page and "&lt;img src=x onerror=" in page
    assert 'href="javascript:' not in page and "javascript:window.__xss=5" in page  # shown, not linked
    assert re.search(r'<mark class="skill" data-skill="SQL" data-required="true"', page)
    listing = site.get("/", params={"q": "xss"}).text
    assert hostile_job_id() in listed_ids(listing) and "<script" not in listing and "<img" not in listing
    assert site.get(f"/api/jobs/{job_id}").json()["job"]["description"].count("<script>") == 1


def test_the_profile_editor_checks_with_the_same_parser(site):
    page = site.get("/profile").text
    assert "Sam Example" in page
    broken = EXAMPLE.read_text().replace("  - Git\n", "  - Git: forty\n")
    r = site.post("/profile", data={"text": broken, "csrftoken": token(page)}, follow_redirects=False)
    line = broken.splitlines().index("  - Git: forty") + 1
    assert r.status_code == 400
    assert f"line {line}: skill &#39;Git&#39;: years should be a number" in r.text
    assert f"Line {line}:" in r.text and site.profile.read_text() == EXAMPLE.read_text()
    r = site.post("/profile", data={"text": "name: [unclosed\n", "csrftoken": token(page)})
    assert r.status_code == 400 and "line 2" in r.text and "not valid YAML" in r.text
    mine = EXAMPLE.read_text().replace("name: Sam Example", "name: Jo Analyst")
    mine = mine.replace("  - Git\n", "  - dbt\n")
    r = site.post("/profile", data={"text": mine, "csrftoken": token(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/profile?saved=1"
    assert site.profile.read_text() == mine
    assert "for Jo Analyst" in site.get("/").text
    assert "dbt" in site.get("/api/profile").json()["skills"]


def test_the_example_profile_is_never_overwritten(web_template, tmp_path):
    saved = tmp_path / "data" / "profile.yaml"
    client = TestClient(create_app(WebConfig(db=web_template, user_profile=saved)), base_url=BASE)
    page = client.get("/profile").text
    assert "example profile" in page
    text = EXAMPLE.read_text().replace("name: Sam Example", "name: Jo")
    assert client.post("/profile", data={"text": text, "csrftoken": token(page)}).status_code == 200
    assert saved.read_text() == text and EXAMPLE.read_text() != text
    assert "example profile" not in client.get("/").text


def test_without_a_database(tmp_path):
    client = TestClient(create_app(WebConfig(db=tmp_path / "none.duckdb", profile=EXAMPLE)), base_url=BASE)
    for path in ("/", "/learn", "/trends", "/sources", "/statuses", "/jobs/0123456789abcdef"):
        r = client.get(path)
        assert r.status_code == 200 and "No database yet" in r.text and "skillscout demo" in r.text
    assert client.get("/api/matches").status_code == 503
    assert client.get("/profile").status_code == 200
    assert not (tmp_path / "none.duckdb").exists()


def test_without_a_profile_and_with_a_broken_one(web_template, tmp_path):
    missing = TestClient(create_app(WebConfig(db=web_template, profile=tmp_path / "me.yaml")), base_url=BASE)
    page = missing.get("/").text
    assert "No profile at" in page and "Matches need a usable profile" in page
    assert "example" in missing.get("/profile").text  # the editor starts from the example
    job_page = missing.get(f"/jobs/{hostile_job_id()}")
    assert job_page.status_code == 200 and "<mark class=\"skill\"" in job_page.text
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Jo\nskills:\n  - SQL\npreferences:\n  remote: [moon]\n")
    client = TestClient(create_app(WebConfig(db=web_template, profile=broken)), base_url=BASE)
    page = client.get("/").text
    assert "Your profile cannot be used" in page and "line 5" in page
    assert client.get("/api/profile").json()["error_line"] == 5
    assert client.get("/learn").status_code == 200


def test_no_matches_says_why(web_template, tmp_path):
    picky = tmp_path / "picky.yaml"
    picky.write_text("name: Picky\nskills: [SQL]\npreferences:\n  countries: [JP]\n")
    client = TestClient(create_app(WebConfig(db=web_template, profile=picky)), base_url=BASE)
    page = client.get("/").text
    assert 'id="no-matches"' in page and "passes the preferences" in page
    assert client.get("/api/matches").json()["matches"]["total"] == 0


def test_a_busy_database_is_said_in_the_page(site):
    holder = subprocess.Popen(  # a crawl's load holding the file for writing
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); sys.stdin.read()", str(site.db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = site.get("/")
        assert r.status_code == 503 and "database is busy" in r.text and r.headers["retry-after"] == "5"
        assert site.get("/api/matches").json()["state"] == "busy"
        page = site.get("/profile").text  # the profile page needs no database
        r = site.post(f"/jobs/{hostile_job_id()}/status", data={"status": "saved", "csrftoken": token(page)})
        assert r.status_code == 503 and "was not saved" in r.text
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert site.get("/").status_code == 200


def test_unknown_job(site):
    assert site.get("/jobs/0000000000000000").status_code == 404
    assert site.get("/api/jobs/0000000000000000").status_code == 404
    assert site.get(f"/jobs/{hostile_job_id()[:6]}").status_code == 404  # links carry full ids
