"""The report: one self-contained HTML page a person can read at a glance.

Best matches with their explanations, what to learn next (and a path), skill demand in the
roles they target, the pay on offer, and skill trends once there is history. Everything
scraped is escaped: ads are untrusted HTML, and a job title is just text here."""

from __future__ import annotations

import ipaddress
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

import duckdb

from pipeline import charts
from pipeline.gaps import STRONG_MATCH, Gap, LearningPath, gaps, learning_path
from pipeline.match import CURRENCY_SYMBOLS, Match, count_jobs, profile_filters, rank
from pipeline.profile import Profile
from pipeline.trends import Trend, trends
from skills.taxonomy import Taxonomy, load_taxonomy


@dataclass
class ReportData:
    profile: Profile
    generated: datetime
    open_jobs: int
    eligible_jobs: int
    matches: list[Match]
    gaps: list[Gap]
    path: LearningPath
    demand: list[tuple[str, int]]
    demand_scope: str
    salaries: list[float]
    salary_currency: str | None
    trends: list[Trend]
    threshold: float
    ad_texts: dict[str, str | None] = field(default_factory=dict)  # job id → the stored ad


def collect(con: duckdb.DuckDBPyConnection, profile: Profile, top: int = 15,
            threshold: float = STRONG_MATCH, taxonomy: Taxonomy | None = None) -> ReportData:
    taxonomy = taxonomy or load_taxonomy()
    where, params = profile_filters(profile)
    open_jobs, eligible = count_jobs(con, profile)
    families = sorted(profile.target_families)
    demand = con.execute(
        "SELECT s.skill, count(*) AS n FROM job_skills s JOIN open_jobs j ON j.id = s.job_id "
        "WHERE len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], j.role_family) "
        "GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT 15", [families, families]).fetchall()
    pay_rows = con.execute(
        f"SELECT salary_annual_max, salary_currency FROM open_jobs j WHERE {where} "  # noqa: S608 - our clauses
        "AND salary_annual_max IS NOT NULL", params).fetchall()
    common = Counter(c for _, c in pay_rows).most_common(1)
    currency = profile.salary_currency or (common[0][0] if common else None)
    history = trends(con)
    matches = rank(con, profile, limit=top, taxonomy=taxonomy)
    ad_texts = dict(con.execute("SELECT id, description FROM jobs WHERE id IN (SELECT unnest(?))",
                                [[m.id for m in matches]]).fetchall())
    return ReportData(
        profile=profile, generated=datetime.now(UTC), open_jobs=int(open_jobs), eligible_jobs=int(eligible),
        matches=matches, ad_texts=ad_texts,
        gaps=gaps(con, profile, limit=12, threshold=threshold, taxonomy=taxonomy),
        path=learning_path(con, profile, threshold=threshold, taxonomy=taxonomy),
        demand=[(s, int(n)) for s, n in demand],
        demand_scope=", ".join(families) if families else "all roles",
        salaries=[float(v) for v, c in pay_rows if c == currency], salary_currency=currency,
        trends=history[:8], threshold=threshold,
    )


# --- rendering -------------------------------------------------------------------------------

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:0;
background:#f6f8fa}
main{max-width:1040px;margin:0 auto;padding:24px}
header{background:#1f3a5f;color:#fff;padding:24px}header h1{margin:0 0 4px;font-size:26px}
header p{margin:0;opacity:.85}
section{background:#fff;border:1px solid #e4e8ee;border-radius:8px;padding:18px 22px;margin:18px 0}
h2{margin:0 0 12px;font-size:19px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
.match{border-top:1px solid #eef1f5;padding:10px 0}.match:first-of-type{border-top:0}
.score{display:inline-block;min-width:46px;text-align:center;font-weight:600;border-radius:4px;
padding:1px 6px;color:#fff;background:#3b6ea8;margin-right:8px}
.meta{color:#52606d;font-size:13px}.chips span{display:inline-block;border-radius:10px;padding:0 8px;
margin:2px 3px 0 0;font-size:12px}.have{background:#d3f9d8}.nice{background:#e7f5ff}
.miss{background:#ffe3e3}.part{background:#fff3bf}ol.path li{margin:4px 0}
.kpis{display:flex;gap:18px;flex-wrap:wrap}.kpi{background:#f1f4f8;border-radius:6px;padding:8px 14px}
.kpi b{display:block;font-size:22px}.empty{color:#7b8794;font-style:italic}
details summary{cursor:pointer;margin-top:4px}.ad{white-space:pre-wrap;font-size:13px;background:#f6f8fa;
border-radius:6px;padding:8px 12px;margin-top:4px;max-height:24em;overflow:auto}
a{color:#1c5fa8}footer{color:#7b8794;font-size:12px;text-align:center;padding:12px}
"""


def _chips(items: list[str], cls: str) -> str:
    return "".join(f'<span class="{cls}">{escape(s)}</span>' for s in items)


def _is_online(url: str) -> bool:
    """An http(s) link someone else can open: not a page on this machine or a private network
    (the demo board's port is gone once the demo stops)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified)


def _match_html(n: int, m: Match, ad_text: str | None = None) -> str:
    where = " · ".join(escape(x) for x in (m.company, m.location, m.remote, m.salary, m.posted_at) if x)
    # The posting itself when it is online; otherwise the ad as stored, further down this page.
    online = _is_online(m.url)
    link = escape(m.url, quote=True) if online else f"#ad-{n}"
    explain = []
    if m.matched_required or m.matched_nice:
        explain.append(f'<div class="chips">You have: {_chips(m.matched_required, "have")}'
                       f'{_chips(m.matched_nice, "nice")}</div>')
    missing_req = [s for s in m.missing_required if s not in m.partial]
    if missing_req or m.partial:
        explain.append(f'<div class="chips">Missing: {_chips(missing_req, "miss")}'
                       f'{_chips([s + " (partly)" for s in m.partial], "part")}</div>')
    if m.missing_nice:
        explain.append(f'<div class="chips meta">Nice to have: {_chips(m.missing_nice, "nice")}</div>')
    if m.description_truncated:
        explain.append('<div class="meta snippet">Only a snippet of this ad was available: it may '
                       'ask for skills not listed here.</div>')
    if m.outside_preferences:
        explain.append(f'<div class="chips meta">Outside your preferences: '
                       f'{_chips(m.outside_preferences, "miss")}</div>')
    stored = (f'<details id="ad-{n}"><summary class="meta">The ad as stored'
              f'{"" if online else " (its page was on this machine or a private network)"} · '
              f'id {escape(m.id)}</summary><div class="ad">{escape(ad_text or "(no text)")}</div></details>')
    return (f'<div class="match"><span class="score">{m.score:.2f}</span>'
            f'<a href="{link}" rel="noopener noreferrer nofollow">{escape(m.title)}</a> '
            f'<span class="meta">#{n} · {where}</span>{"".join(explain)}{stored}</div>')


def report_charts(data: ReportData) -> dict[str, str]:
    """The report's inline-SVG charts (learn next, demand, pay, trends), every label escaped:
    the report and `skillscout serve`'s /learn page draw the same ones."""
    p = data.profile
    learn = charts.bar_chart([(g.skill, g.unlocks) for g in data.gaps if g.unlocks] or
                             [(g.skill, round(g.gain, 2)) for g in data.gaps],
                             name="learn-next", label="Jobs each skill would turn into strong matches",
                             value_format="{:,.2f}" if not any(g.unlocks for g in data.gaps) else "{:,.0f}")
    demand = charts.bar_chart(data.demand, name="demand", highlight=set(p.skills),
                              label=f"Open jobs asking for each skill ({data.demand_scope})")
    symbol = CURRENCY_SYMBOLS.get(data.salary_currency or "", "")
    pay = charts.histogram(data.salaries, name="salary", unit=symbol,
                           label=f"Annualised pay of matching jobs ({data.salary_currency or 'no pay data'})",
                           marker=p.min_salary, marker_label="your minimum")
    trend = charts.line_chart({t.skill: t.series for t in data.trends}, name="trends",
                              label="Share of open jobs asking for each skill, per crawl")
    return {"learn": learn, "demand": demand, "pay": pay, "trends": trend}


def render(data: ReportData) -> str:
    p = data.profile
    who = escape(p.name or "your profile")
    matches = "".join(_match_html(i, m, data.ad_texts.get(m.id))
                      for i, m in enumerate(data.matches, 1)) or (
        '<p class="empty">No stored job passes your preferences yet.</p>')
    drawn = report_charts(data)
    learn, demand, pay, trend = drawn["learn"], drawn["demand"], drawn["pay"], drawn["trends"]
    path = "".join(f"<li><b>{escape(s.skill)}</b>: {s.strong_matches_after} strong matches after this step"
                   f"</li>" for s in data.path.steps)
    path += f'<li class="empty">The path stops here: {escape(data.path.stopped_because)}.</li>'
    kpis = (f'<div class="kpis"><div class="kpi"><b>{data.open_jobs}</b>open jobs</div>'
            f'<div class="kpi"><b>{data.eligible_jobs}</b>pass your preferences</div>'
            f'<div class="kpi"><b>{sum(m.score >= data.threshold for m in data.matches)}</b>'
            f'strong matches in the top {len(data.matches)}</div>'
            f'<div class="kpi"><b>{len(p.skills)}</b>skills in your profile</div></div>')
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>skillscout report – {who}</title><style>{CSS}</style></head>
<body><header><h1>Jobs that fit {who}</h1>
<p>skillscout report · {escape(data.generated.strftime('%d %B %Y %H:%M UTC'))}</p></header>
<main>
<section>{kpis}</section>
<section id="matches"><h2>Best matches</h2>{matches}</section>
<div class="grid">
<section id="learn-next"><h2>Learn next</h2>
<p class="meta">Jobs each skill would lift to a {data.threshold:.0%} match, among jobs that pass your
preferences.</p>{learn}<h3>A learning path</h3><ol class="path">{path}</ol></section>
<section id="demand"><h2>Skills in demand</h2><p class="meta">Open jobs in {escape(data.demand_scope)};
green: skills you have.</p>{demand}</section>
</div>
<div class="grid">
<section id="salary"><h2>Pay on offer</h2><p class="meta">{len(data.salaries)} jobs that pass your
preferences state pay in {escape(data.salary_currency or '-')}, on a yearly basis.</p>{pay}</section>
<section id="trends"><h2>Trends</h2>{trend}</section>
</div>
</main><footer>Generated by skillscout from {data.open_jobs} stored ads. Ads are quoted as text; links
open the original posting when it is online, else the ad as stored.</footer></body></html>
"""


def build_report(con: duckdb.DuckDBPyConnection, profile: Profile, **kwargs: Any) -> str:
    return render(collect(con, profile, **kwargs))
