"""Run folders: what a crawl leaves on disk beside the database (`runs/<run_id>/`: each
source's items as JSON Lines, its stats and its log), and shard workers under their Parquet
folder (`_work/<run_id>/`).

A folder stays while it is useful: after a failed load (its items can be loaded again with
`skillscout load`), after failed sources (their logs say why), or when the user asked
(`--keep-items`, which marks it kept for good). A successful run's folder is removed when
the run ends; the others are removed once older than SKILLSCOUT_KEEP_RUNS_DAYS days
(default 14), at the end of a later run."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_MARKER = "KEPT"  # a file in the folder; its text says why
DEFAULT_KEEP_DAYS = 14.0


def runs_root(db_path: Path) -> Path:
    """Where a database's run folders live: beside it."""
    return db_path.parent / "runs"


def keep_days() -> float:
    """The retention setting: SKILLSCOUT_KEEP_RUNS_DAYS (0 removes every unmarked folder)."""
    value = os.environ.get("SKILLSCOUT_KEEP_RUNS_DAYS")
    try:
        return max(0.0, float(value)) if value else DEFAULT_KEEP_DAYS
    except ValueError:
        return DEFAULT_KEEP_DAYS


def mark_kept(folder: Path, reason: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / KEEP_MARKER).write_text(reason + "\n", encoding="utf-8")


def kept_reason(folder: Path) -> str | None:
    marker = folder / KEEP_MARKER
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


@dataclass
class RunFolder:
    run_id: str
    path: Path
    size: int  # bytes
    modified: float  # seconds since the epoch
    kept: str | None  # why it is kept for good, if it is

    def expires(self, days: float) -> float | None:
        return None if self.kept else self.modified + days * 86400


def run_folders(root: Path) -> list[RunFolder]:
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = [f for f in folder.rglob("*") if f.is_file()]
        modified = max((f.stat().st_mtime for f in files), default=folder.stat().st_mtime)
        out.append(RunFolder(folder.name, folder, sum(f.stat().st_size for f in files), modified,
                             kept_reason(folder)))
    return out


def remove(folder: Path) -> bool:
    """Remove a run folder unless it is marked kept; True when removed."""
    if kept_reason(folder) is not None or not folder.exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def prune(root: Path, days: float | None = None, now: float | None = None,
          spare: frozenset[str] = frozenset()) -> list[str]:
    """Remove the unmarked run folders older than `days` (default: the setting), except the
    runs in `spare`. Returns the run ids removed."""
    days = keep_days() if days is None else days
    now = time.time() if now is None else now
    removed = []
    for folder in run_folders(root):
        expires = folder.expires(days)
        if folder.run_id not in spare and expires is not None and expires <= now and remove(folder.path):
            removed.append(folder.run_id)
    return removed
