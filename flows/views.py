"""How each command's results look in a terminal (the table side of `flows/output.emit`).

Layouts hold at 80 columns: cells wrap at word boundaries, pay is never cut or wrapped,
long lists say how many they leave out, and every job carries its id (`skillscout show ID`
prints the stored ad) and link. Anything scraped goes through `output.text`."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.output import clean, plural, text

LIST_LIMIT = 8  # skills shown per list before "+N more"
MATCH_LEGEND = (
    "score 0-1: how much of the ad you cover and how much of you the job uses, lowered for a job "
    "outside one of your preferences or next to the roles you target; a strong match scores "
    "{strong:.2f} or more (green). partly: a broader or related skill you have covers part of it. "
    "nice to have: the ad lists it as a plus. `skillscout match --explain ID` shows how a score is "
    "made, `skillscout show ID` prints the stored ad.")


def shortened(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    shown = ", ".join(clean(s) for s in items[:limit])
    return shown + (f", +{len(items) - limit} more" if len(items) > limit else "")


def _labelled(rows: list[tuple[str, Text | str]], label_width: int = 12) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True, min_width=label_width)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def _where(*parts: Any) -> Text:
    return text(" · ".join(clean(p) for p in parts if p))


LABEL_WIDTH = 12


def _wrapped(value: str, width: int) -> list[str]:
    """Word-wrapped lines; a word longer than the line (a link) is folded, never cut off."""
    return textwrap.wrap(value, max(width, 10), break_on_hyphens=False) or [""]


def match_card(n: int, m: Any, strong: float, width: int = 80) -> Text:
    """One ranked job: title, where and pay, what you have, what is missing, link.

    Laid out by hand rather than as nested rich tables: a table pads every line to the
    terminal's width and costs a third of `skillscout match`'s start-up to measure."""
    missing = [s for s in m.missing_required if s not in m.partial]
    rows: list[tuple[str, str, str]] = []  # label, untrusted value, style
    if m.salary:  # a line of its own: never split between the amount and its period
        rows.append(("pay", m.salary, ""))
    if m.matched:
        rows.append(("you have", shortened(m.matched), ""))
    if missing:
        rows.append(("missing", shortened(missing), ""))
    if m.partial:
        rows.append(("partly", shortened(m.partial), ""))
    nice = [s for s in m.missing_nice if s not in m.partial]
    if nice:
        rows.append(("nice to have", shortened(nice), ""))
    if getattr(m, "description_truncated", False):
        rows.append(("note", "snippet only: the full ad may ask for more skills", "yellow"))
    if getattr(m, "outside_preferences", None):
        rows.append(("outside", "your preferences: " + ", ".join(m.outside_preferences), "yellow"))
    if m.url:
        rows.append(("link", m.url, "cyan"))
    rows.append(("id", m.id, "dim"))

    number, score = f"{n}.", f"{m.score:.2f}"
    indent = " " * (len(number) + len(score) + 2)
    card = Text(f"{number} ") + Text(score, style="bold green" if m.score >= strong else "") + " "
    head = clean(m.title) + (f" · {clean(m.company)}" if m.company else "")
    for k, line in enumerate(_wrapped(head, width - len(indent))):
        card += Text(indent if k else "") + Text(line, style="bold") + "\n"
    where = " · ".join(clean(p) for p in (m.location, m.remote, m.posted_at and f"posted {m.posted_at}") if p)
    for line in _wrapped(where, width - len(indent)) if where else ():
        card += Text(indent + line + "\n")
    value_indent = indent + " " * (LABEL_WIDTH + 1)
    for label, value, style in rows:
        for k, line in enumerate(_wrapped(clean(value), width - len(value_indent))):
            card += (Text(indent) + Text(label.ljust(LABEL_WIDTH), style="dim") + " " if not k
                     else Text(value_indent))
            card += Text(line, style=style) + "\n"
    card.rstrip()
    return card


def matches(con: Console, found: list[Any], title: str, strong: float, summary: str) -> None:
    con.print(Text(clean(title), style="bold"))
    con.print(Text(summary, style="dim"))
    for n, m in enumerate(found, 1):
        con.print()
        con.print(match_card(n, m, strong, con.width), no_wrap=True, overflow="ignore")
    con.print()
    con.print(Text(MATCH_LEGEND.format(strong=strong), style="dim"))


def gaps(con: Console, found: list[Any], path: Any, threshold: float,
         assumed: Sequence[str] = ()) -> None:
    """Learn next: a table of the skills (name and category in columns of their own), what
    makes each close and the jobs it would unlock, then the learning path."""
    title = "Learn next" + (f", assuming you also know {', '.join(assumed)}" if assumed else "")
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column("skill", ratio=2, min_width=12, overflow="fold")
    table.add_column("category", no_wrap=True, min_width=10)
    for col in ("unlocks", "asked", "req.", "close"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("median pay", justify="right", ratio=1, min_width=11)
    for g in found:
        table.add_row(text(g.skill), g.category, str(g.unlocks), str(g.jobs), str(g.required_in),
                      f"{g.closeness:.2f}", g.pay)
    con.print(table)
    con.print(Text(f"unlocks: jobs that would score {threshold:.2f} or more (a strong match) if you "
                   "learned the skill; asked / req.: jobs that ask for it / require it; "
                   "close: how much of those ads you already cover (0-1); median pay: midpoint of "
                   "the annualised range of the jobs asking for it, in the currency most of them use, "
                   "from at least 3 jobs.", style="dim"))
    for g in found:
        line = Text(f"{clean(g.skill)}: ", style="bold") + text(g.close_to or "nothing you know is near it")
        if g.unlocked_jobs:
            jobs = "; ".join(clean(j.title) + (f" – {clean(j.company)}" if j.company else "") + f" ({j.id})"
                             for j in g.unlocked_jobs)
            more = f", +{g.unlocks - len(g.unlocked_jobs)} more" if g.unlocks > len(g.unlocked_jobs) else ""
            line += Text("; would unlock ") + Text(jobs + more)
        con.print(line)
    now = plural(path.strong_matches_now, "strong match", "strong matches") + " now"
    if path.steps:
        steps = " → ".join(f"{clean(p.skill)} ({p.strong_matches_after})" for p in path.steps)
        con.print(Text("A learning path ", style="bold")
                  + Text(f"({now}; strong matches after each step): {steps}. "
                         f"It stops: {path.stopped_because}."))
    else:
        con.print(Text(f"No learning path ({now}): {path.stopped_because}."))


FACTOR_LABELS = {"recency": "recency", "role_fit": "role family", "level_fit": "seniority",
                 "preference_fit": "preferences", "core_fit": "core skill"}


def explanation(con: Console, m: Any, strong: float) -> None:
    """One job's score, skill by skill, then the factors that multiply it."""
    head = text(m.title, "bold")
    if m.company:
        head += Text(" · ") + text(m.company)
    con.print(head)
    con.print(_where(m.location, m.remote, m.salary, m.url))
    factors = " × ".join(f"{FACTOR_LABELS[n]} {v:.2f}" for n, v in m.factors.items() if v < 1)
    verdict = "a strong match" if m.score >= strong else f"below the strong-match line ({strong:.2f})"
    con.print(Text(f"score {m.score:.3f} = skills {m.skill_score:.3f}"
                   + (f" × {factors}" if factors else "") + f": {verdict}"))
    table = Table(title="Per skill (the points add up to the score)", title_justify="left",
                  title_style="bold")
    table.add_column("skill", ratio=2, overflow="fold")
    table.add_column("asked as", ratio=2, overflow="fold")
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_column("you", ratio=2, overflow="fold")
    table.add_column("points", justify="right", no_wrap=True)
    for c in m.contributions:
        asked = "required" if c["required"] else "nice to have"
        if c["in_title"]:
            asked += ", in the title"
        if c["asked_years"]:
            asked += f", {c['asked_years']}+ years"
        if c["cover"] >= 1:
            you = "have it"
        elif c["held_years"] is not None and c["asked_years"] and c["held_years"] < c["asked_years"]:
            you = f"{c['held_years']:g} of {c['asked_years']} years ({c['cover']:.2f})"
        elif c["cover"] > 0:
            you = f"partly ({c['cover']:.2f}" + (f", via {c['via']}" if c["via"] else "") + ")"
        else:
            you = "missing"
        table.add_row(text(c["skill"]), asked, f"{c['weight_share']:.1%}", text(you), f"{c['points']:.3f}")
    con.print(table)
    for name, why in m.factor_reasons.items():
        con.print(Text(f"{FACTOR_LABELS[name]} × {m.factors[name]:.2f}: ", style="dim") + text(why, "dim"))
    con.print(Text("weight: the skill's share of the ad (required counts twice a nice-to-have, rare skills "
                   "more than common ones, a skill the title names double; the rest is an allowance for "
                   "skills the ad does not name). points: its share of the score, fit factors applied.",
                   style="dim"))


def jobs(con: Console, rows: list[dict[str, Any]], title: str, format_salary: Any) -> None:
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column("posted", no_wrap=True)
    table.add_column("job", ratio=3)
    table.add_column("where", ratio=2)
    table.add_column("pay", no_wrap=True)  # an amount is never cut or wrapped
    for r in rows:
        pay = format_salary(r["salary_min"], r["salary_max"], r["salary_currency"], r["salary_period"])
        job = text(r["title"], "bold")
        for extra in (r["company"], r["role_family"]):
            if extra:
                job += Text("\n") + text(extra, "dim")
        job += Text(f"\n{r['id']}", style="dim")  # the id `skillscout show` takes
        table.add_row(str(r["posted_at"] or "")[:10], job, _where(r["location"], r["remote"]), text(pay))
    con.print(table)
    con.print(Text("The grey code under each job is its id: `skillscout show ID` prints the stored ad "
                   "and its links (--json and --csv list the URLs too).", style="dim"))


def job_detail(con: Console, job: dict[str, Any], format_salary: Any) -> None:
    con.print(text(job["title"], "bold") + (Text(" · ") + text(job["company"]) if job["company"] else Text()))
    pay = format_salary(job["salary_min"], job["salary_max"], job["salary_currency"], job["salary_period"])
    con.print(_where(job["location"], job["remote"], job["employment_type"], pay,
                     job["posted_at"] and f"posted {str(job['posted_at'])[:10]}",
                     job["closed_at"] and f"closed {str(job['closed_at'])[:10]}"))
    rows: list[tuple[str, Text | str]] = [("id", job["id"])]
    for url in job["urls"]:
        rows.append(("link", text(url, "cyan")))
    required = [s for s, req in job["skills"] if req]
    nice = [s for s, req in job["skills"] if not req]
    if required:
        rows.append(("asks for", text(", ".join(required))))
    if nice:
        rows.append(("nice to have", text(", ".join(nice))))
    con.print(_labelled(rows))
    con.print()
    con.print(text(job["description"] or "(the ad had no text)", keep_lines=True))


def _source_grid() -> Table:
    # Name and status never wrap (a source name is something to copy); the figures wrap at
    # word boundaries in what is left, so the layout holds at 80 columns.
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def _status(status: str, flagged: bool) -> Text:
    return Text(status, style="red" if status == "failed" else "yellow" if flagged else "green")


def crawl_summary(con: Console, summary: dict[str, Any]) -> None:
    """One line per source with its figures, then each failure or warning in full."""
    con.print(Text(f"Crawl {summary['run_id']} — {summary['status']}", style="bold"))
    grid = _source_grid()
    for s in summary["sources"]:
        note = s.get("error") or s.get("warning")
        figures = (f"{plural(s.get('items', 0), 'item')}: {s.get('new', 0)} new, "
                   f"{s.get('updated', 0)} updated, {s.get('closed', 0)} closed, "
                   f"{s.get('filtered', 0)} not data/ML · "
                   f"{plural(s.get('skills', 0), 'skill')} found")
        grid.add_row(text(s["source"], "bold"), _status(s["status"], bool(note)), figures)
    con.print(grid)
    for s in summary["sources"]:
        note = s.get("error") or s.get("warning")
        if note:
            label = "failed" if s["status"] == "failed" else "warning"
            named = note if note.startswith(f"{s['source']}: ") else f"{s['source']}: {note}"
            con.print(Text(f"{label}: ", style="red" if label == "failed" else "yellow") + text(named),
                      soft_wrap=True)
    if summary.get("note"):
        con.print(text(summary["note"], "yellow"), soft_wrap=True)
    if summary.get("logs"):  # the run's folder, kept because something failed
        con.print(text(f"logs: {summary['logs']}"), soft_wrap=True)
    for recovered in summary.get("recovered") or []:
        con.print(Text("recovered: ", style="yellow") + text(recovered), soft_wrap=True)


def crawl_runs(con: Console, rows: list[dict[str, Any]], folder: Any, days: float) -> None:
    """Recent runs, one line each, with their folder if it is kept (and why or how long)."""
    con.print(Text(f"Crawl runs (folders in {clean(folder)}, kept {days:g} days unless marked)",
                   style="bold"))
    grid = _source_grid()
    for r in rows:
        figures = (f"{r['started']} · {plural(r['items'] or 0, 'item')}: {r['new'] or 0} new, "
                   f"{r['updated'] or 0} updated, {r['closed'] or 0} closed"
                   + (f" · folder kept {r['kept']}" if r.get("kept") else ""))
        grid.add_row(text(r["run_id"], "bold"), _status(r["status"], bool(r["note"])), figures)
    con.print(grid)
    for r in rows:
        if r["note"]:
            con.print(Text("note: ", style="yellow") + text(f"{r['run_id']}: {r['note']}"), soft_wrap=True)


def source_health(con: Console, rows: list[dict[str, Any]]) -> None:
    con.print(Text("Sources (latest crawl)", style="bold"))
    grid = _source_grid()

    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.0%}"

    for r in rows:
        previous = f" (last time {r['previous']})" if r["previous"] is not None else ""
        figures = (f"{r['crawled']} · {plural(r['items'], 'item')}{previous}, {r['dropped']} dropped, "
                   f"{r['duplicates']} duplicates · without pay {pct(r['missing_salary'])}, "
                   f"location {pct(r['missing_location'])}, text {pct(r['missing_description'])}")
        if r.get("truncated_description"):
            figures += f", snippets only {pct(r['truncated_description'])}"
        if r.get("rate_limited"):
            figures += f" · {plural(r['rate_limited'], 'request')} refused for the rate limit"
        grid.add_row(text(r["source"], "bold"), _status(r["status"], bool(r["warning"])), figures)
    con.print(grid)
    for r in rows:
        if r["warning"]:
            detail = f" ({r['error']})" if r.get("error") and r["error"] not in r["warning"] else ""
            con.print(Text("warning: ", style="yellow") + text(f"{r['source']}: {r['warning']}{detail}"),
                      soft_wrap=True)


def trends(con: Console, found: list[Any]) -> None:
    runs = len(found[0].series)
    table = Table(title=f"Skill demand across {plural(runs, 'crawl')} (share of open jobs)",
                  title_justify="left", title_style="bold")
    table.add_column("skill", ratio=1)
    for col in ("first", "last", "change (pts)"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("history", no_wrap=True)
    for t in found:
        style = "green" if t.change > 0 else "red" if t.change < 0 else "dim"
        table.add_row(text(t.skill), f"{t.first_share:.0%}", f"{t.last_share:.0%}",
                      Text(f"{t.change:+.1f}", style=style), sparkline([v for _, v in t.series]))
    con.print(table)


def sparkline(values: list[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    top = max(values) or 1
    return "".join(bars[min(len(bars) - 1, int(v / top * (len(bars) - 1)))] for v in values)


def unknown_skills(con: Console, found: list[Any], ads: int) -> None:
    table = Table(title=f"Possible skills not in the taxonomy ({plural(ads, 'open ad')} read)",
                  title_justify="left", title_style="bold")
    table.add_column("name", overflow="fold")
    table.add_column("ads", justify="right")
    table.add_column("example", ratio=1, overflow="fold")
    for f in found:
        table.add_row(text(f.name), str(f.ads), text(f.examples[0] if f.examples else ""))
    con.print(table)
    con.print(Text("Add the real ones to skills/data/curated.yaml, then run "
                   "python -m skills.build_taxonomy.", style="dim"))


def score_table(title: str, columns: Sequence[str], rows: list[Sequence[str]]) -> Table:
    """A table of figures (evaluation): the first column names the row."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for n, col in enumerate(columns):  # folded when narrow, never cut with "…"
        table.add_column(col, justify="left" if n == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def applications(con: Console, found: list[Any], profile_key: str) -> None:
    table = Table(title=f"Applications for {clean(profile_key)} ({plural(len(found), 'job')})",
                  title_justify="left", title_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("job", ratio=3)
    table.add_column("note", ratio=2)
    table.add_column("since", no_wrap=True)
    for a in found:
        job = text(a.title or a.job_id, "bold")
        if a.company:
            job += Text("\n") + text(a.company, "dim")
        job += Text(f"\n{a.job_id}" + (" · closed" if a.closed_at else ""), style="dim")
        table.add_row(text(a.status), job, text(a.note or "", keep_lines=True),
                      a.updated_at.strftime("%Y-%m-%d"))
    con.print(table)
