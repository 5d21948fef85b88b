"""Load scraped items (with their extracted skills) into the store, idempotently.

Every load runs in one transaction: a crash leaves the previous state intact, and loading
the same items again changes nothing but `last_seen`.

Job identity: an item is the job its (source, source_id) was attached to before; failing
that, the open job another source posted with the same fingerprint (company, title, city),
so an ad seen on an ATS API and on a job board is one job with both URLs in `job_sources`;
failing that, a new job whose id is a hash of (source, source_id)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipeline.dedupe import SIMILAR_TEXT, canonical_url, role_key, shingles, similarity

JOB_FIELDS = (
    "url", "title", "company", "location", "country", "remote", "employment_type",
    "salary_min", "salary_max", "salary_currency", "salary_period", "salary_annual_min",
    "salary_annual_max", "posted_at", "valid_through", "department", "description", "role_family",
    "description_truncated",
)
# What makes two versions of an ad different: its content, not where or when we saw it. The
# truncated flag only ever changes with the description, and leaving it out keeps the
# hashes stored before it existed valid.
_CONTENT_FIELDS = tuple(f for f in JOB_FIELDS if f not in ("url", "description_truncated"))
# Keys the loader adds to rows; the raw layer keeps items as scraped.
_DERIVED = frozenset({"job_id", "fingerprint", "canonical_url", "role_key"})
_COMPANY_SUFFIX = re.compile(
    r"\b(inc|ltd|limited|llc|plc|gmbh|ag|bv|sa|co|corp|corporation|group|the)\b\.?", re.I)


@dataclass
class LoadResult:
    items: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skills: int = 0

    def __iadd__(self, other: LoadResult) -> LoadResult:
        for field in ("items", "new", "updated", "unchanged", "skills"):
            setattr(self, field, getattr(self, field) + getattr(other, field))
        return self


def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())


def fingerprint(item: dict[str, Any]) -> str:
    company = _norm(_COMPANY_SUFFIX.sub(" ", item.get("company") or ""))
    city = _norm((item.get("location") or "").split(",")[0].split("(")[0])
    return f"{company}|{_norm(item.get('title'))}|{city}"


def content_hash(item: dict[str, Any]) -> str:
    payload = json.dumps([item.get(f) for f in _CONTENT_FIELDS], default=str, ensure_ascii=False)
    return hashlib.sha1(payload.encode()).hexdigest()


def job_id_for(source: str, source_id: str) -> str:
    return hashlib.sha1(f"{source}\x1f{source_id}".encode()).hexdigest()[:16]


def _richness(item: dict[str, Any]) -> tuple:
    """Which of several copies of one job to keep as its main record: the whole ad over a
    snippet, then the one with pay."""
    return (not item.get("description_truncated"),
            item.get("salary_min") is not None or item.get("salary_max") is not None,
            item.get("source") != "jobposting",  # APIs carry ids and cleaner fields
            len(item.get("description") or ""))


def load_items(con: duckdb.DuckDBPyConnection, items: Iterable[dict[str, Any]], *,
               run_id: str, origin: str, seen_at: datetime | None = None) -> LoadResult:
    """Load one source's items (each with a "skills" list from extraction).

    `origin` names the configured source (e.g. "greenhouse:acme") so that jobs it no
    longer lists can be closed later; `seen_at` defaults to now."""
    seen_at = seen_at or datetime.now(UTC).replace(tzinfo=None)
    rows = _rows(items)
    result = LoadResult(items=len(rows))
    if not rows:
        return result
    con.execute("BEGIN TRANSACTION")
    try:
        _resolve_job_ids(con, rows)
        _insert_raw(con, rows, run_id, seen_at)
        written = _upsert_jobs(con, rows, seen_at, result)
        _upsert_sources(con, rows, origin, seen_at)
        result.skills = _replace_skills(con, written)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _rows(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows, seen = [], set()
    for item in items:
        if not item.get("title") or not item.get("url"):
            continue
        key = (item["source"], str(item.get("source_id") or item["url"]))
        if key in seen:
            continue
        seen.add(key)
        rows.append({**item, "source_id": key[1], "fingerprint": fingerprint(item),
                     "content_hash": content_hash(item)})
    return rows


def _resolve_job_ids(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Attach each row to a job: by (source, source_id); else, from another source, by
    canonical URL, by company + title + city, or by company + title and similar ad text."""
    for row in rows:
        row["canonical_url"] = canonical_url(row.get("url"))
        row["role_key"] = role_key(row["fingerprint"])
    keys = pd.DataFrame({"source": [r["source"] for r in rows],
                         "source_id": [r["source_id"] for r in rows],
                         "canonical_url": [r["canonical_url"] for r in rows],
                         "role_key": [r["role_key"] for r in rows]})
    con.register("incoming_keys", keys)
    try:
        known = {(s, i): j for s, i, j in con.execute(
            "SELECT k.source, k.source_id, s.job_id FROM incoming_keys k "
            "JOIN job_sources s USING (source, source_id)").fetchall()}
        by_url = {u: (j, {src}) for u, j, src in con.execute(
            "SELECT s.canonical_url, s.job_id, s.source FROM job_sources s "
            "WHERE s.canonical_url IN (SELECT canonical_url FROM incoming_keys)").fetchall()}
        # Open jobs with the same company and title, the sources that feed them, their text.
        candidates: dict[str, list[dict[str, Any]]] = {}
        for job_id, fp, sources, description in con.execute(
            "SELECT j.id, j.fingerprint, list(DISTINCT s.source), j.description FROM jobs j "
            "JOIN job_sources s ON s.job_id = j.id WHERE j.closed_at IS NULL "
            "AND regexp_replace(j.fingerprint, '[|][^|]*$', '') IN (SELECT role_key FROM incoming_keys) "
            "GROUP BY j.id, j.fingerprint, j.description, j.first_seen ORDER BY j.first_seen"
        ).fetchall():
            candidates.setdefault(role_key(fp), []).append(
                {"id": job_id, "fingerprint": fp, "sources": set(sources), "description": description})
    finally:
        con.unregister("incoming_keys")
    for row in rows:
        key = (row["source"], row["source_id"])
        job_id = known.get(key) or _match_other_source(row, by_url, candidates)
        if job_id is None:
            job_id = job_id_for(*key)
            candidates.setdefault(row["role_key"], []).append(
                {"id": job_id, "fingerprint": row["fingerprint"], "sources": {row["source"]},
                 "description": row.get("description")})
        if row["canonical_url"]:
            by_url.setdefault(row["canonical_url"], (job_id, {row["source"]}))
        row["job_id"] = job_id


def _match_other_source(row: dict[str, Any], by_url: dict[str, tuple[str, set[str]]],
                        candidates: dict[str, list[dict[str, Any]]]) -> str | None:
    # Only across sources: one source listing two identical titles in one city means two
    # openings, not one ad seen twice.
    hit = by_url.get(row["canonical_url"]) if row["canonical_url"] else None
    if hit and row["source"] not in hit[1]:
        return hit[0]
    others = [c for c in candidates.get(row["role_key"], []) if row["source"] not in c["sources"]]
    chosen = next((c for c in others if c["fingerprint"] == row["fingerprint"]), None)
    if chosen is None and others:
        # Shingles only here, where another source has the same company and title: most
        # rows never need them, and they are the costliest part of a load.
        text = shingles(row.get("description"))
        for c in others:
            if "text" not in c:
                c["text"] = shingles(c["description"])
        best = max(others, key=lambda c: similarity(text, c["text"]))
        chosen = best if similarity(text, best["text"]) >= SIMILAR_TEXT else None
    if chosen is None:
        return None
    chosen["sources"].add(row["source"])
    return chosen["id"]


def _insert_raw(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], run_id: str,
                seen_at: datetime) -> None:
    raw = pd.DataFrame({
        "source": [r["source"] for r in rows],
        "source_id": [r["source_id"] for r in rows],
        "content_hash": [r["content_hash"] for r in rows],
        "item": [json.dumps({k: v for k, v in r.items() if k not in _DERIVED
                             # the plain text is rebuilt from the HTML; storing both doubles the layer
                             and not (k == "description" and r.get("description_html"))},
                            ensure_ascii=False, default=str) for r in rows],
    })
    con.register("incoming_raw", raw)
    try:
        con.execute(
            "INSERT INTO raw_items SELECT source, source_id, content_hash, ?, ?, item "
            "FROM incoming_raw ON CONFLICT DO NOTHING", [run_id, seen_at])
    finally:
        con.unregister("incoming_raw")


def _main_rows(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per job: the job's existing primary source if present, else the richest."""
    primary = dict(con.execute(
        "SELECT id, source || '\x1f' || source_id FROM jobs WHERE id IN (SELECT unnest(?))",
        [list({r["job_id"] for r in rows})]).fetchall())
    chosen: dict[str, dict[str, Any]] = {}
    for row in rows:
        current = chosen.get(row["job_id"])
        is_primary = primary.get(row["job_id"]) == f"{row['source']}\x1f{row['source_id']}"
        if current is None or is_primary or (
            primary.get(row["job_id"]) is None and _richness(row) > _richness(current)
        ):
            chosen[row["job_id"]] = row
    return list(chosen.values())


def _skills_signature(skills: list[dict[str, Any]] | None) -> str:
    return ",".join(sorted(f"{x['name']}:{bool(x['required'])}:{x.get('years') or ''}" for x in skills or []))


def _upsert_jobs(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], seen_at: datetime,
                 result: LoadResult) -> list[dict[str, Any]]:
    """Insert new jobs and rewrite changed ones; for the rest (most of a repeat crawl) only
    `last_seen` moves. Returns the rows whose skills need writing."""
    main = _main_rows(con, rows)
    ids = [r["job_id"] for r in main]
    stored = {job_id: (content, truncated, source) for job_id, content, truncated, source in con.execute(
        "SELECT id, content_hash, description_truncated, source FROM jobs WHERE id IN (SELECT unnest(?))",
        [ids]).fetchall()}
    before = {job_id: content for job_id, (content, _, _) in stored.items()}
    # Another source's snippet never replaces the whole ad already stored.
    snippet_only = {r["job_id"] for r in main if r.get("description_truncated") and r["job_id"] in stored
                    and not stored[r["job_id"]][1] and stored[r["job_id"]][2] != r["source"]}
    same_text = [r for r in main if before.get(r["job_id"]) == r["content_hash"]]
    stored_skills: dict[str, list[dict[str, Any]]] = {}
    if same_text:
        for job_id, name, required, years in con.execute(
                "SELECT job_id, skill, required, years FROM job_skills WHERE job_id IN (SELECT unnest(?))",
                [[r["job_id"] for r in same_text]]).fetchall():
            stored_skills.setdefault(job_id, []).append({"name": name, "required": required, "years": years})
    # Same text and same skills (the taxonomy may have changed since): nothing to rewrite.
    untouched = {r["job_id"] for r in same_text
                 if _skills_signature(stored_skills.get(r["job_id"])) == _skills_signature(r.get("skills"))}
    untouched |= snippet_only
    if untouched:
        con.execute("UPDATE jobs SET last_seen = greatest(last_seen, ?), closed_at = NULL "
                    "WHERE id IN (SELECT unnest(?))", [seen_at, list(untouched)])
    write = [r for r in main if r["job_id"] not in untouched]
    if write:
        _write_jobs(con, write, seen_at)
    for r in main:
        old = before.get(r["job_id"])
        if old is None:
            result.new += 1
        elif old != r["content_hash"] and r["job_id"] not in snippet_only:
            result.updated += 1
        else:
            result.unchanged += 1
    return write


def _write_jobs(con: duckdb.DuckDBPyConnection, main: list[dict[str, Any]], seen_at: datetime) -> None:
    frame = pd.DataFrame({
        "id": [r["job_id"] for r in main],
        "source": [r["source"] for r in main],
        "source_id": [r["source_id"] for r in main],
        **{f: [r.get(f) for r in main] for f in JOB_FIELDS},
        "fingerprint": [r["fingerprint"] for r in main],
        "content_hash": [r["content_hash"] for r in main],
    })
    for col in ("posted_at", "valid_through"):
        frame[col] = pd.to_datetime(frame[col], utc=True, errors="coerce").dt.tz_localize(None)
    for col in ("salary_min", "salary_max", "salary_annual_min", "salary_annual_max"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["description_truncated"] = frame["description_truncated"].astype("boolean")
    con.register("incoming_jobs", frame)
    try:
        cols = ", ".join(JOB_FIELDS)
        updates = ", ".join(f"{f} = excluded.{f}" for f in JOB_FIELDS)
        con.execute(  # column names are our constants; values are parameters
            f"INSERT INTO jobs (id, source, source_id, {cols}, fingerprint, content_hash, "  # noqa: S608
            "first_seen, last_seen, changed_at, closed_at) "
            f"SELECT id, source, source_id, {cols}, fingerprint, content_hash, ?, ?, NULL, NULL "
            "FROM incoming_jobs "
            f"ON CONFLICT (id) DO UPDATE SET {updates}, "
            "changed_at = CASE WHEN jobs.content_hash <> excluded.content_hash "
            "  THEN excluded.last_seen ELSE jobs.changed_at END, "
            "content_hash = excluded.content_hash, fingerprint = excluded.fingerprint, "
            "last_seen = greatest(jobs.last_seen, excluded.last_seen), closed_at = NULL",
            [seen_at, seen_at],
        )
    finally:
        con.unregister("incoming_jobs")


def _upsert_sources(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], origin: str,
                    seen_at: datetime) -> None:
    frame = pd.DataFrame({
        "source": [r["source"] for r in rows],
        "source_id": [r["source_id"] for r in rows],
        "job_id": [r["job_id"] for r in rows],
        "url": [r["url"] for r in rows],
        "canonical_url": [r["canonical_url"] for r in rows],
    })
    con.register("incoming_sources", frame)
    try:
        con.execute(
            "INSERT INTO job_sources SELECT source, source_id, job_id, url, ?, ?, ?, NULL, canonical_url "
            "FROM incoming_sources ON CONFLICT (source, source_id) DO UPDATE SET "
            "job_id = excluded.job_id, url = excluded.url, canonical_url = excluded.canonical_url, "
            "origin = excluded.origin, "
            "last_seen = greatest(job_sources.last_seen, excluded.last_seen), gone_at = NULL",
            [origin, seen_at, seen_at],
        )
    finally:
        con.unregister("incoming_sources")


def _replace_skills(con: duckdb.DuckDBPyConnection, main: list[dict[str, Any]]) -> int:
    """Rewrite the skills of these (main) rows' jobs."""
    if not main:
        return 0
    records = []
    for r in main:
        for s in r.get("skills") or []:
            records.append((r["job_id"], s["name"], s["category"], bool(s["required"]),
                            s.get("years"), len(s.get("spans") or []) or 1))
    con.execute("DELETE FROM job_skills WHERE job_id IN (SELECT unnest(?))",
                [[r["job_id"] for r in main]])
    if records:
        frame = pd.DataFrame(records, columns=["job_id", "skill", "category", "required",
                                               "years", "mentions"])
        frame["years"] = frame["years"].astype("Int64")
        con.register("incoming_skills", frame)
        try:
            con.execute("INSERT INTO job_skills SELECT * FROM incoming_skills")
        finally:
            con.unregister("incoming_skills")
    return len(records)


def close_missing(con: duckdb.DuckDBPyConnection, origin: str, crawl_started: datetime) -> int:
    """Mark closed the jobs `origin` listed before but not in the crawl that began at
    `crawl_started`, unless another source still lists them. Nothing is deleted."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "UPDATE job_sources SET gone_at = ? WHERE origin = ? AND last_seen < ? AND gone_at IS NULL",
            [crawl_started, origin, crawl_started])
        closed = con.execute(
            "UPDATE jobs SET closed_at = ? WHERE closed_at IS NULL AND id IN ("
            "  SELECT job_id FROM job_sources GROUP BY job_id HAVING bool_and(gone_at IS NOT NULL))"
            " RETURNING id", [crawl_started]).fetchall()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(closed)


def sync_taxonomy(con: duckdb.DuckDBPyConnection, taxonomy: Iterable[Any]) -> int:
    """Mirror the taxonomy into the `skills` table, so the file alone answers "what is
    dbt's category" or "what is related to PyTorch" in SQL."""
    frame = pd.DataFrame([{"name": s.name, "category": s.category, "aliases": list(s.aliases),
                           "parent": s.parent, "related": list(s.related),
                           "sources": list(s.sources)} for s in taxonomy])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM skills")
        con.register("incoming_taxonomy", frame)
        con.execute("INSERT INTO skills SELECT name, category, aliases, parent, related, sources "
                    "FROM incoming_taxonomy")
        con.unregister("incoming_taxonomy")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(frame)
