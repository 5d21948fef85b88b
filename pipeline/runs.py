"""Crawl runs and per-source crawl health, as stored in `crawl_runs` / `crawl_source_runs`.

A run's figures are the sum of its sources' records, and a source's record is written once
per run by its first successful load: loading a run's kept items again (`skillscout load`)
fills in what failed before and cannot overwrite what was loaded already."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from typing import Any

import duckdb

# Statuses: a run is running, then ok | partial | failed, or interrupted (stopped by a
# signal, or found stale by a later run); a source is ok | empty | failed.
FINAL = ("ok", "partial", "failed", "interrupted")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started: datetime, sources: int) -> None:
    con.execute("INSERT INTO crawl_runs (run_id, started_at, status, sources, owner) "
                "VALUES (?, ?, 'running', ?, ?) ON CONFLICT DO NOTHING",
                [run_id, started, sources, this_process()])


def crawl_health(items: int, stats: dict[str, Any]) -> dict[str, Any]:
    """Crawl health, in the shape `crawl_source_runs` stores, from a crawl's Scrapy stats."""
    per_item = max(items, 1)

    def share(key: str) -> float:
        return round(stats.get(key, 0) / per_item, 3)

    return {
        "items": items,
        "dropped": int(stats.get("item_dropped_count", 0)),
        "duplicates": int(stats.get("skillscout/dropped/duplicate", 0)),
        "missing_salary": share("skillscout/field/salary/missing"),
        "missing_location": share("skillscout/field/location/missing"),
        "missing_description": share("skillscout/field/description/missing"),
    }


def source_status(con: duckdb.DuckDBPyConnection, run_id: str, source: str) -> str | None:
    rows = con.execute("SELECT status FROM crawl_source_runs WHERE run_id = ? AND source = ?",
                       [run_id, source]).fetchall()
    return rows[0][0] if rows else None


def record_source(con: duckdb.DuckDBPyConnection, run_id: str, source: str, spider: str,
                  status: str, health: dict[str, Any], stats: dict[str, Any],
                  error: str | None = None, warning: str | None = None,
                  changes: dict[str, int] | None = None) -> None:
    """`changes`: loaded, new_jobs, updated_jobs, closed_jobs of the source's load."""
    changes = changes or {}
    con.execute(
        "INSERT OR REPLACE INTO crawl_source_runs (run_id, source, spider, status, items, dropped, "
        "duplicates, missing_salary, missing_location, missing_description, error, stats, loaded, "
        "new_jobs, updated_jobs, closed_jobs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, source, spider, status, health.get("items", 0), health.get("dropped", 0),
         health.get("duplicates", 0), health.get("missing_salary"), health.get("missing_location"),
         health.get("missing_description"), error or warning, json.dumps(stats, default=str),
         changes.get("loaded", 0), changes.get("new_jobs", 0), changes.get("updated_jobs", 0),
         changes.get("closed_jobs", 0)],
    )


def previous_items(con: duckdb.DuckDBPyConnection, source: str, run_id: str) -> int | None:
    """Items the source gave in its last successful run before `run_id`."""
    row = con.execute(
        "SELECT s.items FROM crawl_source_runs s JOIN crawl_runs r USING (run_id) "
        "WHERE s.source = ? AND s.run_id <> ? AND s.status = 'ok' "
        "AND r.started_at <= coalesce((SELECT started_at FROM crawl_runs WHERE run_id = ?), now()) "
        "ORDER BY r.started_at DESC LIMIT 1", [source, run_id, run_id]).fetchall()
    return int(row[0][0]) if row else None


def run_totals(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    (recorded, failed, items, new, updated, closed), = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE status = 'failed'), coalesce(sum(loaded), 0), "
        "coalesce(sum(new_jobs), 0), coalesce(sum(updated_jobs), 0), coalesce(sum(closed_jobs), 0) "
        "FROM crawl_source_runs WHERE run_id = ?", [run_id]).fetchall()
    return {"recorded": recorded, "failed": failed, "items": items, "new": new, "updated": updated,
            "closed": closed}


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, note: str | None = None,
               status: str | None = None) -> str:
    """Close the run with the totals of its sources; its status, unless given, follows from
    them (failed: every source failed; partial: some did; ok). Returns the status."""
    totals = run_totals(con, run_id)
    (expected,), = con.execute("SELECT coalesce(sources, 0) FROM crawl_runs WHERE run_id = ?",
                               [run_id]).fetchall() or [(0,)]
    if status is None:
        status = ("failed" if totals["failed"] and totals["failed"] == totals["recorded"]
                  else "partial" if totals["failed"] or totals["recorded"] < expected else "ok")
    con.execute(
        "UPDATE crawl_runs SET finished_at = coalesce(finished_at, ?), status = ?, items = ?, "
        "new_jobs = ?, updated_jobs = ?, closed_jobs = ?, note = ? WHERE run_id = ?",
        [_now(), status, totals["items"], totals["new"], totals["updated"], totals["closed"], note, run_id])
    return status


def run_started(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime | None:
    rows = con.execute("SELECT started_at FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
    return rows[0][0] if rows else None


def _alive(owner: str | None) -> bool:
    """Whether the process that started a run still runs (on this machine; the store is a
    local file, so its crawls are too)."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process, but there
        return True
    return True


def recover_stale_runs(con: duckdb.DuckDBPyConnection, current: str | None = None) -> list[str]:
    """Close runs left `running` by a process that is gone (killed, or its machine
    restarted): what their sources loaded stays, the run is marked interrupted. Returns one
    sentence per run recovered, for the new run to report."""
    recovered = []
    for run_id, owner in con.execute(
            "SELECT run_id, owner FROM crawl_runs WHERE status = 'running' AND run_id IS DISTINCT FROM ? "
            "ORDER BY started_at", [current]).fetchall():
        if _alive(owner):
            continue
        (sources,), = con.execute("SELECT sources FROM crawl_runs WHERE run_id = ?", [run_id]).fetchall()
        totals = run_totals(con, run_id)
        loaded = totals["recorded"] - totals["failed"]
        note = (f"interrupted: stopped before it finished; {loaded} of {sources or '?'} source(s) "
                f"had been loaded, and are kept")
        finish_run(con, run_id, note=note, status="interrupted")
        recovered.append(f"run {run_id} had stopped before it finished ({loaded} of {sources or '?'} "
                         f"source(s) loaded, {totals['new']} new jobs kept); marked interrupted")
    return recovered


def list_runs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT run_id, strftime(started_at, '%Y-%m-%d %H:%M') AS started, status, sources, items, "
        "new_jobs, updated_jobs, closed_jobs, note FROM crawl_runs ORDER BY started_at DESC LIMIT ?",
        [limit]).fetchall()
    cols = ("run_id", "started", "status", "sources", "items", "new", "updated", "closed", "note")
    return [dict(zip(cols, row, strict=True)) for row in rows]


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
               missing_description, error
        FROM ranked WHERE n = 1 ORDER BY source
    """).fetchall()
    cols = ("source", "spider", "status", "crawled", "items", "previous", "dropped", "duplicates",
            "missing_salary", "missing_location", "missing_description", "error")
    out = []
    for row in rows:
        entry = dict(zip(cols, row, strict=True))
        warn = entry["error"]  # a failure's cause, or what the load noticed (shrank, page cap...)
        if entry["status"] == "failed":
            warn = f"failed: {entry['error'] or 'no cause recorded'}"
        elif entry["items"] == 0:
            warn = warn or "returned nothing"
        elif entry["previous"] and entry["items"] < entry["previous"] / 2:
            warn = warn or f"far fewer items than last run ({entry['previous']})"
        entry["warning"] = warn
        out.append(entry)
    return out
