"""End-to-end ranking evaluation: the demo board crawled, extracted and loaded by
skillscout itself (no hand labels in between), then ranked for each persona."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flows.crawl import read_items, run_crawl
from flows.demo_board import LOCAL_CRAWL_SETTINGS, DemoBoard, demo_sources, serve_demo_board
from flows.sources import parse_sources
from pipeline import runs
from pipeline.db import open_store
from pipeline.extraction import extract_feed
from pipeline.loading import SourceCrawl, after_load, load_source
from pipeline.ranking_eval import RankingScores, evaluate_rankings, load_personas


def build_demo_store(db: Path, board: DemoBoard | None = None) -> None:
    """Crawl the demo board into `db` with the library calls the flow's tasks make (no
    Prefect server needed)."""
    board = board or DemoBoard.load()
    with serve_demo_board(board) as base_url, tempfile.TemporaryDirectory() as tmp:
        run_id = "eval"
        from datetime import UTC, datetime

        started = datetime.now(UTC).replace(tzinfo=None)
        with open_store(db) as con:
            runs.start_run(con, run_id, started, 0)
        for source in parse_sources(demo_sources(base_url, board)):
            output = run_crawl(source, Path(tmp), LOCAL_CRAWL_SETTINGS)
            extracted = extract_feed(read_items(output.items_path),
                                     output.items_path.with_suffix(".skills.jsonl"), keep=source.keeps)
            with open_store(db) as con:
                load_source(con, run_id, SourceCrawl(output.source, output.spider, read_items(extracted.path),
                                                     output.items, output.stats), started)
        with open_store(db) as con:
            after_load(con, run_id)


def demo_ad_ids(db: Path, board: DemoBoard | None = None) -> dict[str, str]:
    """Stored job id → demo-board ad id, through the sources each job was seen on."""
    board = board or DemoBoard.load()
    by_greenhouse = {str(ad.get("greenhouse_id")): ad["id"] for ad in board.ads if ad.get("greenhouse_id")}
    out: dict[str, str] = {}
    with open_store(db, read_only=True) as con:
        for source, source_id, job_id in con.execute(
                "SELECT source, source_id, job_id FROM job_sources").fetchall():
            ad = source_id.rsplit("/", 1)[-1] if source == "jobposting" else by_greenhouse.get(source_id)
            if ad:
                out[job_id] = ad
    return out


def ranking_evaluation(db: Path | None = None) -> dict[str, list[RankingScores]]:
    with tempfile.TemporaryDirectory() as tmp:
        if db is None:
            db = Path(tmp) / "eval.duckdb"
            build_demo_store(db)
        mapping = demo_ad_ids(db)
        profiles, grades = load_personas()
        with open_store(db, read_only=True) as con:
            return evaluate_rankings(con, mapping, profiles, grades)
