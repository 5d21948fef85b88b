"""Which job each scraped item is, and which copy of a job its record shows: the decisions
of a load, kept apart from the SQL that stores them so they can be read and tested alone.

Identity. An item is the job its (source, source_id) was attached to before; failing that,
from another source, the job with the same URL once tracking is stripped, the same company
+ title + city, or the same company + title and near-identical ad text (pipeline/dedupe.py);
failing that, a new job whose id is a hash of (source, source_id).

The job's record. A job listed on two sources has one row in `jobs`, copied from one of its
listings, its *primary* (`jobs.source`, `jobs.source_id`). Only the primary's own new
version changes the record and counts as an update (`changed_at`). Another listing takes
over the record only when it is richer (pay given, an API's cleaner fields, a longer text)
or the primary is gone; that is a better copy of the same ad, not a change, so it does not
count as updated. Without this rule the two copies overwrote each other on every load and
an unchanged board reported every cross-posted ad as updated."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.dedupe import SIMILAR_TEXT, canonical_url, role_key, shingles, similarity
from skills.roles import role_family

JOB_FIELDS = (
    "url", "title", "company", "location", "country", "remote", "employment_type",
    "salary_min", "salary_max", "salary_currency", "salary_period", "salary_annual_min",
    "salary_annual_max", "posted_at", "valid_through", "department", "description", "role_family",
)
# What makes two versions of an ad different: its content, not where or when we saw it.
# (role_family is derived from the title; it stays in the hash so stores written before it
# moved out of the scrapers keep their hashes.)
_CONTENT_FIELDS = tuple(f for f in JOB_FIELDS if f != "url")
_COMPANY_SUFFIX = re.compile(
    r"\b(inc|ltd|limited|llc|plc|gmbh|ag|bv|sa|co|corp|corporation|group|the)\b\.?", re.I)


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


def richness(item: dict[str, Any]) -> tuple:
    """How good a copy of a job is as its record: pay given, then an API's (ids, cleaner
    fields) over a scraped page's, then the longer text."""
    return (item.get("salary_min") is not None or item.get("salary_max") is not None,
            item.get("source") != "jobposting",
            len(item.get("description") or ""))


def skills_signature(skills: Iterable[dict[str, Any]] | None) -> str:
    return ",".join(sorted(f"{x['name']}:{bool(x['required'])}:{x.get('years') or ''}" for x in skills or []))


def prepare_rows(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items a load can store, once each per (source, source_id), with what identity
    needs. The role family is assigned here, on the one path every load takes."""
    rows, seen = [], set()
    for item in items:
        if not item.get("title") or not item.get("url"):
            continue
        key = (item["source"], str(item.get("source_id") or item["url"]))
        if key in seen:
            continue
        seen.add(key)
        row = {**item, "source_id": key[1], "role_family": role_family(item["title"])}
        row["fingerprint"] = fingerprint(row)
        row["content_hash"] = content_hash(row)
        row["canonical_url"] = canonical_url(row.get("url"))
        row["role_key"] = role_key(row["fingerprint"])
        rows.append(row)
    return rows


@dataclass
class Candidate:
    """An open job another source may be listing too."""
    id: str
    fingerprint: str
    sources: set[str]
    description: str | None
    text: frozenset[int] | None = None  # shingles, computed when first compared


def assign_jobs(rows: list[dict[str, Any]], known: dict[tuple[str, str], str],
                by_url: dict[str, tuple[str, set[str]]], candidates: dict[str, list[Candidate]]) -> None:
    """Set each row's "job_id": its listing's job (`known`), else a match from another
    source (`by_url`: canonical URL → job and the sources listing it; `candidates`: open
    jobs by company|title), else a new job. Rows of one batch can match each other."""
    for row in rows:
        key = (row["source"], row["source_id"])
        job_id = known.get(key) or _match_other_source(row, by_url, candidates)
        if job_id is None:
            job_id = job_id_for(*key)
            candidates.setdefault(row["role_key"], []).append(
                Candidate(job_id, row["fingerprint"], {row["source"]}, row.get("description")))
        if row["canonical_url"]:
            by_url.setdefault(row["canonical_url"], (job_id, {row["source"]}))
        row["job_id"] = job_id


def _match_other_source(row: dict[str, Any], by_url: dict[str, tuple[str, set[str]]],
                        candidates: dict[str, list[Candidate]]) -> str | None:
    # Only across sources: one source listing two identical titles in one city means two
    # openings, not one ad seen twice.
    hit = by_url.get(row["canonical_url"]) if row["canonical_url"] else None
    if hit and row["source"] not in hit[1]:
        return hit[0]
    others = [c for c in candidates.get(row["role_key"], []) if row["source"] not in c.sources]
    chosen = next((c for c in others if c.fingerprint == row["fingerprint"]), None)
    if chosen is None and others:
        # Shingles only here, where another source has the same company and title: most
        # rows never need them, and they are the costliest part of a load.
        text = shingles(row.get("description"))
        for c in others:
            if c.text is None:
                c.text = shingles(c.description)
        best = max(others, key=lambda c: similarity(text, c.text or frozenset()))
        chosen = best if similarity(text, best.text or frozenset()) >= SIMILAR_TEXT else None
    if chosen is None:
        return None
    chosen.sources.add(row["source"])
    return chosen.id


@dataclass
class StoredJob:
    """What a load needs to know about a job already stored."""
    source: str  # the primary listing
    source_id: str
    content_hash: str
    richness: tuple
    primary_gone: bool  # the primary listing's source no longer lists it
    skills: str  # skills_signature of its stored skills


# What a load does with a job. NEW and UPDATED are what people read as "new" and "updated";
# the others leave the ad as it was.
NEW, UPDATED, REPLACED, REFRESHED, UNCHANGED = "new", "updated", "replaced", "refreshed", "unchanged"


@dataclass
class JobPlan:
    job_id: str
    action: str
    row: dict[str, Any]  # the listing the record is (or stays) copied from

    @property
    def writes_record(self) -> bool:
        return self.action != UNCHANGED

    @property
    def changed(self) -> bool:
        return self.action == UPDATED


def plan_jobs(rows: list[dict[str, Any]], stored: dict[str, StoredJob]) -> list[JobPlan]:
    """One plan per job the rows belong to (rows carry "job_id")."""
    by_job: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_job.setdefault(row["job_id"], []).append(row)
    plans = []
    for job_id, listed in by_job.items():
        before = stored.get(job_id)
        if before is None:
            plans.append(JobPlan(job_id, NEW, max(listed, key=richness)))
            continue
        primary = next((r for r in listed
                        if (r["source"], r["source_id"]) == (before.source, before.source_id)), None)
        if primary is not None:
            if primary["content_hash"] != before.content_hash:
                action = UPDATED
            elif skills_signature(primary.get("skills")) != before.skills:
                action = REFRESHED  # same ad, new extraction (the taxonomy grew, say)
            else:
                action = UNCHANGED
            plans.append(JobPlan(job_id, action, primary))
            continue
        best = max(listed, key=richness)
        takes_over = before.primary_gone or richness(best) > before.richness
        plans.append(JobPlan(job_id, REPLACED if takes_over else UNCHANGED, best))
    return plans
