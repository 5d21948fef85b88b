"""Everything the `skillscout` command prints goes through here.

- One switch for the output format: a command hands over its data and a way to draw it as a
  table, and `emit` prints JSON, CSV or the table (`--json` and `--csv` together are refused).
- Scraped text is data, never terminal markup or control codes: it reaches the screen only
  as rich `Text` (which is never parsed for `[bold]` or `[link=...]`), with control and
  bidirectional-override characters removed (`clean`).
- Errors and warnings are one line each, never wrapped at the terminal's width, so the cause
  stays on the line that says "error:".
- Piped output (logs, CI, `| less`) is drawn 150 columns wide unless $COLUMNS says otherwise;
  a terminal gets its own width."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any

from rich.console import Console
from rich.text import Text

PIPED_WIDTH = 150


class UserError(Exception):
    """An error the user can fix; printed as one line, exit code 1."""


class Format(Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def pick_format(as_json: bool = False, as_csv: bool = False) -> Format:
    if as_json and as_csv:
        raise UserError("--json and --csv are two different outputs: give one of them")
    return Format.JSON if as_json else Format.CSV if as_csv else Format.TABLE


def console(stderr: bool = False) -> Console:
    """A console for this moment's stdout or stderr (made per use: tests swap both)."""
    stream = sys.stderr if stderr else sys.stdout
    wide = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(file=stream, highlight=False, soft_wrap=False, width=PIPED_WIDTH if wide else None)


# Tabs and line breaks become spaces; other control characters (ANSI escapes start with
# one) and format characters (bidirectional overrides, zero-width joiners) are dropped.
_SPACES = {"\t", "\n", "\r", "\x0b", "\x0c"}


# Whole escape sequences go, not only their ESC, so no "[2J" litter is left in the text:
# CSI (colours, cursor, clear screen) and OSC (titles, hyperlinks) sequences.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]")


def clean(value: Any, keep_lines: bool = False) -> str:
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    text = _ESCAPES.sub("", text)
    spaces = _SPACES - {"\n"} if keep_lines else _SPACES
    return "".join(" " if ch in spaces else ch for ch in text
                   if ch in _SPACES or unicodedata.category(ch) not in ("Cc", "Cf"))


def text(value: Any, style: str | None = None, keep_lines: bool = False) -> Text:
    """Untrusted text as a rich renderable: shown as written, never interpreted."""
    return Text(clean(value, keep_lines), style=style or "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _line(label: str, style: str, message: str) -> None:
    line = Text(f"{label}: ", style=style) + Text(clean(message))
    console(stderr=True).print(line, soft_wrap=True)


def error(message: str) -> None:
    _line("error", "bold red", message)


def warning(message: str) -> None:
    _line("warning", "yellow", message)


def note(message: str, style: str = "") -> None:
    """A line of information on stdout (a table's companion, not data), never wrapped."""
    console().print(Text(clean(message, keep_lines=True), style=style), soft_wrap=True)


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def write_json_line(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(clean(v) for v in value)
    if isinstance(value, str):
        return clean(value)
    return "" if value is None else value


def emit(fmt: Format, data: Any, draw: Callable[[Console], None], *,
         rows: Iterable[dict[str, Any]] | None = None, columns: Sequence[str] = ()) -> None:
    """Print a command's result: `data` as JSON, `rows` (default: `data`) as CSV, or
    `draw(console)` for people."""
    if fmt is Format.JSON:
        write_json(data)
    elif fmt is Format.CSV:
        write_csv(data if rows is None else rows, columns)
    else:
        draw(console())
