"""Crawl runs and per-source crawl health, as stored in `crawl_runs` / `crawl_source_runs`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import duckdb


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started: datetime, sources: int) -> None:
    con.execute("INSERT INTO crawl_runs (run_id, started_at, status, sources) VALUES (?, ?, 'running', ?)",
                [run_id, started, sources])


def record_source(con: duckdb.DuckDBPyConnection, run_id: str, source: str, spider: str,
                  status: str, health: dict[str, Any], stats: dict[str, Any],
                  error: str | None = None, warning: str | None = None) -> None:
    con.execute(
        "INSERT OR REPLACE INTO crawl_source_runs (run_id, source, spider, status, items, dropped, "
        "duplicates, missing_salary, missing_location, missing_description, error, stats, "
        "truncated_description, rate_limited) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, source, spider, status, health.get("items", 0), health.get("dropped", 0),
         health.get("duplicates", 0), health.get("missing_salary"), health.get("missing_location"),
         health.get("missing_description"), error or warning, json.dumps(stats, default=str),
         health.get("truncated_description"), health.get("rate_limited")],
    )


def previous_items(con: duckdb.DuckDBPyConnection, source: str, run_id: str) -> int | None:
    """Items the source gave in its last successful run before `run_id`."""
    row = con.execute(
        "SELECT s.items FROM crawl_source_runs s JOIN crawl_runs r USING (run_id) "
        "WHERE s.source = ? AND s.run_id <> ? AND s.status = 'ok' "
        "ORDER BY r.started_at DESC LIMIT 1", [source, run_id]).fetchall()
    return int(row[0][0]) if row else None


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str,
               summaries: Iterable[Any], note: str | None = None) -> None:
    summaries = list(summaries)
    con.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ?, items = ?, new_jobs = ?, "
        "updated_jobs = ?, closed_jobs = ?, note = ? WHERE run_id = ?",
        [_now(), status, sum(s.items for s in summaries), sum(s.new for s in summaries),
         sum(s.updated for s in summaries), sum(s.closed for s in summaries), note, run_id])


def run_started(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime | None:
    rows = con.execute("SELECT started_at FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
    return rows[0][0] if rows else None


def source_health(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each source's latest crawl, with its previous item count for comparison."""
    rows = con.execute("""
        WITH ranked AS (
            SELECT s.*, r.started_at,
                   row_number() OVER (PARTITION BY s.source ORDER BY r.started_at DESC) AS n,
                   lead(s.items) OVER (PARTITION BY s.source ORDER BY r.started_at DESC) AS previous
            FROM crawl_source_runs s JOIN crawl_runs r USING (run_id)
        )
        SELECT source, spider, status, strftime(started_at, '%Y-%m-%d %H:%M') AS crawled, items,
               previous, dropped, duplicates, missing_salary, missing_location,
               missing_description, truncated_description, rate_limited, error
        FROM ranked WHERE n = 1 ORDER BY source
    """).fetchall()
    cols = ("source", "spider", "status", "crawled", "items", "previous", "dropped", "duplicates",
            "missing_salary", "missing_location", "missing_description", "truncated_description",
            "rate_limited", "error")
    out = []
    for row in rows:
        entry = dict(zip(cols, row, strict=True))
        warn = None
        if entry["status"] == "failed":
            warn = "failed"
        elif entry["items"] == 0:
            warn = "returned nothing"
        elif entry["previous"] and entry["items"] < entry["previous"] / 2:
            warn = f"far fewer items than last run ({entry['previous']})"
        elif entry["rate_limited"]:
            warn = f"rate-limited: {entry['rate_limited']} request(s) refused, some results missed"
        entry["warning"] = warn
        out.append(entry)
    return out
