"""Opening the DuckDB file: schema migrations on open, and clear errors instead of DuckDB's
when another process holds the file or the path cannot be written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.schema import SCHEMA_VERSION, current_version_read_only, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "skillscout.duckdb"


class StoreError(RuntimeError):
    """A problem with the database file that the user can act on."""


class DatabaseBusyError(StoreError):
    pass


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
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()
