"""The web app's way into the DuckDB file: opened per request and closed straight after.

DuckDB lets one process write to the file, and a writer shuts every reader out. A crawl
scheduled beside the app must be able to load, so the app never keeps the file open: reads
open it read-only for the request, status writes open it for one short transaction. When a
crawl holds the file, opening waits briefly (pipeline/db.py) and then gives up with Busy,
which the app shows as a page that says so. One request at a time uses the file: DuckDB
refuses a read-only and a writable connection to one file in one process at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.db import DatabaseBusyError, StoreError, open_store

# Seconds a request waits for a crawl to release the file before answering "busy".
REQUEST_WAIT = 2.0


class Busy(Exception):
    """The database stayed busy (a crawl is loading); try again shortly."""


class NoDatabase(Exception):
    """There is no database file yet."""


class Store:
    def __init__(self, path: Path, wait: float = REQUEST_WAIT) -> None:
        self.path = path
        self.wait = wait
        self._lock = threading.Lock()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._open(read_only=True) as con:
            yield con

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._open(read_only=False) as con:
            yield con

    @contextmanager
    def _open(self, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.path.exists():
            raise NoDatabase(str(self.path))
        with self._lock:
            try:
                with open_store(self.path, read_only=read_only, wait=self.wait) as con:
                    yield con
            except DatabaseBusyError as exc:
                raise Busy(str(exc)) from exc
            except duckdb.IOException as exc:
                # A crawl that took the file between our open and a query, or a lock error
                # DuckDB raises late: the same situation for the person reading.
                if "lock" in str(exc).lower():
                    raise Busy(str(exc)) from exc
                raise

    def upgrade(self) -> str | None:
        """Apply pending migrations once at start-up (reads cannot); the problem, if any."""
        if not self.path.exists():
            return None
        try:
            with self.writing():
                return None
        except (Busy, StoreError) as exc:
            return str(exc)
