"""`skillscout serve` as a process: a crawl loads into the database while the app answers
requests (DuckDB has one writer), and the command's own checks."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import ROOT, TEST_CRAWL_SETTINGS
from typer.testing import CliRunner
from webapp import served

from flows.cli import app
from pipeline.db import open_store
from pipeline.status import statuses

EXAMPLE = ROOT / "data" / "profile.example.yaml"


def fetch(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_crawl_loads_while_the_app_serves_requests(demo_db, demo_url, demo_board, tmp_path):
    from flows.demo_board import demo_sources
    from flows.flow import crawl_flow

    db = tmp_path / "jobs.duckdb"
    shutil.copy(demo_db[0], db)
    profile = tmp_path / "me.yaml"
    shutil.copy(EXAMPLE, profile)
    with open_store(db, read_only=True) as con:
        job_id = con.execute("SELECT id FROM open_jobs ORDER BY id LIMIT 1").fetchall()[0][0]
        # the shared demo store may have been re-crawled by earlier tests
        (ok_before,), = con.execute("SELECT count(*) FROM crawl_runs WHERE status = 'ok'").fetchall()
    with served(db, profile) as base:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        code, page = fetch(opener, f"{base}/jobs/{job_id}")
        assert code == 200
        token = re.search(r'name="csrftoken" value="([0-9a-f]+)"', page).group(1)
        answers: list[tuple[str, int, bool]] = []
        written: list[str] = []
        stop = threading.Event()

        def browse() -> None:
            n = 0
            while not stop.is_set():
                for path in ("/", f"/jobs/{job_id}", "/api/matches", "/learn", "/sources"):
                    code, body = fetch(opener, base + path)
                    answers.append((path, code, "database is busy" in body))
                status = ("saved", "applied")[n % 2]
                code, body = fetch(opener, f"{base}/jobs/{job_id}/status",
                                   {"csrftoken": token, "status": status, "note": f"try {n}"})
                answers.append(("POST status", code, "database is busy" in body))
                if code == 200:  # the redirect to the job page, followed
                    written.append(status)
                n += 1
                time.sleep(0.05)

        worker = threading.Thread(target=browse)
        worker.start()
        try:
            began = len(answers)
            summary = crawl_flow(sources=demo_sources(demo_url, demo_board), db=str(db),
                                 scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
            during = answers[began:]
        finally:
            stop.set()
            worker.join(timeout=120)
        assert fetch(opener, base + "/")[0] == 200
    # The crawl loaded every source...
    assert summary["status"] == "ok", summary
    with open_store(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM crawl_runs WHERE status = 'ok'").fetchall() == [
            (ok_before + 1,)]
        kept = {a.job_id: a.status for a in statuses(con, "Sam Example")}
    # ... and every request was answered: a page, or "busy" while a load held the file.
    failures = [a for a in answers if not (a[1] == 200 or (a[1] == 503 and a[2]))]
    print("ANSWERS", len(answers), len(during), sum(a[1] == 503 for a in answers), len(written))
    assert not failures, failures
    # pages kept being served while the crawl ran (how many depends on the machine's speed)
    assert sum(code == 200 for _, code, _ in during) >= 3, during
    assert written and kept == {job_id: written[-1]}


def test_listening_everywhere_warns_and_a_taken_port_is_one_error():
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 1
    assert "warning: --host 0.0.0.0 makes the app reachable from other machines" in result.output
    assert f"error: port {port} on 0.0.0.0 is already in use: try --port {port + 1}" in result.output


def test_a_broken_profile_is_a_warning_not_a_refusal(tmp_path):
    broken = tmp_path / "me.yaml"
    broken.write_text("skills: [SQL]\nfavourite_colour: blue\n")
    with socket.socket() as taken:  # so that the command stops after its checks
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--profile", str(broken), "--port", str(port)])
    assert "warning:" in result.output and "line 2" in result.output and "favourite_colour" in result.output
    assert "fix it" in result.output and "already in use" in result.output
