"""The `skillscout` command line: a thin layer that parses arguments, calls the library and
hands the result to `flows/output.py` (JSON, CSV or a table drawn by `flows/views.py`).
Every command has a Python function behind it in `pipeline/`, `skills/` or `flows/`; no SQL
lives here.

Bad input ends in one `error:` line and exit code 1, before any slow work starts: files,
the database and option values are checked first, Prefect only afterwards."""

from __future__ import annotations

import functools
import math
import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # Typer 0.2x carries its own copy of click; older ones use click itself
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import NoArgsIsHelpError, UsageError

from flows import output, views
from flows.output import Format, UserError, emit, pick_format, plural
from skillscout_data import DEFAULT_SOURCES, EXAMPLE_PROFILE

SHOWN_SCORE = 0.005  # scores that print as 0.00 are not matches worth a line


class OneLineErrors(TyperGroup):
    """Usage errors (a bad option value, an unknown option) as one `error:` line and exit
    code 1, like every other error, instead of a boxed panel."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            raise _usage_error(exc) from None

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            raise _usage_error(exc) from None


def _usage_error(exc: UsageError) -> typer.Exit:
    where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
    output.error(exc.format_message().rstrip(".") + where)
    return typer.Exit(1)


def _default_db() -> str:
    from pipeline.paths import default_db_path

    return str(default_db_path())


app = typer.Typer(
    cls=OneLineErrors,
    help="Crawl data/ML job ads, find the skills they ask for, rank them against your "
         f"profile and see what to learn next. The database is {_default_db()} "
         "unless --db or $SKILLSCOUT_DB names another file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="DuckDB file (default: $SKILLSCOUT_DB, else skillscout.duckdb in your data folder)",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
ProfileOption = Annotated[Path, typer.Option(
    "--profile", "-p", help="Your skill profile (YAML); default: the bundled example profile.",
    show_default=False)]
SourcesOption = Annotated[Path, typer.Option(
    "--sources", "-s", help="Sources file (YAML); default: the bundled data/ML sources.", show_default=False)]


def _finite(value: float | None) -> float | None:
    # click's ranges let "nan" and "inf" through (every comparison with NaN is false).
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number")
    return value


# Errors a user can fix, by module: matched only if that module is loaded (an exception from
# it means it is), so starting the CLI does not import Scrapy, DuckDB or Prefect to name them.
USER_ERRORS = (("flows.output", "UserError"), ("flows.crawl", "CrawlError"),
               ("flows.sources", "SourcesError"), ("flows.schedule", "ScheduleError"),
               ("pipeline.cv", "CVError"),
               ("pipeline.db", "StoreError"), ("pipeline.profile", "ProfileError"),
               ("pipeline.query", "UnknownSkillError"), ("pipeline.query", "NoSuchJob"),
               ("pipeline.query", "FilterError"), ("pipeline.status", "StatusError"),
               ("flows.web.serve", "ServeError"))


def _is_user_error(exc: BaseException) -> bool:
    return any(isinstance(exc, getattr(sys.modules[module], name))
               for module, name in USER_ERRORS if module in sys.modules)


def _guarded(fn):
    """Turn expected failures (bad files, busy database, failed crawl) into one clear line."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if not _is_user_error(exc):
                raise
            output.error(str(exc))
            raise typer.Exit(1) from None

    return wrapper


# --- crawl -----------------------------------------------------------------------------------

def _run_flow(**kwargs: Any) -> dict[str, Any]:
    from flows.early_start import build_extraction, start_prefect_server

    server_up = start_prefect_server()  # comes up while the flow is imported and the pipeline built
    try:
        from flows.flow import CrawlFailed, crawl_flow

        build_extraction()
    finally:
        server_up()  # whatever happened, not before the server is up (or stopped)
    try:
        return crawl_flow(**kwargs)
    except CrawlFailed as failed:  # every source failed: the summary says why, per source
        return failed.summary


@app.command()
@_guarded
def crawl(
    sources: Annotated[Path | None, typer.Option(
        "--sources", "-s", help="Sources file (YAML); default: the bundled data/ML sources, "
        "unless --for is given.", show_default=False)] = None,
    profile: Annotated[Path | None, typer.Option(
        "--for", help="Search every job-search API for this profile's target roles and places.")] = None,
    db: DbOption = None,
    keep_items: Annotated[bool, typer.Option(help="Keep the scraped JSON Lines files.")] = False,
    shard: Annotated[str | None, typer.Option(
        help="Worker mode: crawl only shard N/M of the sources (needs --parquet).")] = None,
    parquet: Annotated[Path | None, typer.Option(
        help="Worker mode: write Parquet here instead of loading the database.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Crawl the sources in FILE (and/or search for a profile), extract skills and load them
    into the database."""
    from flows.sources import hosts_that_do_not_resolve, load_sources, parse_sources
    from pipeline.db import check_store

    fmt = pick_format(as_json)
    if profile is not None:
        if shard or parquet:
            raise UserError("--for runs on this machine; for crawl workers, put a `searches:` block "
                            "in the sources file")
        flow_args: dict[str, Any] = {"sources": _searches_for(profile, sources)}
        listed = parse_sources(flow_args["sources"], str(profile))
    else:
        sources = sources or DEFAULT_SOURCES
        listed = load_sources(sources)  # fail fast, before Prefect starts, on a broken file
        flow_args = {"sources_file": str(sources)}
    if shard or parquet:
        _crawl_shard(sources, shard or "1/1", parquet, fmt)
        return
    target = check_store(db)  # ... and on a database it could not write
    offline = hosts_that_do_not_resolve(listed)  # ... and on a machine with no network
    if offline:
        raise UserError(f"offline? DNS lookup failed for all {len(offline)} hosts, e.g. {offline[0]}"
                        if len(offline) > 1 else
                        f"DNS lookup failed for {offline[0]}, the only source host: offline, or a typo?")
    what = f"jobs for {profile}" if profile is not None else f"the sources in {sources}"
    with output.console(stderr=True).status(f"Crawling {what}…"):
        summary = _run_flow(**flow_args, db=str(target), keep_items=keep_items)
    emit(fmt, summary, lambda con: views.crawl_summary(con, summary))
    if summary["status"] == "failed":
        raise typer.Exit(1)


def _searches_for(profile_path: Path, sources: Path | None) -> dict[str, Any]:
    """The sources file's sources (if any) plus the profile's searches; notes to stderr."""
    from flows.sources import read_sources_file, sources_for_profile

    person = _load_profile(profile_path)
    raw = read_sources_file(sources) if sources else None
    data, notes = sources_for_profile(person, raw, str(sources or profile_path))
    for note in notes:  # stderr: --json keeps stdout for the summary
        output.warning(note)
    return data


def _crawl_shard(sources: Path, shard: str, parquet: Path | None, fmt: Format) -> None:
    from flows.flow import CrawlFailed
    from flows.scale_out import crawl_shard_flow, parse_shard

    if parquet is None:
        raise UserError("--shard writes Parquet for `skillscout ingest`: give --parquet DIR")
    try:
        number, total = parse_shard(shard)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if parquet.exists() and not parquet.is_dir():
        raise UserError(f"--parquet {parquet} is a file; give a folder")
    try:
        summary = crawl_shard_flow(out_dir=str(parquet), shard=number, shards=total,
                                   sources_file=str(sources))
    except CrawlFailed as failed:  # every source failed: the summary says why, per source
        summary = failed.summary

    def draw(con) -> None:
        for w in summary["written"]:
            con.print(output.text(f"{w['source']}: {w['file']}"))
        for f in summary["failed"]:
            output.warning(f"{f['source']} failed: {f['error']}")
        if summary.get("logs"):
            output.note(f"logs: {summary['logs']}")

    emit(fmt, summary, draw)
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
    from pipeline.db import check_store, open_store
    from pipeline.ingest import ingest_parquet

    fmt = pick_format(as_json)
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    with open_store(check_store(db)) as con:
        result = ingest_parquet(con, folder)
    summary = {"files": result.files, "already_ingested": result.skipped, "items": result.loaded.items,
               "new": result.loaded.new, "updated": result.loaded.updated, "closed": result.closed,
               "sources": sorted(result.sources),
               "failed": [{"source": s.source, "error": s.error} for s in result.failed],
               "warnings": [{"source": s.source, "warning": s.warning}
                            for s in result.summaries if s.warning]}

    def draw(con) -> None:
        output.note(f"Ingested {plural(result.files, 'file')} ({result.skipped} already in): "
                    f"{plural(result.loaded.items, 'item')}, {plural(result.loaded.new, 'new job')}, "
                    f"{result.loaded.updated} updated, {result.closed} closed.")
        for s in result.summaries:
            if s.error or s.warning:
                output.warning(f"{s.source}: {s.error or s.warning}")

    emit(fmt, summary, draw)
    if result.files and len(result.failed) == result.files:
        raise typer.Exit(1)  # every new file was a source the workers could not crawl


@app.command(name="import")
@_guarded
def import_file(
    file: Annotated[Path, typer.Argument(help="JobSpy's CSV, or CSV / JSON Lines with the item's fields.")],
    db: DbOption = None,
    bad_rows: Annotated[str, typer.Option(
        help="A row that cannot be read: 'skip' it (reported) or 'refuse' the whole file.")] = "skip",
    as_json: JsonOption = False,
) -> None:
    """Load jobs from a file (JobSpy's CSV, or rows of job fields) like a crawl of its own source."""
    from flows.imports import check_import_file, import_source
    from pipeline.db import check_store

    if bad_rows not in ("skip", "refuse"):
        raise UserError(f"--bad-rows is skip or refuse, not {bad_rows!r}")
    try:
        usable, problems = check_import_file(file)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if problems and bad_rows == "refuse":
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UserError(f"{problems[0]}{more}; nothing imported (or use --bad-rows skip)")
    for problem in problems:
        output.warning(f"{problem}; skipped")
    if not usable:
        raise UserError(f"{file}: no row could be read; nothing imported")
    target = check_store(db)
    with output.console(stderr=True).status(f"Importing {plural(usable, 'job')} from {file}…"):
        summary = _run_flow(sources=[import_source(file, bad_rows)], db=str(target))
    emit(pick_format(as_json), summary, lambda con: views.crawl_summary(con, summary))
    if summary["status"] == "failed":
        raise typer.Exit(1)


# --- extract ---------------------------------------------------------------------------------

def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    import json
    import sys

    handle = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with handle:
        try:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise UserError(f"{path}, line {n}: not valid JSON: {exc}") from exc
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise UserError(f"{path}, line {n}: each line needs an object with a \"text\" string")
                yield obj
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 text ({exc})") from exc


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    import skills

    if (file is None) == (jsonl is None):
        raise UserError("give either a text FILE or --jsonl IN.jsonl")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{file}: cannot read ({exc})") from exc
        found = next(skills.extract_with_ner([text])) if ner else {"skills": skills.extract(text)}
        output.write_json_line({"id": file.name, "text": text, **found})
        return
    if str(jsonl) != "-" and not jsonl.is_file():
        raise UserError(f"{jsonl}: no such file")
    # Streamed: ads are read a few batches ahead of what is written, so memory stays flat
    # however long the file; a bad line far down ends the output there, with its error.
    waiting: deque[dict[str, Any]] = deque()  # read, not yet written: a few batches at most

    def texts() -> Iterator[str]:
        for obj in _read_jsonl(jsonl):
            waiting.append(obj)
            yield obj["text"]

    # Progress goes to stderr, so stdout stays clean JSON Lines for the next program.
    err = output.console(stderr=True)
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("extract", total=_count_lines(jsonl) if err.is_terminal else None)
        if ner:  # the NER path runs in this process: it is the slow, opt-in one
            results = skills.extract_with_ner(texts())
        else:
            from pipeline.extract_parallel import extract_stream

            results = ({"skills": found} for found in extract_stream(texts()))
        for found in results:
            output.write_json_line({**waiting.popleft(), **found})
            progress.advance(task)


def _count_lines(path: Path) -> int | None:
    """Non-blank lines of a file, for the progress bar; None for stdin."""
    if str(path) == "-":
        return None
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


# --- match and gaps --------------------------------------------------------------------------

def _load_profile(path: Path):
    from pipeline.profile import load_profile

    profile = load_profile(path)
    for warning in profile.warnings:
        output.warning(f"{path}: {warning}")
    return profile


def _passing(eligible: int, total: int) -> str:
    verb = "passes" if eligible == 1 else "pass"
    return f"{eligible:,} of {plural(total, 'open job')} {verb} your preferences"


def _why_nothing(total: int, eligible: int, profile: Path, what: str) -> str:
    if total == 0:
        return "The database holds no open jobs yet: run `skillscout crawl` or `skillscout demo` first."
    if eligible == 0:
        return (f"None of the {plural(total, 'open job')} passes the preferences in {profile} "
                "(countries, locations, remote, min_salary, employment_types, exclude_companies): "
                f"loosen them to see {what}.")
    return (f"{_passing(eligible, total)}, but none asks for any of the skills in {profile}.")


@app.command()
@_guarded
def match(
    profile: ProfileOption = EXAMPLE_PROFILE,
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many jobs.")] = 20,
    show_all: Annotated[bool, typer.Option("--all", help="Also list jobs that score 0.00.")] = False,
    save: Annotated[bool, typer.Option(help="Store the ranking in the `matches` table.")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="ID", help="Show how one job's score is made, skill by skill.")] = None,
    new: Annotated[bool, typer.Option(
        "--new", help="Only strong matches first seen since the last crawl.")] = False,
    since: Annotated[str | None, typer.Option(
        help="Only strong matches first seen on or after this date (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Rank the stored jobs against your profile, with matched and missing skills; --json
    gives each job's score split into per-skill points and fit factors."""
    fmt = pick_format(as_json, as_csv)
    person = _load_profile(profile)  # bad input is reported before the heavy imports below
    when = _parse_date(since)
    if explain:
        _explain(db, person, explain, fmt)
        return
    if new or since:
        _new_matches(db, person, profile, when, limit, fmt)
        return
    from pipeline.db import open_store
    from pipeline.gaps import STRONG_MATCH
    from pipeline.match import count_jobs, rank_and_count, save_matches
    from skills.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    floor = 0.0 if show_all else SHOWN_SCORE
    with open_store(db, read_only=not save) as con:
        found, (scoring, strong) = rank_and_count(con, person, limit=limit, min_score=floor,
                                                  taxonomy=taxonomy, count_at=(max(floor, STRONG_MATCH),))
        total, eligible = count_jobs(con, person)
        if save:
            save_matches(con, person.name or profile.stem, found)

    def draw(con) -> None:
        if not found:
            output.note(_why_nothing(total, eligible, profile, "matches"))
            return
        summary = (f"{len(found)} of {plural(scoring, 'job')}{'' if show_all else ' scoring above 0.00'} · "
                   f"{plural(strong, 'strong match', 'strong matches')} · "
                   f"{_passing(eligible, total)}")
        if not show_all and eligible > scoring:
            summary += " · --all lists every job"
        views.matches(con, found, f"Best matches for {person.name or profile.name}", STRONG_MATCH, summary)

    emit(fmt, [m.to_dict() for m in found], draw, columns=MATCH_COLUMNS)
    if save:
        output.note(f"Saved {plural(len(found), 'ranked job')} as profile "
                    f"{person.name or profile.stem!r} in the matches table of {db or _default_db()} "
                    "(replacing that profile's earlier ranking).", style="green")


MATCH_COLUMNS = ["id", "score", "title", "company", "location", "remote", "salary", "url", "matched",
                 "missing", "partial", "outside_preferences", "first_seen",
                 "description_truncated"]


def _new_matches(db: Path | None, person: Any, profile: Path, since: Any, limit: int, fmt: Format) -> None:
    from pipeline.db import open_store
    from pipeline.gaps import STRONG_MATCH
    from pipeline.whats_new import new_strong_matches

    with open_store(db, read_only=True) as con:
        since_when, found = new_strong_matches(con, person, since=since)
    shown = found[:limit]
    who = person.name or profile.name

    def draw(con) -> None:
        when = (f"since {since_when:%Y-%m-%d %H:%M} UTC" if since_when
                else "(no crawl recorded: every job is new)")
        if not found:
            output.note(f"No new strong match for {who} {when}.")
            return
        views.matches(con, shown, f"New strong matches for {who}, first seen {when}", STRONG_MATCH,
                      f"{len(shown)} of {plural(len(found), 'new strong match', 'new strong matches')}")

    emit(fmt, [m.to_dict() for m in shown], draw, columns=MATCH_COLUMNS)


def _explain(db: Path | None, person: Any, job_id: str, fmt: Format) -> None:
    from pipeline.db import open_store
    from pipeline.gaps import STRONG_MATCH
    from pipeline.match import rank

    with open_store(db, read_only=True) as con:
        found = rank(con, person, limit=1, only=[job_id])
        exists = con.execute("SELECT count(*) FROM jobs WHERE id = ?", [job_id]).fetchall()[0][0]
    if not found:
        raise UserError(f"no stored job has the id {job_id!r}" if not exists else
                        f"job {job_id} does not pass your preferences (a country, remote-only or an "
                        "excluded company, or two soft preferences missed), so it has no score")
    emit(fmt, found[0].to_dict(), lambda con: views.explanation(con, found[0], STRONG_MATCH),
         rows=found[0].contributions, columns=["skill", "required", "in_title", "weight_share", "cover",
                                               "via", "asked_years", "held_years", "points"])


@app.command()
@_guarded
def gaps(
    profile: ProfileOption = EXAMPLE_PROFILE,
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many skills.")] = 10,
    threshold: Annotated[float | None, typer.Option(
        min=0.05, max=1.0, callback=_finite,
        help="Score that counts as a strong match (default: 0.4).")] = None,
    assume: Annotated[list[str] | None, typer.Option(
        "--assume", metavar="SKILL", help="Answer as if you had learned SKILL (repeatable).")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The skills to learn next: how many more jobs each would make a strong match, which
    ones, and a learning path."""
    fmt = pick_format(as_json, as_csv)
    person = _load_profile(profile)
    from pipeline.db import open_store
    from pipeline.gaps import STRONG_MATCH, learning_path
    from pipeline.gaps import assume as assume_skills
    from pipeline.gaps import gaps as find_gaps
    from pipeline.match import count_jobs

    assumed: list[str] = []
    if assume:
        try:
            learned = assume_skills(person, assume)
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        assumed = [s for s in learned.skills if s not in person.skills]
        person = learned
    threshold = threshold or STRONG_MATCH
    with open_store(db, read_only=True) as con:
        found = find_gaps(con, person, limit=limit, threshold=threshold)
        path = learning_path(con, person, threshold=threshold)
        total, eligible = count_jobs(con, person)

    def draw(con) -> None:
        if not found:
            output.note(_why_nothing(total, eligible, profile, "what to learn")
                        if not eligible else
                        f"You already have every skill the {plural(eligible, 'job')} passing your "
                        "preferences ask for: nothing to learn for these jobs.")
            return
        views.gaps(con, found, path, threshold, assumed)

    rows = [{**g.to_dict(), "unlocked_jobs": [f"{j.id} {j.title}" for j in g.unlocked_jobs]} for g in found]
    emit(fmt, {"skills": [g.to_dict() for g in found], "path": path.to_dict(), "threshold": threshold,
               "assumed": assumed}, draw, rows=rows,
         columns=["skill", "category", "unlocks", "jobs", "required_in", "closeness", "close_to",
                  "pay_median", "pay_currency", "pay_jobs", "unlocked_jobs"])


@app.command()
@_guarded
def report(
    profile: ProfileOption = EXAMPLE_PROFILE,
    output_path: Annotated[Path, typer.Option("--output", "-o", help="Where to write the HTML page.")] = Path(
        "report.html"),
    db: DbOption = None,
    top: Annotated[int, typer.Option(min=1, help="How many matches to list.")] = 15,
) -> None:
    """Write a self-contained HTML report: matches, learn next, demand, pay, trends."""
    person = _load_profile(profile)
    from pipeline.db import open_store
    from pipeline.report import build_report

    with open_store(db, read_only=True) as con, output.console(stderr=True).status(
            "Ranking jobs and drawing charts…"):
        page = build_report(con, person, top=top)
    try:
        output_path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output_path}: {exc.strerror or exc}") from exc
    output.note(f"Wrote {output_path} ({len(page) // 1024} KB); open it in any browser.")


# --- the store: jobs, show, trends, sources, load --------------------------------------------

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
def jobs(
    search: Annotated[str | None, typer.Option("--search", "-q", help="Words in the title or ad.")] = None,
    skill: Annotated[str | None, typer.Option(help="A skill the ad asks for (aliases work).")] = None,
    company: Annotated[str | None, typer.Option(help="Part of the company name.")] = None,
    location: Annotated[str | None, typer.Option(help="Part of the location, or a country code.")] = None,
    remote: Annotated[str | None, typer.Option(help="remote, hybrid or onsite.")] = None,
    min_salary: Annotated[float | None, typer.Option(
        min=0, callback=_finite, help="Annualised pay at least this (give --currency too).")] = None,
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
    fmt = pick_format(as_json, as_csv)
    if remote and remote not in ("remote", "hybrid", "onsite"):
        raise UserError(f"--remote is one of remote, hybrid, onsite; got {remote!r}")
    if currency and not (len(currency) == 3 and currency.isalpha()):
        raise UserError(f"--currency is a three-letter code like GBP, USD or EUR; got {currency!r}")
    from pipeline.db import open_store
    from pipeline.match import format_salary
    from pipeline.query import COLUMNS, JobFilter, canonical_skill, find_jobs

    filters = JobFilter(text=search, skill=canonical_skill(skill) if skill else None, company=company,
                        location=location, remote=remote, min_salary=min_salary, currency=currency,
                        since=_parse_date(since), role_family=role, include_closed=include_closed)
    with open_store(db, read_only=True) as con:
        rows = find_jobs(con, filters, limit=limit)
    title = plural(len(rows), "job")
    if len(rows) == limit:
        title += f" (the first {limit}; --limit shows more)"
    emit(fmt, rows, lambda con: views.jobs(con, rows, title, format_salary) if rows
         else output.note("No stored job matches these filters."), columns=list(COLUMNS))


@app.command()
@_guarded
def show(
    job_id: Annotated[str, typer.Argument(
        help="A job's id (or its first characters), as match and jobs show.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One stored job: where it is listed, the skills found in it, and the ad as stored."""
    from pipeline.db import open_store
    from pipeline.match import format_salary
    from pipeline.query import job_detail

    fmt = pick_format(as_json)
    with open_store(db, read_only=True) as con:
        job = job_detail(con, job_id)
    data = {**job, "skills": [{"name": s, "required": r} for s, r in job["skills"]]}
    emit(fmt, data, lambda con: views.job_detail(con, job, format_salary))


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
    from pipeline.db import open_store
    from pipeline.query import canonical_skill
    from pipeline.trends import trends as skill_trends

    fmt = pick_format(as_json)
    name = canonical_skill(skill) if skill else None
    with open_store(db, read_only=True) as con:
        found = skill_trends(con, skill=name, since=_parse_date(since), role_family=role,
                             country=country.upper() if country != "*" else "*")[:limit]

    def draw(con) -> None:
        if found:
            views.trends(con, found)
        elif name:
            output.note(f"No crawl has recorded {name} yet: trends start with the next crawl.")
        else:
            output.note("No crawl history yet: trends need snapshots from at least one crawl.")

    emit(fmt, [t.__dict__ for t in found], draw)


@app.command()
@_guarded
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Crawl health per source: items, drops, missing fields, warnings."""
    from pipeline.db import open_store
    from pipeline.runs import source_health

    fmt = pick_format(as_json)
    with open_store(db, read_only=True) as con:
        rows = source_health(con)
    emit(fmt, rows, lambda con: views.source_health(con, rows) if rows
         else output.note("No crawl recorded yet: run `skillscout crawl` or `skillscout demo`."))


@app.command()
@_guarded
def load(
    run_dir: Annotated[Path, typer.Argument(
        help="A crawl's run folder: runs/<run_id> beside the database (see `skillscout runs`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a crawl's kept items again (after a failed load) without crawling. Run folders
    are in runs/ beside the database (`skillscout runs` lists them); this one is left as it is."""
    from pipeline.db import check_store

    fmt = pick_format(as_json)
    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: no such folder")
    target = check_store(db)
    from flows.flow import CrawlFailed, load_flow

    try:
        summary = load_flow(run_dir=str(run_dir), db=str(target))
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
    except CrawlFailed as failed:  # every source failed: the summary says why, per source
        summary = failed.summary
    emit(fmt, summary, lambda con: views.crawl_summary(con, summary))
    if summary["status"] == "failed":
        raise typer.Exit(1)


@app.command(name="runs")
@_guarded
def list_runs(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many runs.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Recent crawl runs, and the run folders kept beside the database (and why)."""
    from datetime import datetime

    from pipeline import run_folders
    from pipeline.db import default_db_path, open_store
    from pipeline.runs import list_runs as recent_runs

    fmt = pick_format(as_json)
    db = db or default_db_path()
    with open_store(db, read_only=True) as con:
        rows = recent_runs(con, limit)
    root, days = run_folders.runs_root(Path(db)), run_folders.keep_days()
    folders = {f.run_id: f for f in run_folders.run_folders(root)}
    for r in rows:
        f = folders.get(r["run_id"])
        r["folder"] = str(f.path) if f else None
        r["kept"] = (f.kept or f"until {datetime.fromtimestamp(f.expires(days)):%Y-%m-%d}") if f else None
    emit(fmt, rows, lambda con: views.crawl_runs(con, rows, root, days))


# --- Prefect: schedules and work pools -------------------------------------------------------

@app.command()
@_guarded
def schedule(
    sources_file: SourcesOption = DEFAULT_SOURCES,
    cron: Annotated[str, typer.Option(help='When to crawl, e.g. "0 6 * * *" (06:00 daily).')] = ...,
    db: DbOption = None,
    name: Annotated[str, typer.Option(help="Deployment name shown in the Prefect UI.")] = "scheduled-crawl",
    profile: Annotated[Path | None, typer.Option(
        "--profile", "-p", help="After each crawl, send this profile's new strong matches...")] = None,
    notify: Annotated[str | None, typer.Option(
        metavar="BLOCK", help="...through this Prefect notification block (TYPE/NAME, e.g. "
                              "custom-webhook/skillscout).")] = None,
) -> None:
    """Serve the crawl flow on a cron schedule (needs `prefect server start`); with
    --profile and --notify, each crawl sends the new strong matches through a notification
    block you configured in Prefect."""
    from pipeline.db import check_store

    target = check_store(db)
    from flows.schedule import prepare, serve

    # cron, sources file, profile, notification block and server checked
    deployment = prepare(sources_file, cron, target, name, profile, notify)
    extra = f"; new strong matches for {profile} sent through {notify}" if notify else ""
    output.note(f"Serving '{name}' on schedule {cron!r}: crawls of {sources_file} into {target}{extra}. "
                "Ctrl-C stops it.")
    serve(deployment)


@app.command()
@_guarded
def deploy(
    sources_file: SourcesOption = DEFAULT_SOURCES,
    parquet: Annotated[Path, typer.Option(help="Folder every worker writes Parquet to.")] = ...,
    shards: Annotated[int, typer.Option(
        min=1, max=1000, help="Split the sources into this many shards.")] = 2,
    pool: Annotated[str, typer.Option(help="Prefect work pool (created as a process pool).")] = "skillscout",
    cron: Annotated[str | None, typer.Option(help='Crawl on a schedule, e.g. "0 6 * * *".')] = None,
    source: Annotated[str | None, typer.Option(
        help="Where workers get the code: a folder or git URL (default: this checkout).")] = None,
    run_now: Annotated[bool, typer.Option("--run-now", help="Also run every shard now.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Deploy the crawl to a Prefect work pool, one deployment per shard (needs a server)."""
    fmt = pick_format(as_json)
    from prefect.deployments import run_deployment

    from flows.work_pool import deploy_shards

    deployed = deploy_shards(pool, shards, sources_file, parquet, cron=cron, source=source)
    runs = {name: str(run_deployment(name, timeout=0).id) for name in deployed} if run_now else {}

    def draw(con) -> None:
        when = f" on schedule {cron!r}" if cron else ""
        for name in deployed:
            queued = f"; run {runs[name]} waits for a worker to take it" if name in runs else ""
            output.note(f"deployed {name}{when}{queued}")
        output.note(f"Start workers on each machine with `prefect worker start --pool {pool} --limit 1`; "
                    f"they write to {parquet}. Load it with `skillscout ingest {parquet}`.")
        if not cron and not run_now:
            output.note("Nothing runs until you start a run: `prefect deployment run "
                        f"'{next(iter(deployed))}'`, the UI's Quick run, or deploy again with --run-now.")

    emit(fmt, {"pool": pool, "deployments": deployed, "runs": runs}, draw)


# --- the taxonomy ----------------------------------------------------------------------------

profile_app = typer.Typer(cls=OneLineErrors, help="Your skill profile: draft one from your CV.",
                          no_args_is_help=True)
app.add_typer(profile_app, name="profile")


@profile_app.command("init")
@_guarded
def profile_init(
    cv: Annotated[Path, typer.Option("--cv", help="Your CV: PDF, DOCX or plain text.")],
    output_path: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the draft here (default: print it).")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --output if it exists.")] = False,
) -> None:
    """Draft a profile from your CV: the skills it names, with years from its dates or
    wording, each marked for you to check. The CV never leaves this machine."""
    if output_path is not None and output_path.exists() and not force:
        raise UserError(f"{output_path} already exists: choose another file or add --force")
    from pipeline.cv import draft_profile, read_cv_text

    draft = draft_profile(read_cv_text(cv), source=cv.name)
    if not draft.skills:
        raise UserError(f"{cv}: no skill from the taxonomy found in it; write the profile by hand "
                        "(see data/profile.example.yaml)")
    text = draft.to_yaml()
    if output_path is None:
        sys.stdout.write(text)
        return
    try:
        output_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output_path}: {exc.strerror or exc}") from exc
    dated = sum(s.years is not None for s in draft.skills)
    output.note(f"Wrote a draft profile to {output_path}: {plural(len(draft.skills), 'skill')}, {dated} with "
                "years. Check every line marked 'check:', then run "
                f"skillscout match --profile {output_path}.")


skills_app = typer.Typer(cls=OneLineErrors, help="The skill taxonomy: what it knows and what it is missing.",
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
    from pipeline.query import open_ad_texts
    from skills.unknown import unknown_skills

    fmt = pick_format(as_json)
    with open_store(db, read_only=True) as con:
        ads = open_ad_texts(con)
    found = unknown_skills(skill_lib.get_nlp(), ads, min_ads=min_ads, limit=limit, use_ner=ner)
    emit(fmt, [f.__dict__ for f in found], lambda con: views.unknown_skills(con, found, len(ads)))


# --- evaluation --------------------------------------------------------------------------------

@app.command(name="eval")
@_guarded
def evaluate(
    as_json: JsonOption = False,
    show_errors: Annotated[int, typer.Option(
        min=0, help="List the N commonest false positives and misses.")] = 0,
    db: Annotated[Path | None, typer.Option(
        "--db", help="A store holding the demo board; default: crawl it into a temporary one.")] = None,
) -> None:
    """Quality figures: skill extraction (labelled dev set, SkillSpan) and ranking (personas)."""
    fmt = pick_format(as_json)
    from flows.evaluation import ranking_evaluation, ranking_tables
    from pipeline.ranking_eval import load_personas, summarise
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
    personas = load_personas()
    results, calibration = ranking_evaluation(db, personas)
    ranking = summarise(results, personas)
    data = {"dev_set": {k: v.summary() for k, v in dev.items()},
            "holdout_set": {k: v.summary() for k, v in holdout.items()} if holdout else None,
            "skillspan": {k: v.summary() for k, v in span.items()} if span else None,
            "real_ads": {k: v.summary() for k, v in real.items()} if real else None,
            "real_ads_labelled_dev": {k: v.summary() for k, v in real_dev.items()} if real_dev else None,
            "real_ads_labelled_holdout": ({k: v.summary() for k, v in real_holdout.items()}
                                          if real_holdout else None),
            "ranking": ranking,
            "strong_match_calibration": {p: c.summary() for p, c in calibration.items()}}

    def draw(con) -> None:
        con.print(_extraction_scores(f"Skill extraction: labelled dev set (data/eval, "
                                     f"{len(load_dev_set(DEV_SET))} ads, tuned on)", dev))
        if holdout:
            con.print(_extraction_scores(f"Skill extraction: held-out set (data/eval, "
                                         f"{len(load_dev_set(HOLDOUT_SET))} ads, never tuned on)", holdout))
        if span:
            keys = ("strict_precision", "strict_recall", "strict_f1", "overlap_precision", "overlap_recall",
                    "overlap_f1")
            rows = [[name, *(f"{sc.summary()[k]:.3f}" for k in keys), str(sc.summary()["predicted"]),
                     str(sc.summary()["gold"])] for name, sc in span.items()]
            con.print(views.score_table("SkillSpan dev, tech postings: Knowledge spans (soft skills: Skill "
                                        "spans), scored on SkillSpan's tokens",
                                        ["extractor", "strict P", "strict R", "strict F1", "overlap P",
                                         "overlap R", "overlap F1", "predicted", "gold"], rows))
        else:
            output.note("SkillSpan dev not found at ../shared/skillspan/dev.json: span scores skipped",
                        style="dim")
        if real:
            rows = [[corpus, *(str(sc.summary()[k]) for k in ("ads", "no_skill")),
                     f"{sc.summary()['no_skill_share']:.3f}",
                     *(str(sc.summary()[k]) for k in ("naming_a_tool", "naming_a_tool_no_skill",
                                                      "tool_mentions", "covered")),
                     f"{sc.summary()['coverage']:.3f}"] for corpus, sc in real.items()]
            con.print(views.score_table(
                "Real ads as their sources deliver them (../shared/real-ads): ads with no skill, and plain "
                "mentions of unambiguous tools covered",
                ["corpus", "ads", "no skill", "share", "naming a tool", "…no skill", "tool mentions",
                 "covered", "coverage"], rows))
        else:
            output.note("Real ads not found at ../shared/real-ads/: no-skill share and coverage skipped",
                        style="dim")
        for scores, title in ((real_dev, "Skill extraction: blind-labelled real ads, dev half "
                                         "(data/eval/real_ads_dev.jsonl, 30 ads, tuned on)"),
                              (real_holdout, "Skill extraction: blind-labelled real ads, held-out half "
                                             "(data/eval/real_ads_holdout.jsonl, 30 ads, never tuned on)")):
            if scores:
                con.print(_extraction_scores(title, scores))
        for table in ranking_tables(ranking, calibration, personas):
            con.print(table)
        if show_errors:
            ours = dev["skillscout"]
            fps = sorted(ours.false_positives.items(), key=lambda kv: -kv[1])[:show_errors]
            misses = sorted(ours.misses.items(), key=lambda kv: -kv[1])[:show_errors]
            output.note("false positives: " + ", ".join(f"{k} ({v})" for k, v in fps))
            output.note("misses: " + ", ".join(f"{k} ({v})" for k, v in misses))

    emit(fmt, data, draw)


def _extraction_scores(title: str, scores: dict[str, Any]):
    rows = []
    for name, sc in scores.items():
        r = sc.summary()
        rows.append([name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                     f"{r['required_accuracy']:.3f}", str(r["tp"]), str(r["fp"]), str(r["fn"])])
    return views.score_table(title, ["extractor", "precision", "recall", "F1", "required/nice accuracy",
                                     "TP", "FP", "FN"], rows)


# --- the web app and application tracking ----------------------------------------------------

ServeProfileOption = Annotated[Path | None, typer.Option(
    "--profile", "-p", show_default=False,
    help="Your skill profile (YAML); default: the one saved from `skillscout serve`'s profile page, "
         "else the bundled example profile.")]


@app.command()
@_guarded
def serve(
    db: DbOption = None,
    profile: ServeProfileOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 exposes the app to your network.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8000,
) -> None:
    """Browse your matches in a web browser: each ad with its skills marked, application
    tracking, what to learn next, trends, crawl health and your profile."""
    from flows.web.app import WebConfig
    from flows.web.serve import exposure_warning
    from flows.web.serve import serve as run_server
    from pipeline.paths import default_db_path

    if profile is not None and profile.exists():
        from pipeline.profile import ProfileError

        try:  # said now; the app starts anyway, so the profile can be fixed in its editor
            _load_profile(profile)
        except ProfileError as exc:
            output.warning(f"{exc} (the app shows it on its profile page, where you can fix it)")
    warning = exposure_warning(host)
    if warning:
        output.warning(warning)
    config = WebConfig(db=Path(db) if db else default_db_path(), profile=profile, host=host)
    run_server(config, port, output.note)


@app.command()
@_guarded
def status(
    job_id: Annotated[str | None, typer.Argument(
        help="A job's id (or its first characters); without it, list your statuses.",
        show_default=False)] = None,
    new_status: Annotated[str | None, typer.Argument(
        metavar="STATUS", help="saved, applied, interviewing, offer, rejected, hidden; none clears it.",
        show_default=False)] = None,
    note: Annotated[str | None, typer.Option(help="A note kept with the status.")] = None,
    only: Annotated[str | None, typer.Option("--only", help="List only jobs with this status.")] = None,
    profile: ServeProfileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Track applications: list your statuses, or set one (the same data as `skillscout serve`)."""
    from flows.profiles import serve_profile_path

    fmt = pick_format(as_json, as_csv)
    path = profile or serve_profile_path()
    person = _load_profile(path)
    from pipeline.db import open_store
    from pipeline.status import EXPORT_COLUMNS, check_status, profile_key, set_status, statuses

    key = profile_key(person, path)
    if job_id is not None:
        if new_status is None:
            raise UserError("give the status to set after the job id, e.g. "
                            "`skillscout status 3f2a9c01 applied`")
        check_status(new_status)
        with open_store(db) as con:
            now = set_status(con, key, job_id, new_status, note)
        data = now.to_dict() if now else {"status": None}
        emit(fmt, data, lambda con: output.note(
            f"{now.title or now.job_id}: {now.status}" + (f" ({now.note})" if now.note else "") if now
            else "Status cleared."), rows=[data] if now else [], columns=list(EXPORT_COLUMNS))
        return
    if only is not None:
        check_status(only)
    with open_store(db, read_only=True) as con:
        found = statuses(con, key, only)
    rows = [a.to_dict() for a in found]
    emit(fmt, rows, lambda con: views.applications(con, found, key) if found
         else output.note(f"No status set yet for {key}: `skillscout status JOB_ID saved` sets one."),
         columns=list(EXPORT_COLUMNS))


# --- demo ------------------------------------------------------------------------------------

@app.command()
@_guarded
def demo(
    db: DbOption = None,
    profile: ProfileOption = EXAMPLE_PROFILE,
    top: Annotated[int, typer.Option(min=1, help="How many matches to show.")] = 10,
) -> None:
    """Crawl the bundled demo board (served on 127.0.0.1) with the real flow, then show the
    best matches for the example profile and what to learn next."""
    person = _load_profile(profile)
    from pipeline.db import check_store, open_store

    target = check_store(db)
    from flows.demo_board import LOCAL_CRAWL_SETTINGS, DemoBoard, demo_sources, serve_demo_board
    from pipeline.gaps import STRONG_MATCH, learning_path, strong_matches
    from pipeline.gaps import gaps as find_gaps
    from pipeline.match import count_jobs, rank

    began = time.perf_counter()
    board = DemoBoard.load()
    con_out = output.console()
    with serve_demo_board(board) as base_url:
        output.note(f"Serving the demo board ({len(board.ads)} ads) at {base_url}; crawling it…")
        with output.console(stderr=True).status(
                "Crawling, extracting and loading (the first run also starts Prefect)…"):
            summary = _run_flow(sources=demo_sources(base_url, board), db=str(target),
                                scrapy_settings=LOCAL_CRAWL_SETTINGS)
    views.crawl_summary(con_out, summary)
    with open_store(target, read_only=True) as con:
        total, eligible = count_jobs(con, person)
        found = rank(con, person, limit=top, min_score=SHOWN_SCORE)
        strong = strong_matches(con, person, STRONG_MATCH, _taxonomy())
        learn = find_gaps(con, person, limit=8)
        path = learning_path(con, person)
    output.note(f"\n{plural(total, 'open job')} in {target}\n")
    views.matches(con_out, found, f"Best matches for {person.name or profile.name}", STRONG_MATCH,
                  f"top {len(found)} · {plural(strong, 'strong match', 'strong matches')} · "
                  f"{_passing(eligible, total)}")
    con_out.print()
    views.gaps(con_out, learn, path, STRONG_MATCH)
    output.note(f"\nNext: `skillscout report -o report.html` for the page with charts; copy {profile} "
                "to me.yaml, put in your own skills and run `skillscout match --profile me.yaml`.")
    output.note(f"demo finished in {time.perf_counter() - began:.1f}s", style="dim")


def _taxonomy():
    from skills.taxonomy import load_taxonomy

    return load_taxonomy()


def main() -> None:
    # Prefect reads these when it is imported; keep its own chatter out of our output.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    # The CLI says what happened, one line per problem; Prefect's console copy of its logs
    # (a traceback per failed task) would bury that. Runs still log to the Prefect UI.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    app()


if __name__ == "__main__":
    main()
