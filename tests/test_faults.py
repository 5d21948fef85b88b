"""Crawls against servers that fail: each fault is handled, counted, and bounded in time
and requests. Everything runs through the real Scrapy engine in a subprocess."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import time

import pytest
from conftest import ROOT, TEST_CRAWL_SETTINGS
from fault_server import serve_faults

from flows.crawl import CrawlError, crawl_command, read_items, run_crawl
from flows.sources import Source

FAST_RETRIES = {**TEST_CRAWL_SETTINGS, "RETRY_TIMES": 3, "SKILLSCOUT_RETRY_BACKOFF_BASE": 0.2}


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def test_server_errors_are_retried_with_backoff(tmp_path):
    with serve_faults(fail_times=2) as (url, faults):
        output = run_crawl(Source("greenhouse", {"board": "flaky", "api_url": url}), tmp_path, FAST_RETRIES)
    assert output.items == 2
    hits = faults.hits("/v1/boards/flaky/jobs")
    assert len(hits) == 3  # two 500s, then the board
    first, second = gaps(hits)
    assert first >= 0.2 and second >= 0.4  # the wait doubles
    assert output.stats["retry/count"] == 2


def test_429_waits_as_long_as_retry_after_asks(tmp_path):
    with serve_faults() as (url, faults):
        output = run_crawl(Source("greenhouse", {"board": "limited", "api_url": url}), tmp_path, FAST_RETRIES)
    assert output.items == 2
    (wait,) = gaps(faults.hits("/v1/boards/limited/jobs"))
    assert wait >= 1.0
    assert output.stats["skillscout/retry_after/honoured"] == 1


def test_a_hanging_server_times_out_with_a_clear_error(tmp_path):
    settings = {**TEST_CRAWL_SETTINGS, "DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 1,
                "SKILLSCOUT_RETRY_BACKOFF_BASE": 0.1}
    began = time.monotonic()
    with serve_faults() as (url, faults), pytest.raises(CrawlError) as failure:
        run_crawl(Source("greenhouse", {"board": "hang", "api_url": url}, timeout=60), tmp_path, settings)
    assert time.monotonic() - began < 30
    assert len(faults.hits("/v1/boards/hang/jobs")) == 2  # the try and one retry, no more
    assert str(failure.value).startswith("greenhouse:hang: no items: no answer from 127.0.0.1 within 2s")
    assert failure.value.stats["downloader/request_count"] >= 2  # recorded, not an empty object


def test_a_source_past_its_own_timeout_says_what_it_waited_on(tmp_path):
    """The source's timeout, not the download's: the crawl is stopped and still reports."""
    settings = {**TEST_CRAWL_SETTINGS, "DOWNLOAD_TIMEOUT": 120, "SKILLSCOUT_STATS_INTERVAL": 1}
    with serve_faults() as (url, _), pytest.raises(CrawlError) as failure:
        run_crawl(Source("greenhouse", {"board": "hang", "api_url": url}, timeout=15), tmp_path, settings)
    message = str(failure.value)
    assert message.startswith("greenhouse:hang: did not finish within 15s (")
    assert "waiting on " in message and "/v1/boards/hang/jobs" in message and "\n" not in message
    assert failure.value.stats.get("downloader/request_count")


def test_a_dropped_connection_is_named(tmp_path):
    with serve_faults() as (url, _), pytest.raises(CrawlError) as failure:
        run_crawl(Source("greenhouse", {"board": "dropped", "api_url": url}), tmp_path,
                  {**FAST_RETRIES, "RETRY_TIMES": 1})
    assert "127.0.0.1 dropped the connection before answering" in str(failure.value)
    assert failure.value.stats["downloader/exception_count"] >= 2


def test_a_refused_connection_and_a_dns_failure_are_named(tmp_path):
    from scrapy.exceptions import CannotResolveHostError

    from scrapers.middlewares import failure_cause

    with serve_faults() as (url, _):
        closed_port = url.rsplit(":", 1)[1]
    with pytest.raises(CrawlError, match=f"connection refused by 127.0.0.1:{closed_port}"):
        run_crawl(Source("greenhouse", {"board": "x", "api_url": f"http://127.0.0.1:{closed_port}"}),
                  tmp_path, {**FAST_RETRIES, "RETRY_TIMES": 0})
    # No DNS lookup in tests (it would leave 127.0.0.1): the wording, from the exception Scrapy raises.
    assert failure_cause(CannotResolveHostError("no results"), "https://boards-api.greenhouse.io/v1/x") == (
        "DNS lookup failed for boards-api.greenhouse.io")


def test_truncated_json_is_reported_not_a_traceback(tmp_path):
    with serve_faults() as (url, _), pytest.raises(CrawlError, match="not JSON") as failure:
        run_crawl(Source("greenhouse", {"board": "truncated", "api_url": url}), tmp_path, FAST_RETRIES)
    assert "Traceback" not in str(failure.value)


@pytest.fixture(scope="module")
def site_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    with serve_faults() as (url, faults):
        output = run_crawl(Source("jobposting", {"start_url": f"{url}/site/"}), out, TEST_CRAWL_SETTINGS)
        return read_items(output.items_path), output.stats, faults


def test_good_pages_survive_the_bad_ones(site_crawl):
    items, stats, _ = site_crawl
    assert sorted(i["title"] for i in items) == ["Analyste de données à Montréal", "Good Data Analyst"]
    assert stats["finish_reason"] == "finished"


def test_a_page_over_the_size_limit_is_dropped(site_crawl):
    _, stats, faults = site_crawl
    assert faults.hits("/site/big.html")  # asked for, then abandoned at DOWNLOAD_MAXSIZE
    assert stats.get("downloader/response_status_count/200", 0) < stats["downloader/request_count"]


def test_redirect_loops_are_bounded(site_crawl):
    _, _, faults = site_crawl
    assert 2 <= len(faults.hits("/site/loop-a")) + len(faults.hits("/site/loop-b")) <= 25


def test_links_off_the_site_are_not_followed(site_crawl):
    _, stats, faults = site_crawl
    assert faults.hits("/secret") == []
    assert stats["offsite/filtered"] == 1  # the redirect to another host


def test_api_redirects_into_private_networks_are_blocked(tmp_path):
    with serve_faults() as (url, faults), pytest.raises(CrawlError):
        run_crawl(Source("greenhouse", {"board": "escape", "api_url": url}), tmp_path, FAST_RETRIES)
    assert faults.hits("/secret") == []  # 127.0.0.2 was never asked


def test_an_interrupted_crawl_resumes_without_duplicates(tmp_path):
    """Ctrl-C a crawl that keeps its state in JOBDIR, run it again: every job once."""
    jobdir = tmp_path / "jobdir"
    settings = {**TEST_CRAWL_SETTINGS, "JOBDIR": str(jobdir), "CONCURRENT_REQUESTS": 2,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings", "PYTHONPATH": str(ROOT)}
    with serve_faults(slow_pages=30, slow_delay=0.3) as (url, faults):
        source = Source("jobposting", {"start_url": f"{url}/site/"})
        first = subprocess.Popen(crawl_command(source, tmp_path / "first.jsonl", tmp_path / "first.json",
                                               tmp_path / "first.log", settings), cwd=tmp_path, env=env)
        deadline = time.monotonic() + 30
        while len([p for _, p in faults.requests if p.startswith("/site/slow/")]) < 6:
            assert time.monotonic() < deadline, "the first crawl never got going"
            time.sleep(0.1)
        first.send_signal(signal.SIGINT)  # a graceful stop, as Ctrl-C does
        assert first.wait(timeout=60) == 0
        subprocess.run(crawl_command(source, tmp_path / "second.jsonl", tmp_path / "second.json",
                                     tmp_path / "second.log", settings),
                       cwd=tmp_path, env=env, check=True, timeout=120)
    first_items = read_items(tmp_path / "first.jsonl")
    second_items = read_items(tmp_path / "second.jsonl")
    ids = [i["source_id"] for i in first_items + second_items]
    assert 0 < len(first_items) < 32 and len(second_items) > 0
    assert len(ids) == len(set(ids)) == 32  # 30 slow jobs + two good pages, each once
    assert json.loads((tmp_path / "first.json").read_text())["finish_reason"] == "shutdown"

