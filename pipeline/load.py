"""Store scraped items (with their extracted skills), idempotently.

Loading the same items again changes nothing but `last_seen`. Which job an item is, and
which listing a job's record is copied from, are decided in `pipeline/identity.py`; this
module reads what those decisions need from the store and writes their outcome.

`write_items` and `close_listings` do their work inside the caller's transaction, so that
`pipeline.loading.load_source` can store a source's items, close what it no longer lists
and record its crawl health as one unit; `load_items` and `close_missing` are the same
steps each in a transaction of its own."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipeline.db import registered, transaction
from pipeline.dedupe import role_key
from pipeline.identity import (
    JOB_FIELDS,
    NEW,
    UPDATED,
    Candidate,
    JobPlan,
    StoredJob,
    assign_jobs,
    content_hash,
    fingerprint,
    job_id_for,
    plan_jobs,
    prepare_rows,
    richness,
    skills_signature,
)

__all__ = ["LoadResult", "close_listings", "close_missing", "content_hash", "fingerprint",
           "job_id_for", "load_items", "sync_taxonomy", "write_items"]

# Keys the loader adds to rows; the raw layer keeps items as scraped.
_DERIVED = frozenset({"job_id", "fingerprint", "canonical_url", "role_key", "role_family"})


@dataclass
class LoadResult:
    items: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skills: int = 0

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def load_items(con: duckdb.DuckDBPyConnection, items: Iterable[dict[str, Any]], *,
               run_id: str, origin: str, seen_at: datetime | None = None) -> LoadResult:
    """Load one source's items (each with a "skills" list from extraction) in one transaction.

    `origin` names the configured source (e.g. "greenhouse:acme") so that jobs it no
    longer lists can be closed later; `seen_at` defaults to now."""
    with transaction(con):
        return write_items(con, items, run_id=run_id, origin=origin, seen_at=seen_at)


def write_items(con: duckdb.DuckDBPyConnection, items: Iterable[dict[str, Any]], *,
                run_id: str, origin: str, seen_at: datetime | None = None) -> LoadResult:
    """`load_items` inside the caller's transaction."""
    seen_at = seen_at or _now()
    rows = prepare_rows(items)
    result = LoadResult(items=len(rows))
    if not rows:
        return result
    _resolve_job_ids(con, rows)
    _insert_raw(con, rows, run_id, seen_at)
    plans = plan_jobs(rows, _stored_jobs(con, rows))
    _write_jobs(con, [p for p in plans if p.writes_record], seen_at)
    _touch_jobs(con, [p.job_id for p in plans if not p.writes_record], seen_at)
    _upsert_sources(con, rows, origin, seen_at)
    result.skills = _replace_skills(con, [p for p in plans if p.writes_record])
    result.new = sum(p.action == NEW for p in plans)
    result.updated = sum(p.action == UPDATED for p in plans)
    result.unchanged = len(plans) - result.new - result.updated
    return result


def _resolve_job_ids(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Read what identity needs to know about the store, then let it decide."""
    keys = pd.DataFrame({"source": [r["source"] for r in rows],
                         "source_id": [r["source_id"] for r in rows],
                         "canonical_url": [r["canonical_url"] for r in rows],
                         "role_key": [r["role_key"] for r in rows]})
    with registered(con, "incoming_keys", keys):
        known = {(s, i): j for s, i, j in con.execute(
            "SELECT k.source, k.source_id, s.job_id FROM incoming_keys k "
            "JOIN job_sources s USING (source, source_id)").fetchall()}
        by_url = {u: (j, {src}) for u, j, src in con.execute(
            "SELECT s.canonical_url, s.job_id, s.source FROM job_sources s "
            "WHERE s.canonical_url IN (SELECT canonical_url FROM incoming_keys)").fetchall()}
        # Open jobs with the same company and title, the sources that feed them, their text.
        candidates: dict[str, list[Candidate]] = {}
        for job_id, fp, sources, description in con.execute(
            "SELECT j.id, j.fingerprint, list(DISTINCT s.source), j.description FROM jobs j "
            "JOIN job_sources s ON s.job_id = j.id WHERE j.closed_at IS NULL "
            "AND regexp_replace(j.fingerprint, '[|][^|]*$', '') IN (SELECT role_key FROM incoming_keys) "
            "GROUP BY j.id, j.fingerprint, j.description, j.first_seen ORDER BY j.first_seen"
        ).fetchall():
            candidates.setdefault(role_key(fp), []).append(Candidate(job_id, fp, set(sources), description))
    assign_jobs(rows, known, by_url, candidates)


def _stored_jobs(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> dict[str, StoredJob]:
    ids = list({r["job_id"] for r in rows})
    # skills_signature, computed where the rows are: "name:True:3" per skill, sorted (UTF-8
    # byte order is code point order, as Python sorts), joined by commas.
    skills = dict(con.execute(
        "SELECT job_id, string_agg(skill || ':' || CASE WHEN required THEN 'True' ELSE 'False' END || ':' "
        "|| CASE WHEN coalesce(years, 0) = 0 THEN '' ELSE CAST(years AS VARCHAR) END, ',' "
        "ORDER BY skill || ':' || CASE WHEN required THEN 'True' ELSE 'False' END || ':' "
        "|| CASE WHEN coalesce(years, 0) = 0 THEN '' ELSE CAST(years AS VARCHAR) END) "
        "FROM job_skills WHERE job_id IN (SELECT unnest(?)) GROUP BY job_id", [ids]).fetchall())
    stored = {}
    for job_id, source, source_id, chash, smin, smax, description, truncated, gone in con.execute(
            "SELECT j.id, j.source, j.source_id, j.content_hash, j.salary_min, j.salary_max, "
            "j.description, j.description_truncated, s.gone_at IS NOT NULL FROM jobs j "
            "LEFT JOIN job_sources s ON s.source = j.source AND s.source_id = j.source_id "
            "WHERE j.id IN (SELECT unnest(?))", [ids]).fetchall():
        stored[job_id] = StoredJob(
            source, source_id, chash,
            richness({"source": source, "salary_min": smin, "salary_max": smax, "description": description,
                      "description_truncated": truncated}),
            primary_gone=bool(gone), skills=skills.get(job_id) or skills_signature(None))
    return stored


def _insert_raw(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], run_id: str,
                seen_at: datetime) -> None:
    """Store each version of an item not stored yet. Which ones those are is one join over
    the batch's keys: a repeat crawl, where most items are unchanged, serialises only the
    few that changed instead of every item only for the insert to ignore it."""
    keys = pd.DataFrame({"source": [r["source"] for r in rows],
                         "source_id": [r["source_id"] for r in rows],
                         "content_hash": [r["content_hash"] for r in rows]})
    with registered(con, "incoming_versions", keys):
        stored = set(con.execute(
            "SELECT k.source, k.source_id, k.content_hash FROM incoming_versions k "
            "JOIN raw_items r USING (source, source_id, content_hash)").fetchall())
    new = [r for r in rows if (r["source"], r["source_id"], r["content_hash"]) not in stored]
    if not new:
        return
    raw = pd.DataFrame({
        "source": [r["source"] for r in new],
        "source_id": [r["source_id"] for r in new],
        "content_hash": [r["content_hash"] for r in new],
        "item": [json.dumps({k: v for k, v in r.items() if k not in _DERIVED
                             # the plain text is rebuilt from the HTML; storing both doubles the layer
                             and not (k == "description" and r.get("description_html"))},
                            ensure_ascii=False, default=str) for r in new],
    })
    with registered(con, "incoming_raw", raw):
        con.execute(
            "INSERT INTO raw_items SELECT source, source_id, content_hash, ?, ?, item "
            "FROM incoming_raw ON CONFLICT DO NOTHING", [run_id, seen_at])


# A job seen again reopens, unless it was closed after this sighting (a kept crawl loaded
# late must not reopen what a newer crawl closed).
_REOPEN = "CASE WHEN jobs.closed_at > {seen} THEN jobs.closed_at ELSE NULL END"


def _touch_jobs(con: duckdb.DuckDBPyConnection, ids: list[str], seen_at: datetime) -> None:
    """Most of a repeat crawl: only `last_seen` moves."""
    if ids:
        con.execute("UPDATE jobs SET last_seen = greatest(last_seen, ?), "  # noqa: S608 - our constant
                    f"closed_at = {_REOPEN.format(seen='?')} WHERE id IN (SELECT unnest(?))",
                    [seen_at, seen_at, ids])


def _write_jobs(con: duckdb.DuckDBPyConnection, plans: list[JobPlan], seen_at: datetime) -> None:
    """Insert new jobs and rewrite the records the plans say to; `changed_at` moves only
    for a real update of the ad."""
    if not plans:
        return
    main = [p.row for p in plans]
    frame = pd.DataFrame({
        "id": [p.job_id for p in plans],
        "source": [r["source"] for r in main],
        "source_id": [r["source_id"] for r in main],
        **{f: [r.get(f) for r in main] for f in JOB_FIELDS},
        "fingerprint": [r["fingerprint"] for r in main],
        "content_hash": [r["content_hash"] for r in main],
        "changed_at": [seen_at if p.changed else None for p in plans],
    })
    frame["changed_at"] = pd.to_datetime(frame["changed_at"])
    for col in ("posted_at", "valid_through"):
        frame[col] = pd.to_datetime(frame[col], utc=True, errors="coerce").dt.tz_localize(None)
    for col in ("salary_min", "salary_max", "salary_annual_min", "salary_annual_max"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["description_truncated"] = frame["description_truncated"].astype("boolean")
    cols = ", ".join(JOB_FIELDS)
    updates = ", ".join(f"{f} = excluded.{f}" for f in JOB_FIELDS)
    with registered(con, "incoming_jobs", frame):
        con.execute(  # column names are our constants; values are parameters
            f"INSERT INTO jobs (id, source, source_id, {cols}, fingerprint, content_hash, "  # noqa: S608
            "first_seen, last_seen, changed_at, closed_at) "
            f"SELECT id, source, source_id, {cols}, fingerprint, content_hash, ?, ?, changed_at, NULL "
            "FROM incoming_jobs "
            f"ON CONFLICT (id) DO UPDATE SET {updates}, source = excluded.source, "
            "source_id = excluded.source_id, "
            "changed_at = coalesce(excluded.changed_at, jobs.changed_at), "
            "content_hash = excluded.content_hash, fingerprint = excluded.fingerprint, "
            "last_seen = greatest(jobs.last_seen, excluded.last_seen), "
            f"closed_at = {_REOPEN.format(seen='excluded.last_seen')}",
            [seen_at, seen_at],
        )


def _upsert_sources(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], origin: str,
                    seen_at: datetime) -> None:
    frame = pd.DataFrame({
        "source": [r["source"] for r in rows],
        "source_id": [r["source_id"] for r in rows],
        "job_id": [r["job_id"] for r in rows],
        "url": [r["url"] for r in rows],
        "canonical_url": [r["canonical_url"] for r in rows],
    })
    with registered(con, "incoming_sources", frame):
        con.execute(
            "INSERT INTO job_sources SELECT source, source_id, job_id, url, ?, ?, ?, NULL, canonical_url "
            "FROM incoming_sources ON CONFLICT (source, source_id) DO UPDATE SET "
            "job_id = excluded.job_id, url = excluded.url, canonical_url = excluded.canonical_url, "
            "origin = excluded.origin, "
            "last_seen = greatest(job_sources.last_seen, excluded.last_seen), "
            "gone_at = CASE WHEN job_sources.gone_at > excluded.last_seen THEN job_sources.gone_at END",
            [origin, seen_at, seen_at],
        )


def _replace_skills(con: duckdb.DuckDBPyConnection, plans: list[JobPlan]) -> int:
    """Rewrite the skills of these jobs from their records' listings."""
    if not plans:
        return 0
    records = []
    for p in plans:
        for s in p.row.get("skills") or []:
            records.append((p.job_id, s["name"], s["category"], bool(s["required"]),
                            s.get("years"), len(s.get("spans") or []) or 1))
    con.execute("DELETE FROM job_skills WHERE job_id IN (SELECT unnest(?))", [[p.job_id for p in plans]])
    if records:
        frame = pd.DataFrame(records, columns=["job_id", "skill", "category", "required",
                                               "years", "mentions"])
        frame["years"] = frame["years"].astype("Int64")
        with registered(con, "incoming_skills", frame):
            con.execute("INSERT INTO job_skills SELECT * FROM incoming_skills")
    return len(records)


def close_missing(con: duckdb.DuckDBPyConnection, origin: str, crawl_started: datetime) -> int:
    """`close_listings` in a transaction of its own."""
    with transaction(con):
        return close_listings(con, origin, crawl_started)


def close_listings(con: duckdb.DuckDBPyConnection, origin: str, crawl_started: datetime) -> int:
    """Mark closed the jobs `origin` listed before but not in the crawl that began at
    `crawl_started`, unless another source still lists them. Nothing is deleted."""
    con.execute(
        "UPDATE job_sources SET gone_at = ? WHERE origin = ? AND last_seen < ? AND gone_at IS NULL",
        [crawl_started, origin, crawl_started])
    closed = con.execute(
        "UPDATE jobs SET closed_at = ? WHERE closed_at IS NULL AND id IN ("
        "  SELECT job_id FROM job_sources GROUP BY job_id HAVING bool_and(gone_at IS NOT NULL))"
        " RETURNING id", [crawl_started]).fetchall()
    return len(closed)


def sync_taxonomy(con: duckdb.DuckDBPyConnection, taxonomy: Iterable[Any]) -> int:
    """Mirror the taxonomy into the `skills` table, so the file alone answers "what is
    dbt's category" or "what is related to PyTorch" in SQL."""
    frame = pd.DataFrame([{"name": s.name, "category": s.category, "aliases": list(s.aliases),
                           "parent": s.parent, "related": list(s.related),
                           "sources": list(s.sources)} for s in taxonomy])
    with transaction(con), registered(con, "incoming_taxonomy", frame):
        con.execute("DELETE FROM skills")
        con.execute("INSERT INTO skills SELECT name, category, aliases, parent, related, sources "
                    "FROM incoming_taxonomy")
    return len(frame)
