"""How good the ranking is, against blind human judgments.

`data/personas/` holds persona profiles and, for each persona and demo-board ad, a grade
made before any ranking was seen: 2 strong fit, 1 partial, 0 poor. Given a store holding
the demo board (crawled and extracted by skillscout itself, so the figures are end to end),
this ranks the jobs for each persona and reports NDCG@10 and precision@5 (share of the top
five graded 2), for skillscout's matcher and for a plain keyword-overlap baseline:
Jaccard similarity between the profile's skills and the job's extracted skills, with the
same preference filters applied so that only the scoring differs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipeline.match import profile_filters, rank
from pipeline.profile import Profile, load_profile
from skillscout_data import PERSONAS as PERSONAS_DIR


@dataclass
class RankingScores:
    persona: str
    ndcg10: float
    precision5: float
    ranked: list[str]  # ad ids, best first


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(a, 0) for a in ranked[:k]]) / ideal if ideal else 0.0


def precision_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(grades.get(a, 0) == 2 for a in ranked[:k]) / k


def load_personas(directory: Path = PERSONAS_DIR) -> tuple[dict[str, Profile], dict[str, dict[str, int]]]:
    judgments = yaml.safe_load((directory / "judgments.yaml").read_text(encoding="utf-8"))
    profiles = {name: load_profile(directory / f"{name}.yaml") for name in judgments}
    grades = {name: {str(ad): int(g) for ad, g in per.items()} for name, per in judgments.items()}
    return profiles, grades


def jaccard_ranking(con: duckdb.DuckDBPyConnection, profile: Profile) -> list[str]:
    """Job ids by |profile ∩ job| / |profile ∪ job| over extracted skills, filters applied."""
    where, params = profile_filters(profile)
    rows = con.execute(
        f"""
        WITH js AS (SELECT job_id, list(skill) AS skills FROM job_skills GROUP BY job_id)
        SELECT j.id,
               len(list_intersect(js.skills, ?)) / len(list_distinct(list_concat(js.skills, ?))) AS score
        FROM open_jobs j JOIN js ON js.job_id = j.id
        WHERE {where}
        ORDER BY score DESC, j.id
        """,  # noqa: S608 - our own filter clauses; values are parameters
        [list(profile.skills), list(profile.skills), *params]).fetchall()
    return [job_id for job_id, score in rows if score > 0]


def evaluate_rankings(con: duckdb.DuckDBPyConnection, ad_of_job: dict[str, str],
                      profiles: dict[str, Profile], grades: dict[str, dict[str, int]]
                      ) -> dict[str, list[RankingScores]]:
    """`ad_of_job` maps stored job ids to demo-board ad ids."""
    out: dict[str, list[RankingScores]] = {"skillscout": [], "Jaccard keyword overlap": []}
    for name, profile in profiles.items():
        ours = [ad_of_job[m.id] for m in rank(con, profile, limit=None) if m.id in ad_of_job]
        base = [ad_of_job[j] for j in jaccard_ranking(con, profile) if j in ad_of_job]
        for label, ranked in (("skillscout", ours), ("Jaccard keyword overlap", base)):
            out[label].append(RankingScores(name, ndcg_at(ranked, grades[name]),
                                            precision_at(ranked, grades[name]), ranked[:10]))
    return out


def summarise(results: dict[str, list[RankingScores]]) -> dict[str, Any]:
    return {label: {"ndcg@10": round(sum(r.ndcg10 for r in rows) / len(rows), 3),
                    "precision@5": round(sum(r.precision5 for r in rows) / len(rows), 3),
                    "per_persona": {r.persona: round(r.ndcg10, 3) for r in rows}}
            for label, rows in results.items()}
