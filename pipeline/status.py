"""Application tracking: where a person stands with each job (saved, applied, ...), with a
note and the date of every change.

Statuses belong to a profile (its name, else its file name, as the `matches` table keys
rankings) and a job id. Job ids are stable across crawls and a cross-posted ad is one job,
so a status follows the job through re-crawls, dedupe merges and closing; nothing here is
ever deleted with a job. Every change is a row of `application_events`; `applications` is
the latest per job. The CLI (`skillscout status`) and the web app both write through
`set_status`, which validates what it is given."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.db import transaction
from pipeline.profile import Profile

# In the order a search usually goes; `hidden` keeps a job out of the list of matches.
STATUSES = ("saved", "applied", "interviewing", "offer", "rejected", "hidden")
CLEAR = "none"  # setting it removes the job's status (the history keeps the change)
MAX_NOTE = 2000  # characters: a note, not a cover letter


class StatusError(ValueError):
    """A status change that cannot be stored; the message says why."""


@dataclass
class Application:
    job_id: str
    status: str
    note: str | None
    first_set: datetime
    updated_at: datetime
    title: str | None = None
    company: str | None = None
    url: str | None = None
    closed_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StatusChange:
    status: str
    note: str | None
    set_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def profile_key(profile: Profile | None, path: Path | str) -> str:
    """What a profile's statuses are stored under: its name, else its file name (as the
    `matches` table keys saved rankings)."""
    return profile.name if profile is not None and profile.name else Path(path).stem


def check_status(status: str) -> str:
    value = (status or "").strip().lower()
    if value not in (*STATUSES, CLEAR):
        raise StatusError(f"unknown status {status!r}: use one of {', '.join(STATUSES)} "
                          f"(or {CLEAR} to clear it)")
    return value


def check_note(note: str | None) -> str | None:
    if note is None:
        return None
    # Control characters other than line breaks and tabs have no place in a note.
    text = "".join(ch for ch in note.replace("\r\n", "\n")
                   if ch in "\n\t" or (ch.isprintable() and ch not in "\u2028\u2029"))
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise StatusError(f"the note is {len(text):,} characters long; keep it under {MAX_NOTE:,}")
    return text or None


def resolve_job(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """The full id of the stored job `ref` names (its id or a unique start of it)."""
    from pipeline.query import job_detail

    return job_detail(con, ref)["id"]


def set_status(con: duckdb.DuckDBPyConnection, profile: str, job_ref: str, status: str,
               note: str | None = None, at: datetime | None = None) -> Application | None:
    """Record a status change (validated; the job must be stored); returns the job's status
    now, or None when it was cleared."""
    status = check_status(status)
    note = check_note(note)
    if not profile:
        raise StatusError("a status belongs to a profile: the profile has no name")
    job_id = resolve_job(con, job_ref)
    with transaction(con):
        con.execute(
            "INSERT INTO application_events "
            "SELECT ?, ?, ?, ?, ?, coalesce(max(seq), 0) + 1 FROM application_events "
            "WHERE profile = ? AND job_id = ?",
            [profile, job_id, status, note, at or _now(), profile, job_id])
    return status_of(con, profile, job_id)


_APP_COLUMNS = ("a.job_id, a.status, a.note, a.first_set, a.updated_at, j.title, j.company, j.url, "
                "j.closed_at")


def status_of(con: duckdb.DuckDBPyConnection, profile: str, job_id: str) -> Application | None:
    rows = con.execute(f"SELECT {_APP_COLUMNS} FROM applications a LEFT JOIN jobs j ON j.id = a.job_id "  # noqa: S608 - fixed columns
                       "WHERE a.profile = ? AND a.job_id = ?", [profile, job_id]).fetchall()
    return Application(*rows[0]) if rows else None


def statuses(con: duckdb.DuckDBPyConnection, profile: str, status: str | None = None) -> list[Application]:
    """Every job the profile has a status for (closed jobs too), latest change first."""
    if status is not None and check_status(status) == CLEAR:
        raise StatusError(f"{CLEAR!r} clears a status; list one of {', '.join(STATUSES)}")
    rows = con.execute(
        f"SELECT {_APP_COLUMNS} FROM applications a LEFT JOIN jobs j ON j.id = a.job_id "  # noqa: S608 - fixed columns
        "WHERE a.profile = ? AND (?::VARCHAR IS NULL OR a.status = ?) "
        "ORDER BY a.updated_at DESC, a.job_id", [profile, status, status]).fetchall()
    return [Application(*row) for row in rows]


def status_map(con: duckdb.DuckDBPyConnection, profile: str, job_ids: list[str]) -> dict[str, str]:
    """job id → status, for the given jobs that have one."""
    return dict(con.execute("SELECT job_id, status FROM applications WHERE profile = ? "
                            "AND job_id IN (SELECT unnest(?))", [profile, job_ids]).fetchall())


def history(con: duckdb.DuckDBPyConnection, profile: str, job_id: str) -> list[StatusChange]:
    """Every change of the job's status, oldest first."""
    return [StatusChange(*row) for row in con.execute(
        "SELECT status, note, set_at FROM application_events WHERE profile = ? AND job_id = ? "
        "ORDER BY seq", [profile, job_id]).fetchall()]


EXPORT_COLUMNS = ("job_id", "status", "note", "first_set", "updated_at", "title", "company", "url",
                  "closed_at")
