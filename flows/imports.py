"""`skillscout import FILE`: jobs from a file go through the crawl's pipelines, extraction and
load, as a source of their own (`import:<file name>`), so importing the same file again adds
nothing and a newer file with fewer rows closes the jobs it no longer lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapers.bases.import_file import RowError, read_rows, row_item


def check_import_file(path: Path) -> tuple[int, list[str]]:
    """(rows that can be imported, one line per row that cannot); ValueError for a file that
    cannot be read at all."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    usable, problems = 0, []
    for where, row in read_rows(path):  # RowError (a ValueError) for an unreadable file
        try:
            row_item(where, row)
            usable += 1
        except RowError as exc:
            problems.append(str(exc))
    return usable, problems


def import_source(path: Path, bad_rows: str = "skip") -> dict[str, Any]:
    """The sources entry that imports `path`. Every row is kept, whatever its role: the file's
    author chose them."""
    return {"spider": "import_file", "name": f"import:{path.name}", "path": str(path.resolve()),
            "bad_rows": bad_rows, "keep": "all"}
