"""Opening the DuckDB file: schema migrations on open, and clear errors instead of DuckDB's
when another process holds the file or the path cannot be written.

The database lives in the user's data folder (`~/.local/share/skillscout/skillscout.duckdb`
on Linux, the platform's equivalent elsewhere), so an installed skillscout never writes into
its own install folder and every command finds the same store from any folder;
`$SKILLSCOUT_DB` or `--db` choose another file. Crawl folders go beside the database.

Every write goes through `transaction()`, and every pandas frame a query reads through
`registered()`: no other module writes BEGIN/COMMIT/ROLLBACK or registers frames by hand."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from pipeline.paths import default_db_path
from pipeline.schema import SCHEMA_VERSION, current_version_read_only, migrate


class StoreError(RuntimeError):
    """A problem with the database file that the user can act on."""


class DatabaseBusyError(StoreError):
    pass


# DuckDB lets one process hold the file for writing, and a writer shuts readers out. Every
# opener waits this long for the other side to close before saying "busy": a crawl's load
# and `skillscout serve` (which opens the file per request, for milliseconds) take turns.
BUSY_WAIT = 5.0


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def _duckdb_connect(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried with short sleeps while another process holds the file. A
    writer kept waiting says so in a marker file beside the database, and readers hold back
    while it is there: readers that reopen the file back to back (the web app under use)
    would otherwise never leave the writer a gap."""
    deadline = time.monotonic() + wait
    pause = 0.02
    wanted: Path | None = None
    try:
        while True:
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException as exc:
                if not _is_lock_error(exc) or time.monotonic() + pause > deadline:
                    raise
            if not read_only and wanted is None:
                wanted = _announce_writer(path)
            time.sleep(pause)
            pause = min(pause * 2, 0.2)
    finally:
        if wanted is not None:
            wanted.unlink(missing_ok=True)


def _writer_marker(path: Path) -> Path:
    return path.with_name(path.name + ".write-wanted")


def _announce_writer(path: Path) -> Path | None:
    marker = _writer_marker(path)
    try:
        marker.touch()
    except OSError:  # a folder we cannot write: readers simply are not told
        return None
    return marker


def _give_way_to_writer(path: Path, wait: float) -> None:
    """Hold a read back (at most `wait` seconds) while a writer waits for the file. A marker
    older than a writer ever waits is left over from a killed process and ignored."""
    marker = _writer_marker(path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            age = time.time() - marker.stat().st_mtime
        except OSError:
            return
        if age > 2 * BUSY_WAIT:
            return
        time.sleep(0.02)


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


def check_store(path: str | Path | None = None) -> Path:
    """The database path, once it is known that a crawl could write there: raises StoreError
    naming the cause (not a DuckDB file, busy, read-only folder) before any work starts.
    Creates nothing: an existing file is only opened read-only, a folder only probed."""
    path = Path(path) if path else default_db_path()
    if path.is_dir():
        raise StoreError(f"{path} is a folder: give the database file, e.g. {path / 'skillscout.duckdb'}")
    folder = path.parent
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise StoreError(f"cannot create the database folder {folder}: {existing} is a file")
    _probe_writable(existing, path)
    if path.exists():
        try:
            _duckdb_connect(path, True, BUSY_WAIT).close()
        except duckdb.Error as exc:
            raise _open_error(path, exc) from exc
        if not os.access(path, os.W_OK):
            raise StoreError(f"cannot write to the database {path}: the file is read-only")
    return path


def _probe_writable(folder: Path, path: Path) -> None:
    # Writing a scratch file is the only honest test: permissions, read-only mounts,
    # immutable folders and a full disk all show up here, and root passes os.access anyway.
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".skillscout-probe-"):
            pass
    except OSError as exc:
        raise StoreError(f"cannot write the database {path}: folder {folder} is not writable "
                         f"({exc.strerror or exc})") from exc


def _open_error(path: Path, exc: duckdb.Error) -> StoreError:
    message = str(exc)
    if _is_lock_error(exc):
        return DatabaseBusyError(f"database is busy: another skillscout process is using {path}; "
                                 "wait for it to finish and try again")
    if "not a valid DuckDB database" in message:
        return StoreError(f"{path} is not a DuckDB database: give --db a new file name or an "
                          "existing skillscout database")
    return StoreError(f"cannot open the database {path}: {message}")


def connect(path: str | Path | None = None, read_only: bool = False,
            wait: float = BUSY_WAIT) -> duckdb.DuckDBPyConnection:
    """A connection, migrated first when writable; waits up to `wait` seconds while another
    process holds the file, then raises DatabaseBusyError."""
    path = Path(path) if path else default_db_path()
    if read_only and not path.exists():
        raise StoreError(f"no database at {path}: run `skillscout crawl` or `skillscout demo` first")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc}") from exc
    if read_only:
        _give_way_to_writer(path, wait)
    con = _open(path, read_only, wait)
    if not read_only:
        migrate(con)
    elif _is_old(con):  # one connection in the usual case: every read command starts on it
        con.close()
        _upgrade(path)
        con = _open(path, read_only, wait)
    return con


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    try:
        return _duckdb_connect(path, read_only, wait)
    except duckdb.IOException as exc:
        raise _open_error(path, exc) from exc


def _is_old(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return current_version_read_only(con) < SCHEMA_VERSION
    except duckdb.Error:
        return False


def _upgrade(path: Path) -> None:
    """A file from an older skillscout is upgraded before reading, when nobody is writing
    to it; otherwise it is read as it is."""
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error:
        return
    try:
        migrate(con)
    except duckdb.Error:
        pass
    finally:
        con.close()


@contextmanager
def open_store(path: str | Path | None = None, read_only: bool = False, wait: float = BUSY_WAIT
               ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for the block; a write the disk refuses anywhere in it (or in the
    checkpoint when it closes) is a StoreWriteError naming the file and the cause."""
    con = connect(path, read_only=read_only, wait=wait)
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
