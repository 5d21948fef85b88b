"""Opening the DuckDB file: schema migrations on open, and clear errors instead of DuckDB's
when another process holds the file or the path cannot be written.

Every write goes through `transaction()`, and every pandas frame a query reads through
`registered()`: no other module writes BEGIN/COMMIT/ROLLBACK or registers frames by hand."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from pipeline.schema import SCHEMA_VERSION, current_version_read_only, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "skillscout.duckdb"


class StoreError(RuntimeError):
    """A problem with the database file that the user can act on."""


class DatabaseBusyError(StoreError):
    pass


class StoreWriteError(StoreError):
    """A write the file system refused: the disk is full, or the folder became read-only."""


_DISK_FULL = ("no space left on device", "file too large", "disk quota exceeded", "disk is full")
_NOT_WRITABLE = ("permission denied", "read-only file system", "operation not permitted")


def _database_of(con: duckdb.DuckDBPyConnection) -> str:
    try:
        (path,), = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
        return str(path or "the database")
    except duckdb.Error:  # an invalidated database answers nothing; name it generically
        return "the database"


_FILE_ERROR = re.compile(r'(?:Cannot open|Could not write|Could not open|Could not truncate) file "([^"]+)": '
                         r'([^".]+)')


def write_error(exc: BaseException, con: duckdb.DuckDBPyConnection | None = None) -> StoreError | None:
    """The user's version of a failed write, or None when it is not about the disk.

    DuckDB wraps the OS error in a sentence or two ("TransactionContext Error: Failed to
    commit: Cannot open file ".../x.duckdb.wal": Permission denied"); the file and the
    cause are what a user can act on."""
    if isinstance(exc, OSError) and exc.errno is not None:
        path, reason = exc.filename or "a file", exc.strerror or str(exc)
    else:
        message = " ".join(str(exc).split())
        found = _FILE_ERROR.search(message)
        path = found.group(1) if found else (_database_of(con) if con is not None else "the database")
        reason = found.group(2).strip() if found else message
    low = reason.lower()
    if any(s in low for s in _DISK_FULL):
        return StoreWriteError(f"the disk is full: could not write {path} ({reason})")
    if any(s in low for s in _NOT_WRITABLE):
        return StoreWriteError(f"cannot write {path}: {reason.lower()} (is the folder read-only?)")
    return None


def default_db_path() -> Path:
    return Path(os.environ.get("SKILLSCOUT_DB", DEFAULT_DB))


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path) if path else default_db_path()
    if read_only and not path.exists():
        raise StoreError(f"no database at {path}: run `skillscout crawl` or `skillscout demo` first")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc}") from exc
    if read_only:
        _upgrade_if_old(path)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise DatabaseBusyError(
                f"database is busy: another skillscout process is using {path}; "
                "wait for it to finish and try again"
            ) from exc
        raise StoreError(f"cannot open the database {path}: {message}") from exc
    if not read_only:
        migrate(con)
    return con


def _upgrade_if_old(path: Path) -> None:
    """A file from an older skillscout is upgraded before reading, when nobody is writing
    to it; otherwise it is read as it is."""
    try:
        probe = duckdb.connect(str(path), read_only=True)
        try:
            version = current_version_read_only(probe)
        finally:
            probe.close()
        if version < SCHEMA_VERSION:
            _migrate_file(path)
    except duckdb.Error:
        return


def _migrate_file(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        migrate(con)
    finally:
        con.close()


@contextmanager
def open_store(path: str | Path | None = None, read_only: bool = False
               ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for the block; a write the disk refuses anywhere in it (or in the
    checkpoint when it closes) is a StoreWriteError naming the file and the cause."""
    con = connect(path, read_only=read_only)
    try:
        yield con
    except duckdb.Error as exc:
        problem = write_error(exc, con)
        with suppress(duckdb.Error):
            con.close()
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        with suppress(duckdb.Error):  # the first error is the one to report
            con.close()
        raise
    try:
        con.close()
    except duckdb.Error as exc:
        problem = write_error(exc)
        if problem is None:
            raise
        raise problem from exc


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One atomic unit of work: all of it is stored, or none of it.

    When it fails, the first error is the one raised: a failed COMMIT has already ended the
    transaction, and the ROLLBACK that follows would only say "no transaction is active".
    A disk that is full or no longer writable becomes a StoreWriteError naming the cause."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException as exc:
        _rollback_quietly(con)
        problem = write_error(exc, con) if isinstance(exc, duckdb.Error) else None
        if problem is not None:
            raise problem from exc
        raise
    try:
        con.execute("COMMIT")
    except duckdb.Error as exc:
        _rollback_quietly(con)
        problem = write_error(exc, con)
        if problem is None:
            raise
        raise problem from exc


def _rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    # Already ended (a failed commit) or the database is invalidated: the first error counts.
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> Iterator[str]:
    """A pandas frame visible to SQL as `name` for the duration of the block."""
    con.register(name, frame)
    try:
        yield name
    finally:
        # An invalidated database cannot unregister; the error that invalidated it matters.
        with suppress(duckdb.Error):
            con.unregister(name)
