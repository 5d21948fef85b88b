"""Skill demand over time: a snapshot per crawl run, and which skills rise and fall.

A snapshot counts, for every skill, the open jobs asking for it, overall and per role
family and country ('*' means all). Comparing shares (jobs asking / open jobs) rather than
counts keeps a bigger crawl from looking like rising demand for everything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

SNAPSHOT_SQL = """
INSERT INTO skill_snapshots
WITH j AS (
    SELECT id, coalesce(role_family, 'other') AS rf, coalesce(country, '??') AS c FROM open_jobs
),
totals AS (
    SELECT coalesce(rf, '*') AS rf, coalesce(c, '*') AS c, count(*) AS n
    FROM j GROUP BY GROUPING SETS ((rf, c), (rf), (c), ())
),
asks AS (
    SELECT s.skill, coalesce(j.rf, '*') AS rf, coalesce(j.c, '*') AS c,
           count(*) AS open_jobs, count(*) FILTER (WHERE s.required) AS required_in
    FROM job_skills s JOIN j ON j.id = s.job_id
    GROUP BY GROUPING SETS ((s.skill, j.rf, j.c), (s.skill, j.rf), (s.skill, j.c), (s.skill))
)
SELECT ?, ?, a.skill, a.rf, a.c, a.open_jobs, a.required_in, t.n
FROM asks a JOIN totals t USING (rf, c)
ON CONFLICT DO NOTHING
"""


def take_snapshot(con: duckdb.DuckDBPyConnection, run_id: str, taken_at: datetime) -> int:
    con.execute(SNAPSHOT_SQL, [run_id, taken_at])
    (count,), = con.execute("SELECT count(*) FROM skill_snapshots WHERE run_id = ?", [run_id]).fetchall()
    return int(count)


@dataclass
class Trend:
    skill: str
    first_share: float  # share of open jobs asking for it in the first snapshot of the window
    last_share: float
    change: float  # percentage points
    series: list[tuple[str, float]] = field(default_factory=list)  # (date, share) per run


def trends(con: duckdb.DuckDBPyConnection, skill: str | None = None, since: datetime | None = None,
           role_family: str = "*", country: str = "*", min_jobs: int = 2) -> list[Trend]:
    """Skills whose share of open jobs moved between the first and last snapshot in the
    window, biggest movers first. With `skill`, that skill's series only."""
    rows = con.execute(
        "SELECT skill, run_id, strftime(taken_at, '%Y-%m-%d %H:%M:%S') AS at, open_jobs, total_jobs "
        "FROM skill_snapshots WHERE role_family = ? AND country = ? "
        "AND (?::TIMESTAMP IS NULL OR taken_at >= ?::TIMESTAMP) "
        "AND (?::VARCHAR IS NULL OR lower(skill) = lower(?::VARCHAR)) "
        "ORDER BY taken_at, skill",
        [role_family, country, since, since, skill, skill]).fetchall()
    # One point per crawl run, in time order (two runs can share a minute, not a run id).
    runs = list(dict.fromkeys(run for _, run, _, _, _ in rows))
    if not runs:
        return []
    label = {run: at for _, run, at, _, _ in rows}
    totals = {run: total for _, run, _, _, total in rows}
    series: dict[str, dict[str, int]] = {}
    for name, run, _, jobs, _ in rows:
        series.setdefault(name, {})[run] = jobs
    out = []
    for name, points in series.items():
        if max(points.values()) < min_jobs and not skill:
            continue
        shares = [(label[run], points.get(run, 0) / max(totals[run], 1)) for run in runs]
        first, last = shares[0][1], shares[-1][1]
        out.append(Trend(name, round(first, 4), round(last, 4), round((last - first) * 100, 2), shares))
    out.sort(key=lambda t: (-abs(t.change), t.skill))
    return out
