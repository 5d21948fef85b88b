"""End-to-end ranking evaluation: the demo board crawled, extracted and loaded by
skillscout itself (no hand labels in between), then ranked for each persona."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from rich.table import Table

from flows.crawl import read_items, run_crawl
from flows.demo_board import LOCAL_CRAWL_SETTINGS, DemoBoard, demo_sources, serve_demo_board
from flows.sources import parse_sources
from pipeline import runs
from pipeline.db import open_store
from pipeline.extraction import extract_feed
from pipeline.gaps import STRONG_MATCH
from pipeline.loading import SourceCrawl, after_load, load_source
from pipeline.ranking_eval import (
    PARTS,
    Calibration,
    Personas,
    RankingScores,
    calibrate,
    evaluate_rankings,
    load_personas,
)


def build_demo_store(db: Path, board: DemoBoard | None = None) -> None:
    """Crawl the demo board into `db` with the library calls the flow's tasks make (no
    Prefect server needed), finished as the flow finishes a run (taxonomy, weights)."""
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


def ranking_evaluation(db: Path | None = None, personas: Personas | None = None
                       ) -> tuple[dict[str, list[RankingScores]], dict[str, Calibration]]:
    """Scores per ranker and persona, and the strong-match threshold checked on each part
    of the split."""
    with tempfile.TemporaryDirectory() as tmp:
        if db is None:
            db = Path(tmp) / "eval.duckdb"
            build_demo_store(db)
        mapping = demo_ad_ids(db)
        personas = personas or load_personas()
        with open_store(db, read_only=True) as con:
            results = evaluate_rankings(con, mapping, personas)
            parts = personas.parts or {"fit": list(personas.grades)}
            calibration = {part: calibrate(con, mapping, personas, names, STRONG_MATCH)
                           for part, names in parts.items()}
        return results, calibration


def ranking_tables(ranking: dict[str, Any], calibration: dict[str, Calibration],
                   personas: Personas) -> list[Table]:
    """`skillscout eval`'s ranking tables: each part and ranker, each persona, the threshold."""
    from flows.views import score_table

    ads = len(next(iter(personas.grades.values())))
    parts = [p for p in PARTS if p in ranking]
    labels = list(ranking[parts[0]])
    overall = score_table(
        f"Ranking: {len(personas.grades)} personas x {ads} demo ads, blind judgments (data/personas); "
        "constants fitted on the fit part only",
        ["ranker", "part", "personas", "NDCG@10", "P@5 (strong)"],
        [[label, part, str(ranking[part][label]["personas"]), f"{ranking[part][label]['ndcg@10']:.3f}",
          f"{ranking[part][label]['precision@5']:.3f}"] for part in parts for label in labels])
    per_persona = score_table(
        "Ranking: NDCG@10 per persona", ["persona", "part", *labels],
        [[name, part, *(f"{ranking[part][label]['per_persona'][name]:.2f}" for label in labels)]
         for part in parts for name in ranking[part][labels[0]]["per_persona"]])
    threshold = next(iter(calibration.values())).threshold if calibration else 0.0
    strong = score_table(
        f"Strong match (score {threshold:.2f} or more) against the judges' grade 2",
        ["part", "scored strong", "judged 2", "both", "others judged 1 / 0", "precision", "recall"],
        [[part, str(c.predicted), str(c.judged_strong), str(c.both),
          f"{c.partial} / {c.predicted - c.both - c.partial}", f"{c.precision:.3f}", f"{c.recall:.3f}"]
         for part, c in calibration.items()])
    return [overall, per_persona, strong]
