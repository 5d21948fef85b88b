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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
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
    "--db", help="DuckDB file (default: data/skillscout.duckdb, or $SKILLSCOUT_DB)",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
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
        except RuntimeError as exc:
            if type(exc).__name__ != "ScheduleError":  # imported lazily: Prefect is slow to load
                raise
            raise _fail(str(exc)) from None

    return wrapper


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    import csv

    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (row.get(c) for c in columns)])


# --- crawl -----------------------------------------------------------------------------------

def _run_flow(**kwargs: Any) -> dict[str, Any]:
    from flows.flow import crawl_flow

    return crawl_flow(**kwargs)


def _print_crawl(summary: dict[str, Any]) -> None:
    table = Table(title=f"Crawl {summary['run_id']} — {summary['status']}", title_justify="left")
    numbers = ("items", "filtered", "new", "updated", "closed", "skills")
    for col in ("source", "status", *numbers, "note"):
        table.add_column(col, justify="right" if col in numbers else "left")
    for s in summary["sources"]:
        note = s.get("error") or s.get("warning") or ""
        style = "red" if s["status"] == "failed" else "yellow" if note else None
        table.add_row(s["source"], s["status"], str(s["items"]), str(s.get("filtered", 0)), str(s["new"]),
                      str(s["updated"]), str(s["closed"]), str(s["skills"]), note[:80], style=style)
    out.print(table)


@app.command()
@_guarded
def crawl(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="Sources file (YAML).")],
    db: DbOption = None,
    keep_items: Annotated[bool, typer.Option(help="Keep the scraped JSON Lines files.")] = False,
    shard: Annotated[str | None, typer.Option(
        help="Worker mode: crawl only shard N/M of the sources (needs --parquet).")] = None,
    parquet: Annotated[Path | None, typer.Option(
        help="Worker mode: write Parquet here instead of loading the database.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Crawl the sources in FILE, extract skills and load them into the database."""
    from flows.sources import load_sources

    load_sources(sources)  # fail fast, before Prefect starts, on a broken file
    if shard or parquet:
        _crawl_shard(sources, shard or "1/1", parquet, as_json)
        return
    with err.status(f"Crawling the sources in {sources}…"):
        summary = _run_flow(sources_file=str(sources), db=str(db) if db else None, keep_items=keep_items)
    if as_json:
        _print_json(summary)
    else:
        _print_crawl(summary)
    if summary["status"] == "failed":
        raise typer.Exit(1)


def _crawl_shard(sources: Path, shard: str, parquet: Path | None, as_json: bool) -> None:
    from flows.scale_out import crawl_shard_flow, parse_shard

    if parquet is None:
        raise UserError("--shard writes Parquet for `skillscout ingest`: give --parquet DIR")
    try:
        number, total = parse_shard(shard)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    summary = crawl_shard_flow(out_dir=str(parquet), shard=number, shards=total, sources_file=str(sources))
    if as_json:
        _print_json(summary)
    else:
        for w in summary["written"]:
            out.print(f"{w['source']}: {w['file']}")
        for f in summary["failed"]:
            err.print(f"[red]{f['source']} failed:[/] {f['error']}", markup=True)
    if summary["failed"] and not summary["written"]:
        raise typer.Exit(1)


@app.command()
@_guarded
def ingest(
    folder: Annotated[Path, typer.Argument(help="The folder crawl workers write Parquet to.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load the Parquet files that crawl workers wrote (each file once) into the database."""
    from datetime import UTC, datetime

    import skills as skill_lib
    from pipeline.db import open_store
    from pipeline.ingest import ingest_parquet
    from pipeline.load import sync_taxonomy
    from pipeline.match import refresh_weights
    from pipeline.trends import take_snapshot

    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    with open_store(db) as con:
        result = ingest_parquet(con, folder)
        if result.files:
            sync_taxonomy(con, skill_lib.load_taxonomy())
            now = datetime.now(UTC).replace(tzinfo=None)
            take_snapshot(con, f"ingest-{now:%Y%m%dT%H%M%S}", now)
            refresh_weights(con)
    summary = {"files": result.files, "already_ingested": result.skipped, "items": result.loaded.items,
               "new": result.loaded.new, "updated": result.loaded.updated, "closed": result.closed,
               "sources": sorted(result.sources)}
    if as_json:
        _print_json(summary)
    else:
        out.print(f"Ingested {result.files} file(s) ({result.skipped} already in): "
                  f"{result.loaded.items} items, {result.loaded.new} new jobs, "
                  f"{result.loaded.updated} updated, {result.closed} closed.")


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
    ner: Annotated[bool, typer.Option(
        "--ner", help="Also run the NER trained on SkillSpan (about four times slower): adds the skills "
                      "it can name and lists the names it cannot as \"candidates\".")] = False,
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
        found = next(skills.extract_with_ner([text])) if ner else {"skills": skills.extract(text)}
        _print_line({"id": file.name, "text": text, **found})
        return
    if str(jsonl) != "-" and not jsonl.exists():
        raise UserError(f"{jsonl}: no such file")
    objs = list(_read_jsonl(jsonl))
    # Progress goes to stderr, so stdout stays clean JSON Lines for the next program.
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("extract", total=len(objs))
        texts = (o["text"] for o in objs)
        results = (skills.extract_with_ner(texts) if ner
                   else ({"skills": found} for found in skills.extract_many(texts)))
        for obj, found in zip(objs, results, strict=True):
            _print_line({**obj, **found})
            progress.advance(task)


def _print_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# --- match and gaps --------------------------------------------------------------------------

def _load_profile(path: Path):
    from flows.profiles import load_profile_for_matching

    profile = load_profile_for_matching(path)
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
    save: Annotated[bool, typer.Option(help="Store the ranking in the `matches` table.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Rank the stored jobs against your profile, with matched and missing skills."""
    from pipeline.db import open_store
    from pipeline.match import rank, save_matches

    person = _load_profile(profile)
    with open_store(db, read_only=not save) as con:
        matches = rank(con, person, limit=limit)
        if save:
            save_matches(con, person.name or profile.stem, matches)
    if as_csv:
        _print_csv([m.to_dict() for m in matches], ["id", "score", "title", "company", "location",
                                                     "remote", "salary", "url", "matched", "missing"])
        return
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
    threshold: Annotated[float | None, typer.Option(
        min=0.05, max=1.0, help="Score that counts as a strong match (default: 0.4).")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The skills to learn next: how many more jobs each would make a strong match."""
    from pipeline.db import open_store
    from pipeline.gaps import STRONG_MATCH, learning_path
    from pipeline.gaps import gaps as find_gaps

    person = _load_profile(profile)
    threshold = threshold or STRONG_MATCH
    with open_store(db, read_only=True) as con:
        found = find_gaps(con, person, limit=limit, threshold=threshold)
        path = learning_path(con, person, threshold=threshold)
    if as_csv:
        _print_csv([g.to_dict() for g in found], ["skill", "category", "unlocks", "jobs", "required_in",
                                                  "closeness", "median_salary", "salary_currency",
                                                  "example_jobs"])
    elif as_json:
        _print_json({"skills": [g.to_dict() for g in found],
                     "path": [p.__dict__ for p in path], "threshold": threshold})
    else:
        out.print(_gaps_table(found, path, threshold))


@app.command()
@_guarded
def report(
    profile: ProfileOption = EXAMPLE_PROFILE,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the HTML page.")] = Path(
        "report.html"),
    db: DbOption = None,
    top: Annotated[int, typer.Option(min=1, help="How many matches to list.")] = 15,
) -> None:
    """Write a self-contained HTML report: matches, learn next, demand, pay, trends."""
    from pipeline.db import open_store
    from pipeline.report import build_report

    person = _load_profile(profile)
    with open_store(db, read_only=True) as con, err.status("Ranking jobs and drawing charts…"):
        page = build_report(con, person, top=top)
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc}") from exc
    out.print(f"Wrote {output} ({len(page) // 1024} KB); open it in any browser.")


# --- the store: jobs, trends, sources, load ------------------------------------------------

@app.command()
@_guarded
def jobs(
    search: Annotated[str | None, typer.Option("--search", "-q", help="Words in the title or ad.")] = None,
    skill: Annotated[str | None, typer.Option(help="A skill the ad asks for (aliases work).")] = None,
    company: Annotated[str | None, typer.Option(help="Part of the company name.")] = None,
    location: Annotated[str | None, typer.Option(help="Part of the location, or a country code.")] = None,
    remote: Annotated[str | None, typer.Option(help="remote, hybrid or onsite.")] = None,
    min_salary: Annotated[float | None, typer.Option(help="Annualised pay at least this.")] = None,
    currency: Annotated[str | None, typer.Option(help="Only pay in this currency (GBP, USD, ...).")] = None,
    since: Annotated[str | None, typer.Option(help="Posted on or after (YYYY-MM-DD).")] = None,
    role: Annotated[str | None, typer.Option(help="Role family, e.g. 'data engineer'.")] = None,
    include_closed: Annotated[bool, typer.Option(help="Also jobs no longer listed.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Search the stored jobs."""
    import skills as skill_lib
    from pipeline.db import open_store
    from pipeline.query import COLUMNS, JobFilter, find_jobs

    if remote and remote not in ("remote", "hybrid", "onsite"):
        raise UserError("--remote is one of remote, hybrid, onsite")
    canonical = None
    if skill:
        found = skill_lib.load_taxonomy().resolve(skill)
        canonical = found.name if found else skill
    filters = JobFilter(text=search, skill=canonical, company=company, location=location,
                        remote=remote, min_salary=min_salary, currency=currency,
                        since=_parse_date(since), role_family=role, include_closed=include_closed)
    with open_store(db, read_only=True) as con:
        rows = find_jobs(con, filters, limit=limit)
    if as_json:
        _print_json(rows)
    elif as_csv:
        _print_csv(rows, list(COLUMNS))
    else:
        from pipeline.match import format_salary

        table = Table(title=f"{len(rows)} jobs", title_justify="left")
        for col in ("posted", "job", "where", "pay", "family"):
            table.add_column(col)
        for r in rows:
            pay = format_salary(r["salary_min"], r["salary_max"], r["salary_currency"], r["salary_period"])
            table.add_row(str(r["posted_at"] or "")[:10], f"{r['title']}\n[dim]{r['company'] or ''}[/]",
                          ", ".join(x for x in (r["location"], r["remote"]) if x), pay or "",
                          r["role_family"] or "")
        out.print(table)


def _parse_date(text: str | None):
    from datetime import datetime

    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"not a date: {text!r} (use YYYY-MM-DD)") from exc


@app.command()
@_guarded
def trends(
    skill: Annotated[str | None, typer.Option(help="One skill's history (aliases work).")] = None,
    since: Annotated[str | None, typer.Option(help="Only crawls on or after (YYYY-MM-DD).")] = None,
    role: Annotated[str, typer.Option(help="Role family, or * for all.")] = "*",
    country: Annotated[str, typer.Option(help="Country code, or * for all.")] = "*",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 15,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rising and falling skills across crawls (share of open jobs asking for each)."""
    import skills as skill_lib
    from pipeline.db import open_store
    from pipeline.trends import trends as skill_trends

    name = skill
    if skill:
        found = skill_lib.load_taxonomy().resolve(skill)
        name = found.name if found else skill
    with open_store(db, read_only=True) as con:
        found_trends = skill_trends(con, skill=name, since=_parse_date(since), role_family=role,
                                    country=country.upper() if country != "*" else "*")
    found_trends = found_trends[:limit]
    if as_json:
        _print_json([t.__dict__ for t in found_trends])
        return
    if not found_trends:
        out.print("No crawl history yet: trends need snapshots from at least one crawl.")
        return
    runs = len(found_trends[0].series)
    table = Table(title=f"Skill demand across {runs} crawl(s) (share of open jobs)", title_justify="left")
    for col in ("skill", "first", "last", "change (pts)", "history"):
        table.add_column(col, justify="left" if col in ("skill", "history") else "right")
    for t in found_trends:
        table.add_row(t.skill, f"{t.first_share:.0%}", f"{t.last_share:.0%}",
                      f"[{'green' if t.change > 0 else 'red' if t.change < 0 else 'dim'}]{t.change:+.1f}[/]",
                      _sparkline([v for _, v in t.series]))
    out.print(table)


def _sparkline(values: list[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    top = max(values) or 1
    return "".join(bars[min(len(bars) - 1, int(v / top * (len(bars) - 1)))] for v in values)


@app.command()
@_guarded
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Crawl health per source: items, drops, missing fields, warnings."""
    from pipeline.db import open_store
    from pipeline.runs import source_health

    with open_store(db, read_only=True) as con:
        rows = source_health(con)
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Sources (latest crawl)", title_justify="left")
    for col in ("source", "crawled", "status", "items", "prev", "dropped", "dupes", "no pay",
                "no location", "no text", "warning"):
        table.add_column(col)
    pct = lambda v: "" if v is None else f"{v:.0%}"  # noqa: E731 - a local formatter
    for r in rows:
        table.add_row(r["source"], r["crawled"], r["status"], str(r["items"]), str(r["previous"] or ""),
                      str(r["dropped"]), str(r["duplicates"]), pct(r["missing_salary"]),
                      pct(r["missing_location"]), pct(r["missing_description"]),
                      r["warning"] or "", style="yellow" if r["warning"] else None)
    out.print(table)


@app.command()
@_guarded
def load(
    run_dir: Annotated[Path, typer.Argument(help="A crawl's folder under data/runs/.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a crawl's kept items again (after a failed load) without crawling."""
    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: no such folder")
    from flows.flow import load_flow

    try:
        summary = load_flow(run_dir=str(run_dir), db=str(db) if db else None)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
    if as_json:
        _print_json(summary)
    else:
        _print_crawl(summary)


@app.command()
@_guarded
def schedule(
    sources_file: Annotated[Path, typer.Option("--sources", "-s", help="Sources file (YAML).")],
    cron: Annotated[str, typer.Option(help='When to crawl, e.g. "0 6 * * *" (06:00 daily).')],
    db: DbOption = None,
    name: Annotated[str, typer.Option(help="Deployment name shown in the Prefect UI.")] = "scheduled-crawl",
) -> None:
    """Serve the crawl flow on a cron schedule (needs `prefect server start`)."""
    from flows.schedule import serve
    from pipeline.db import default_db_path

    target = db or default_db_path()
    out.print(f"Serving '{name}' on schedule {cron!r}: crawls of {sources_file} into {target}. "
              "Ctrl-C stops it.")
    serve(sources_file, cron, target, name)


@app.command()
@_guarded
def deploy(
    sources_file: Annotated[Path, typer.Option("--sources", "-s", help="Sources file (YAML).")],
    parquet: Annotated[Path, typer.Option(help="Folder every worker writes Parquet to.")],
    shards: Annotated[int, typer.Option(min=1, help="Split the sources into this many shards.")] = 2,
    pool: Annotated[str, typer.Option(help="Prefect work pool (created as a process pool).")] = "skillscout",
    cron: Annotated[str | None, typer.Option(help='Crawl on a schedule, e.g. "0 6 * * *".')] = None,
    source: Annotated[str | None, typer.Option(
        help="Where workers get the code: a folder or git URL (default: this checkout).")] = None,
    run_now: Annotated[bool, typer.Option("--run-now", help="Also run every shard now.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Deploy the crawl to a Prefect work pool, one deployment per shard (needs a server)."""
    from prefect.deployments import run_deployment

    from flows.work_pool import deploy_shards

    deployed = deploy_shards(pool, shards, sources_file, parquet, cron=cron, source=source)
    runs = {name: str(run_deployment(name, timeout=0).id) for name in deployed} if run_now else {}
    if as_json:
        _print_json({"pool": pool, "deployments": deployed, "runs": runs})
        return
    for name in deployed:
        out.print(f"deployed {name}" + (f" (run {runs[name]} started)" if name in runs else ""))
    out.print(f"Start workers on each machine with `prefect worker start --pool {pool} --limit 1`; "
              f"they write to {parquet}. Load it with `skillscout ingest {parquet}`.")


skills_app = typer.Typer(help="The skill taxonomy: what it knows and what it is missing.",
                         no_args_is_help=True)
app.add_typer(skills_app, name="skills")


@skills_app.command("unknown")
@_guarded
def skills_unknown(
    db: DbOption = None,
    min_ads: Annotated[int, typer.Option(min=1, help="Seen in at least this many ads.")] = 2,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 30,
    ner: Annotated[bool, typer.Option(help="Also use the NER trained on SkillSpan.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Names that look like skills in the stored ads but are not in the taxonomy."""
    import skills as skill_lib
    from pipeline.db import open_store
    from skills.unknown import unknown_skills

    with open_store(db, read_only=True) as con:
        ads = con.execute("SELECT title || chr(10) || coalesce(description, ''), company, location "
                          "FROM open_jobs").fetchall()
    found = unknown_skills(skill_lib.get_nlp(), ads, min_ads=min_ads, limit=limit, use_ner=ner)
    if as_json:
        _print_json([f.__dict__ for f in found])
        return
    table = Table(title=f"Possible skills not in the taxonomy ({len(ads)} open ads read)",
                  title_justify="left")
    for col in ("name", "ads", "example"):
        table.add_column(col, justify="right" if col == "ads" else "left", overflow="fold")
    for f in found:
        table.add_row(f.name, str(f.ads), f.examples[0] if f.examples else "")
    out.print(table)
    out.print("[dim]Add the real ones to skills/data/curated.yaml, then run "
              "python -m skills.build_taxonomy.[/]")


# --- evaluation --------------------------------------------------------------------------------

@app.command(name="eval")
@_guarded
def evaluate(
    as_json: JsonOption = False,
    show_errors: Annotated[int, typer.Option(help="List the N commonest false positives and misses.")] = 0,
    db: Annotated[Path | None, typer.Option(
        "--db", help="A store holding the demo board; default: crawl it into a temporary one.")] = None,
) -> None:
    """Quality figures: skill extraction (labelled dev set, SkillSpan) and ranking (personas)."""
    from flows.evaluation import ranking_evaluation
    from pipeline.ranking_eval import summarise
    from scrapers.pipelines.description import html_to_text
    from skills.evaluation import (
        DEV_SET,
        HOLDOUT_SET,
        REAL_DEV_LABELS,
        REAL_HOLDOUT_LABELS,
        evaluate_dev_set,
        evaluate_real_ads,
        evaluate_real_labelled,
        evaluate_skillspan,
        load_dev_set,
    )

    dev = evaluate_dev_set()
    holdout = evaluate_dev_set(HOLDOUT_SET) if HOLDOUT_SET.exists() else None
    span = evaluate_skillspan()
    # HTML ads go through the crawl's own HTML-to-text step, as they would in a crawl
    real = evaluate_real_ads(html_to_text)
    real_dev = evaluate_real_labelled(REAL_DEV_LABELS, html_to_text)
    real_holdout = evaluate_real_labelled(REAL_HOLDOUT_LABELS, html_to_text)
    ranking = summarise(ranking_evaluation(db))
    if as_json:
        _print_json({"dev_set": {k: v.summary() for k, v in dev.items()},
                     "holdout_set": {k: v.summary() for k, v in holdout.items()} if holdout else None,
                     "skillspan": {k: v.summary() for k, v in span.items()} if span else None,
                     "real_ads": {k: v.summary() for k, v in real.items()} if real else None,
                     "real_ads_labelled_dev": ({k: v.summary() for k, v in real_dev.items()}
                                               if real_dev else None),
                     "real_ads_labelled_holdout": ({k: v.summary() for k, v in real_holdout.items()}
                                                   if real_holdout else None),
                     "ranking": ranking})
        return
    _print_extraction_scores(f"Skill extraction: labelled dev set (data/eval, {len(load_dev_set(DEV_SET))} "
                             "ads, tuned on)", dev)
    if holdout:
        _print_extraction_scores(f"Skill extraction: held-out set (data/eval, "
                                 f"{len(load_dev_set(HOLDOUT_SET))} ads, never tuned on)", holdout)
    if span:
        table = Table(title="SkillSpan dev, tech postings: Knowledge spans (soft skills: Skill spans), "
                           "scored on SkillSpan's tokens", title_justify="left")
        for col in ("extractor", "strict P", "strict R", "strict F1", "overlap P", "overlap R",
                    "overlap F1", "predicted", "gold"):
            table.add_column(col, justify="left" if col == "extractor" else "right")
        for name, sc in span.items():
            r = sc.summary()
            table.add_row(name, *(f"{r[k]:.3f}" for k in ("strict_precision", "strict_recall", "strict_f1",
                                                             "overlap_precision", "overlap_recall",
                                                             "overlap_f1")),
                          str(r["predicted"]), str(r["gold"]))
        out.print(table)
    else:
        out.print("[dim]SkillSpan dev not found at ../shared/skillspan/dev.json: span scores skipped[/]")
    if real:
        _print_real_ads(real)
    else:
        out.print("[dim]Real ads not found at ../shared/real-ads/: no-skill share and coverage skipped[/]")
    for scores, title in ((real_dev, "Skill extraction: blind-labelled real ads, dev half (data/eval/"
                                     "real_ads_dev.jsonl, 30 ads, tuned on)"),
                          (real_holdout, "Skill extraction: blind-labelled real ads, held-out half "
                                         "(data/eval/real_ads_holdout.jsonl, 30 ads, never tuned on)")):
        if scores:
            _print_extraction_scores(title, scores)
    table = Table(title="Ranking: 7 personas x 68 demo ads, blind judgments (data/personas)",
                  title_justify="left")
    names = list(next(iter(ranking.values()))["per_persona"])
    for col in ("ranker", "NDCG@10", "P@5 (strong)", *names):
        table.add_column(col, justify="left" if col == "ranker" else "right")
    for label, r in ranking.items():
        table.add_row(label, f"{r['ndcg@10']:.3f}", f"{r['precision@5']:.3f}",
                      *(f"{r['per_persona'][n]:.2f}" for n in names))
    out.print(table)
    if show_errors:
        ours = dev["skillscout"]
        fps = sorted(ours.false_positives.items(), key=lambda kv: -kv[1])[:show_errors]
        misses = sorted(ours.misses.items(), key=lambda kv: -kv[1])[:show_errors]
        out.print("false positives: " + ", ".join(f"{k} ({v})" for k, v in fps))
        out.print("misses: " + ", ".join(f"{k} ({v})" for k, v in misses))


def _print_real_ads(real: dict[str, Any]) -> None:
    table = Table(title="Real ads as their sources deliver them (../shared/real-ads): ads with no skill, "
                        "and plain mentions of unambiguous tools covered", title_justify="left")
    for col in ("corpus", "ads", "no skill", "share", "naming a tool", "…no skill", "tool mentions",
                "covered", "coverage"):
        table.add_column(col, justify="left" if col == "corpus" else "right")
    for corpus, sc in real.items():
        r = sc.summary()
        table.add_row(corpus, str(r["ads"]), str(r["no_skill"]), f"{r['no_skill_share']:.3f}",
                      str(r["naming_a_tool"]), str(r["naming_a_tool_no_skill"]), str(r["tool_mentions"]),
                      str(r["covered"]), f"{r['coverage']:.3f}")
    out.print(table)


def _print_extraction_scores(title: str, scores: dict[str, Any]) -> None:
    table = Table(title=title, title_justify="left")
    for col in ("extractor", "precision", "recall", "F1", "required/nice accuracy", "TP", "FP", "FN"):
        table.add_column(col, justify="left" if col == "extractor" else "right")
    for name, sc in scores.items():
        r = sc.summary()
        table.add_row(name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                      f"{r['required_accuracy']:.3f}", str(r["tp"]), str(r["fp"]), str(r["fn"]))
    out.print(table)


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
    from pipeline.gaps import STRONG_MATCH, learning_path
    from pipeline.gaps import gaps as find_gaps
    from pipeline.match import rank

    person = _load_profile(profile)
    db = db or default_db_path()
    began = time.perf_counter()
    board = DemoBoard.load()
    with serve_demo_board(board) as base_url:
        out.print(f"Serving the demo board ({len(board.ads)} ads) at {base_url}; crawling it…")
        with err.status("Crawling, extracting and loading (the first run also starts Prefect)…"):
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
    out.print(_gaps_table(found, path, STRONG_MATCH))
    out.print(f"\n[dim]demo finished in {time.perf_counter() - began:.1f}s[/]")


def main() -> None:
    # Prefect reads these when it is imported; keep its own chatter out of our output.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    app()


if __name__ == "__main__":
    main()
