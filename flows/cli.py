"""The `skillscout` command line: a thin layer that parses arguments, calls the library and
prints. Every command has a Python function behind it in `pipeline/`, `skills/` or
`flows/`."""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Crawl data/ML job ads, find the skills they ask for, rank them against your "
         "profile and see what to learn next.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (logs, CI) gets a wide fixed width instead of rich's 80 columns.
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, highlight=False)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = PROJECT_ROOT / "data" / "profile.example.yaml"

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="DuckDB file [default: data/skillscout.duckdb, or $SKILLSCOUT_DB]",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ProfileOption = Annotated[Path, typer.Option("--profile", "-p", help="Your skill profile (YAML).")]


class UserError(Exception):
    """An error the user can fix; printed as one line, exit code 1."""


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def _guarded(fn):
    """Turn expected failures (bad files, busy database, failed crawl) into one clear line."""
    from flows.crawl import CrawlError
    from flows.sources import SourcesError
    from pipeline.db import StoreError
    from pipeline.profile import ProfileError

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (UserError, ProfileError, SourcesError, StoreError, CrawlError) as exc:
            raise _fail(str(exc)) from None

    return wrapper


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# --- crawl -----------------------------------------------------------------------------------

def _run_flow(**kwargs: Any) -> dict[str, Any]:
    from flows.flow import crawl_flow

    return crawl_flow(**kwargs)


def _print_crawl(summary: dict[str, Any]) -> None:
    table = Table(title=f"Crawl {summary['run_id']} — {summary['status']}", title_justify="left")
    numbers = ("items", "new", "updated", "closed", "skills")
    for col in ("source", "status", *numbers, "note"):
        table.add_column(col, justify="right" if col in numbers else "left")
    for s in summary["sources"]:
        note = s.get("error") or s.get("warning") or ""
        style = "red" if s["status"] == "failed" else "yellow" if note else None
        table.add_row(s["source"], s["status"], str(s["items"]), str(s["new"]), str(s["updated"]),
                      str(s["closed"]), str(s["skills"]), note[:80], style=style)
    out.print(table)


@app.command()
@_guarded
def crawl(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="Sources file (YAML).")],
    db: DbOption = None,
    keep_items: Annotated[bool, typer.Option(help="Keep the scraped JSON Lines files.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Crawl the sources in FILE, extract skills and load them into the database."""
    from flows.sources import load_sources

    load_sources(sources)  # fail fast, before Prefect starts, on a broken file
    summary = _run_flow(sources_file=str(sources), db=str(db) if db else None, keep_items=keep_items)
    if as_json:
        _print_json(summary)
    else:
        _print_crawl(summary)
    if summary["status"] == "failed":
        raise typer.Exit(1)


# --- extract ---------------------------------------------------------------------------------

def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    handle = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}, line {n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise UserError(f"{path}, line {n}: each line needs an object with a \"text\" string")
            yield obj


@app.command()
@_guarded
def extract(
    file: Annotated[Path | None, typer.Argument(help="A plain-text job ad.", show_default=False)] = None,
    jsonl: Annotated[Path | None, typer.Option(
        "--jsonl", help="JSON Lines of {\"id\", \"text\", ...}; '-' reads stdin.")] = None,
) -> None:
    """Find the skills in job ads; writes JSON Lines with a "skills" list per ad."""
    import skills

    if (file is None) == (jsonl is None):
        raise UserError("give either a text FILE or --jsonl IN.jsonl")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{file}: cannot read ({exc})") from exc
        _print_line({"id": file.name, "text": text, "skills": skills.extract(text)})
        return
    if str(jsonl) != "-" and not jsonl.exists():
        raise UserError(f"{jsonl}: no such file")
    objs = list(_read_jsonl(jsonl))
    for obj, found in zip(objs, skills.extract_many(o["text"] for o in objs), strict=True):
        _print_line({**obj, "skills": found})


def _print_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# --- match and gaps --------------------------------------------------------------------------

def _load_profile(path: Path):
    from pipeline.profile import load_profile

    profile = load_profile(path)
    for warning in profile.warnings:
        err.print(f"[yellow]warning:[/] {path}: {warning}", markup=True)
    return profile


def _matches_table(matches: list, title: str = "Best matches") -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("job")
    table.add_column("where")
    table.add_column("pay")
    table.add_column("you have", overflow="fold")
    table.add_column("missing", overflow="fold")
    for n, m in enumerate(matches, 1):
        missing = m.missing_required + [f"({s})" for s in m.missing_nice]
        where = ", ".join(x for x in (m.location, m.remote) if x)
        table.add_row(str(n), f"{m.score:.2f}", f"{m.title}\n[dim]{m.company or ''}[/]", where,
                      m.salary or "", ", ".join(m.matched), ", ".join(missing[:8]))
    return table


def _gaps_table(found: list, path: list, threshold: float) -> Table:
    table = Table(title="Learn next", title_justify="left",
                  caption=f"unlocks: jobs that would reach a {threshold:.0%} match")
    for col in ("skill", "unlocks", "asked in", "required in", "closeness", "median pay"):
        table.add_column(col, justify="left" if col == "skill" else "right")
    for g in found:
        pay = f"{g.salary_currency} {g.median_salary:,.0f}" if g.median_salary else ""
        table.add_row(f"{g.skill} [dim]{g.category}[/]", str(g.unlocks), str(g.jobs),
                      str(g.required_in), f"{g.closeness:.2f}", pay)
    if path:
        steps = " → ".join(f"{p.skill} ({p.strong_matches_after})" for p in path)
        table.caption += f"\npath (strong matches after each step): {steps}"
    return table


@app.command()
@_guarded
def match(
    profile: ProfileOption = EXAMPLE_PROFILE,
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many jobs.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Rank the stored jobs against your profile, with matched and missing skills."""
    from pipeline.db import open_store
    from pipeline.match import rank

    person = _load_profile(profile)
    with open_store(db, read_only=True) as con:
        matches = rank(con, person, limit=limit)
    if as_json:
        _print_json([m.to_dict() for m in matches])
    elif not matches:
        out.print("No stored job passes your profile's filters yet.")
    else:
        out.print(_matches_table(matches))


@app.command()
@_guarded
def gaps(
    profile: ProfileOption = EXAMPLE_PROFILE,
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many skills.")] = 10,
    threshold: Annotated[float, typer.Option(min=0.05, max=1.0,
                                             help="Score that counts as a strong match.")] = 0.7,
    as_json: JsonOption = False,
) -> None:
    """The skills to learn next: how many more jobs each would make a strong match."""
    from pipeline.db import open_store
    from pipeline.gaps import gaps as find_gaps
    from pipeline.gaps import learning_path

    person = _load_profile(profile)
    with open_store(db, read_only=True) as con:
        found = find_gaps(con, person, limit=limit, threshold=threshold)
        path = learning_path(con, person, threshold=threshold)
    if as_json:
        _print_json({"skills": [g.to_dict() for g in found],
                     "path": [p.__dict__ for p in path], "threshold": threshold})
    else:
        out.print(_gaps_table(found, path, threshold))


# --- demo ------------------------------------------------------------------------------------

@app.command()
@_guarded
def demo(
    db: DbOption = None,
    profile: ProfileOption = EXAMPLE_PROFILE,
    top: Annotated[int, typer.Option(min=1, help="How many matches to show.")] = 10,
) -> None:
    """Serve the bundled demo board on 127.0.0.1, crawl it with the real flow into the
    database, then show the best matches for the example profile and what to learn next."""
    from flows.demo_board import LOCAL_CRAWL_SETTINGS, DemoBoard, demo_sources, serve_demo_board
    from pipeline.db import default_db_path, open_store
    from pipeline.gaps import gaps as find_gaps
    from pipeline.gaps import learning_path
    from pipeline.match import rank

    person = _load_profile(profile)
    db = db or default_db_path()
    began = time.perf_counter()
    board = DemoBoard.load()
    with serve_demo_board(board) as base_url:
        out.print(f"Serving the demo board ({len(board.ads)} ads) at {base_url}; crawling it…")
        summary = _run_flow(sources=demo_sources(base_url, board), db=str(db),
                            scrapy_settings=LOCAL_CRAWL_SETTINGS)
    _print_crawl(summary)
    with open_store(db, read_only=True) as con:
        (total,), = con.execute("SELECT count(*) FROM open_jobs").fetchall()
        matches = rank(con, person, limit=top)
        found = find_gaps(con, person, limit=8)
        path = learning_path(con, person)
    out.print(f"\n{total} open jobs in {db}\n")
    out.print(_matches_table(matches, f"Best matches for {person.name or profile.name}"))
    out.print(_gaps_table(found, path, 0.7))
    out.print(f"\n[dim]demo finished in {time.perf_counter() - began:.1f}s[/]")


def main() -> None:
    # Prefect reads these when it is imported; keep its own chatter out of our output.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    app()


if __name__ == "__main__":
    main()
