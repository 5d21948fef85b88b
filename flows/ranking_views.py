"""Terminal views of a score's explanation and of what to learn next (the table side of
`match --explain` and `gaps`). Scraped text (titles, companies) is passed to rich as `Text`,
never parsed as markup."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FACTOR_LABELS = {"recency": "recency", "role_fit": "role family", "level_fit": "seniority",
                 "preference_fit": "preferences", "core_fit": "core skill"}


def explanation(con: Console, m: Any, strong: float) -> None:
    """One job's score, skill by skill, then the factors that multiply it."""
    head = Text(m.title, style="bold")
    if m.company:
        head += Text(" · ") + Text(m.company)
    con.print(head)
    con.print(Text(" · ".join(x for x in (m.location, m.remote, m.salary, m.url) if x), style="dim"))
    factors = " × ".join(f"{FACTOR_LABELS[n]} {v:.2f}" for n, v in m.factors.items() if v < 1)
    verdict = "a strong match" if m.score >= strong else f"below the strong-match line ({strong:.2f})"
    con.print(Text(f"score {m.score:.3f} = skills {m.skill_score:.3f}"
                   + (f" × {factors}" if factors else "") + f": {verdict}"))
    table = Table(title="Per skill (points add up to the score)", title_justify="left", title_style="bold")
    for col in ("skill", "asked as", "weight", "you", "points"):
        table.add_column(col, justify="right" if col in ("weight", "points") else "left")
    for c in m.contributions:
        asked = "required" if c["required"] else "nice to have"
        if c["in_title"]:
            asked += ", in the title"
        if c["asked_years"]:
            asked += f", {c['asked_years']}+ years"
        if c["cover"] >= 1:
            you = "have it"
        elif c["cover"] > 0:
            you = f"partly ({c['cover']:.2f}" + (f", via {c['via']}" if c["via"] else "") + ")"
            if c["held_years"] is not None and c["asked_years"] and c["held_years"] < c["asked_years"]:
                you = f"{c['held_years']:g} of {c['asked_years']} years ({c['cover']:.2f})"
        else:
            you = "missing"
        table.add_row(Text(c["skill"]), asked, f"{c['weight_share']:.1%}", you, f"{c['points']:.3f}")
    con.print(table)
    for name, why in m.factor_reasons.items():
        con.print(Text(f"{FACTOR_LABELS[name]} × {m.factors[name]:.2f}: {why}", style="dim"))
    con.print(Text("weight: the skill's share of the ad (required counts twice a nice-to-have, rare skills "
                   "more than common ones, a skill the title names double). points: its share of the "
                   "score, with the fit factors applied.", style="dim"))


def learn_next(con: Console, found: list[Any], path: Any, threshold: float,
               assumed: list[str] | None = None) -> None:
    title = "Learn next" + (f", assuming you also know {', '.join(assumed)}" if assumed else "")
    table = Table(title=title, title_justify="left", title_style="bold")
    for col in ("skill", "category", "unlocks", "asked in", "required in", "closeness", "close to",
                "median pay (jobs asking)"):
        table.add_column(col, justify="left" if col in ("skill", "category", "close to") else "right",
                         overflow="fold")
    for g in found:
        table.add_row(Text(g.skill), g.category, str(g.unlocks), str(g.jobs), str(g.required_in),
                      f"{g.closeness:.2f}", Text(g.close_to or ""), g.pay)
    con.print(table)
    con.print(Text(f"unlocks: jobs that would score {threshold:.2f} or more (a strong match) if you learned "
                   "the skill; closeness: how much of those ads you already cover (0-1); median pay: "
                   "midpoint of the annualised range of the jobs asking for it, in their commonest "
                   "currency, from at least 3 jobs.", style="dim"))
    for g in found:
        if g.unlocked_jobs:
            jobs = "; ".join(f"{j.title}" + (f" – {j.company}" if j.company else "") + f" [{j.id}]"
                             for j in g.unlocked_jobs)
            more = f" (+{g.unlocks - len(g.unlocked_jobs)} more)" if g.unlocks > len(g.unlocked_jobs) else ""
            con.print(Text(f"{g.skill} would unlock: ", style="bold") + Text(jobs + more))
    now = f"{path.strong_matches_now} strong match{'es' if path.strong_matches_now != 1 else ''} now"
    if path.steps:
        steps = " → ".join(f"{p.skill} ({p.strong_matches_after})" for p in path.steps)
        con.print(Text("A learning path ", style="bold")
                  + Text(f"({now}; strong matches after each step): {steps}. "
                         f"It stops: {path.stopped_because}."))
    else:
        con.print(Text(f"No learning path ({now}): {path.stopped_because}."))
