"""Shared fixtures. Nothing here touches the network beyond 127.0.0.1 or the user's home:
Prefect gets a temporary PREFECT_HOME, the default database a temporary path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports Prefect: a throwaway home, no telemetry, quiet logs.
_HOME = tempfile.mkdtemp(prefix="skillscout-tests-")
os.environ["PREFECT_HOME"] = str(Path(_HOME) / "prefect")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["SKILLSCOUT_DB"] = str(Path(_HOME) / "default.duckdb")

import pytest  # noqa: E402
import yaml  # noqa: E402

from flows.crawl import read_items, run_crawl  # noqa: E402
from flows.demo_board import LOCAL_CRAWL_SETTINGS, DemoBoard, serve_demo_board  # noqa: E402
from flows.sources import Source  # noqa: E402
from pipeline.db import connect  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Scrapy in tests: no telnet or remote-control ports, no politeness delays against our own
# loopback servers.
TEST_CRAWL_SETTINGS = {**LOCAL_CRAWL_SETTINGS, "TELNETCONSOLE_ENABLED": False,
                       "REMOTE_CONTROL_ENABLED": False, "RETRY_TIMES": 1}


@pytest.fixture(scope="session")
def demo_board() -> DemoBoard:
    return DemoBoard.load()


@pytest.fixture(scope="session")
def demo_url(demo_board: DemoBoard):
    with serve_demo_board(demo_board) as url:
        yield url


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_db(prefect_harness, demo_url, demo_board, tmp_path_factory):
    """The demo board crawled once by the real flow: (database path, flow summary)."""
    from flows.demo_board import demo_sources
    from flows.flow import crawl_flow

    db = tmp_path_factory.mktemp("demo-db") / "jobs.duckdb"
    summary = crawl_flow(sources=demo_sources(demo_url, demo_board), db=str(db),
                         scrapy_settings=TEST_CRAWL_SETTINGS, crawl_retries=0)
    return db, summary


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def fresh_db(db_path: Path):
    con = connect(db_path)
    yield con
    con.close()


def crawl(spider: str, out_dir: Path, **args: str) -> list[dict]:
    """Run a spider through the real Scrapy engine (in a subprocess) and return its items."""
    output = run_crawl(Source(spider, dict(args), timeout=120), out_dir, TEST_CRAWL_SETTINGS)
    return read_items(output.items_path)


def ad_by_id(board: DemoBoard, ad_id: str) -> dict:
    return next(ad for ad in board.ads if ad["id"] == ad_id)


def kept_ads(board: DemoBoard) -> list[dict]:
    """The demo ads the flow loads by default: data/ML role families, not "other"."""
    from skills.roles import role_family

    return [ad for ad in board.ads if role_family(ad["title"]) != "other"]


def company_name(board: DemoBoard, ad: dict) -> str:
    return board.companies[ad["company"]]["name"]


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))
