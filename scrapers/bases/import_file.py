"""Jobs from a file instead of a site: JobSpy's CSV, or CSV / JSON Lines rows whose columns are
the `JobPosting` item's fields (a `scrapy crawl ... -O jobs.jsonl` export reads back as is).

`read_rows` numbers the rows as people count them (the first data row is row 1; in JSON Lines
the line number); `row_item` turns one into an item or raises `RowError` naming the row and
the column at fault, so a bad row can be reported, then skipped or the file refused."""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any, ClassVar

import scrapy

from scrapers.bases.jobspy import date_value, flag_value, jobspy_item, number_value, text_value
from scrapers.items import JobPosting

ITEM_FIELDS = {f.name for f in fields(JobPosting)}
_NUMBERS = ("salary_min", "salary_max", "salary_annual_min", "salary_annual_max")
_DATES = ("posted_at", "valid_through")


class RowError(ValueError):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise RowError(str(path), "expected a .csv or .jsonl file")


def read_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, row) for each row: where is "FILE, row N" (CSV) or "FILE, line N" (JSON Lines)."""
    kind = file_format(path)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise RowError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    with handle:
        if kind == "jsonl":
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    row = exc
                yield f"{path.name}, line {n}", row
            return
        # JobSpy writes its CSV with `escapechar="\\"`: read it back the same way.
        reader = csv.DictReader(handle, escapechar="\\")
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as exc:
            raise RowError(f"{path.name}, header", f"not a CSV header ({exc})") from exc
        if not ({"job_url", "title"} <= set(header) or {"url", "title"} <= set(header)):
            raise RowError(f"{path.name}, header", "needs a title column and job_url (JobSpy) or url")
        n = 0
        while True:
            n += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise RowError(f"{path.name}, row {n}", f"the CSV breaks here ({exc})") from exc
            if None in row:
                yield f"{path.name}, row {n}", ValueError(f"{len(row[None])} more value(s) than columns")
                continue
            yield f"{path.name}, row {n}", row


def row_item(where: str, row: Any, source: str = "import") -> JobPosting:
    """The row as an item, or RowError("FILE, row N: column C: problem")."""
    if isinstance(row, Exception):
        raise RowError(where, f"not a row of jobs ({row})")
    if not isinstance(row, dict):
        raise RowError(where, f"expected an object of job fields, got {type(row).__name__}")
    try:
        if "job_url" in row:
            return jobspy_item(row)
        return _fields_item(row, source)
    except ValueError as exc:
        raise RowError(where, str(exc)) from None


def _fields_item(row: dict[str, Any], source: str) -> JobPosting:
    values: dict[str, Any] = {}
    for name in ITEM_FIELDS & set(row):
        value = row[name]
        if name in _NUMBERS:
            value = number_value(value, name)
        elif name in _DATES:
            value = date_value(value, name)
        elif name == "description_truncated":
            value = flag_value(value, name)
        elif name == "employment_type" and isinstance(value, list):
            value = [str(v) for v in value]
        elif value is not None and not isinstance(value, str | int | float):
            raise ValueError(f"column {name}: expected text, got {type(value).__name__}")
        else:
            value = text_value(value)
        values[name] = value
    for name in ("title", "url"):
        if not values.get(name):
            raise ValueError(f"column {name}: missing")
    if not str(values["url"]).startswith(("http://", "https://")):
        raise ValueError(f"column url: not a web address ({str(values['url'])[:40]!r})")
    values["source"] = values.get("source") or source
    return JobPosting(**values)


class ImportFileSpider(scrapy.Spider):
    """Reads `-a path=FILE` (no request is made); a bad row is logged with where it is and
    skipped, or with `-a bad_rows=refuse` the whole file is refused."""

    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": False}
    path: str | None = None
    bad_rows: str = "skip"

    async def start(self) -> AsyncIterator[JobPosting]:
        if not self.path:
            raise ValueError("import_file needs -a path=FILE")
        items, problems = [], []
        try:
            for where, row in read_rows(Path(self.path)):
                try:
                    items.append(row_item(where, row))
                except RowError as exc:
                    problems.append(str(exc))
        except RowError as exc:
            self.logger.error("%s", exc)
            return
        self.crawler.stats.set_value("skillscout/import/bad_rows", len(problems))
        for problem in problems:
            self.logger.warning("%s; skipped", problem)
        if problems and self.bad_rows == "refuse":
            self.logger.error("%s bad row(s): the file is refused; the first: %s", len(problems), problems[0])
            return
        for item in items:
            yield item
