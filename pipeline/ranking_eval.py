"""How good the ranking is, against blind human judgments.

`data/personas/` holds persona profiles and, for each persona and demo-board ad, a grade
made by people who saw the persona and the ad but never our scores: 2 strong fit, 1
partial, 0 poor. The personas are split, before any tuning, into a part the scoring
constants may be fitted on and a held-out part they must not be (`split.yaml`).

Given a store holding the demo board (crawled and extracted by skillscout itself, so the
figures are end to end), this ranks the jobs for each persona and reports NDCG@10 and
precision@5 (share of the top five graded 2) for three rankers that see the same jobs
through the same preference filters, so only the scoring differs:
- skillscout's matcher;
- Jaccard similarity between the profile's skills and the job's extracted skills;
- BM25 of the profile's skill names against the ad's title and text (a search engine).

It also checks the "strong match" threshold: of the jobs scoring at least it, how many the
judges graded 2 (precision), and of the jobs graded 2, how many score at least it (recall)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipeline.match import profile_filters, rank
from pipeline.profile import Profile, load_profile
from pipeline.text_search import bm25_scores
from skillscout_data import PERSONAS as PERSONAS_DIR

RANKERS = ("skillscout", "Jaccard keyword overlap", "BM25 text search")
PARTS = ("fit", "holdout")


@dataclass
class RankingScores:
    persona: str
    ndcg10: float
    precision5: float
    ranked: list[str]  # ad ids, best first (the top ten)


@dataclass
class Personas:
    profiles: dict[str, Profile]
    grades: dict[str, dict[str, int]]  # persona → ad id → 0/1/2
    parts: dict[str, list[str]] = field(default_factory=dict)  # "fit"/"holdout" → personas

    def part_of(self, persona: str) -> str:
        return next((p for p, names in self.parts.items() if persona in names), "fit")


@dataclass
class Calibration:
    """The strong-match threshold against the judges' grade 2, over a set of personas."""
    threshold: float
    personas: int
    predicted: int  # jobs scoring at least the threshold
    judged_strong: int  # jobs graded 2
    both: int
    partial: int = 0  # jobs scoring at least the threshold that were graded 1

    @property
    def precision(self) -> float:
        return self.both / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.both / self.judged_strong if self.judged_strong else 0.0

    def summary(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "personas": self.personas, "strong_by_score": self.predicted,
                "judged_strong": self.judged_strong, "both": self.both, "judged_partial": self.partial,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(a, 0) for a in ranked[:k]]) / ideal if ideal else 0.0


def precision_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(grades.get(a, 0) == 2 for a in ranked[:k]) / k


def load_personas(directory: Path = PERSONAS_DIR) -> Personas:
    """Every `judgments*.yaml` in `directory` (a persona is judged in one file only), the
    persona files they name, and `split.yaml` when there is one."""
    grades: dict[str, dict[str, int]] = {}
    for path in sorted(directory.glob("judgments*.yaml")):
        for name, per in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if name in grades:
                raise ValueError(f"{path}: persona {name!r} is judged in two files")
            grades[name] = {str(ad): int(g) for ad, g in per.items()}
    profiles = {name: load_profile(directory / f"{name}.yaml") for name in grades}
    parts: dict[str, list[str]] = {}
    split = directory / "split.yaml"
    if split.exists():
        parts = {part: list(names) for part, names in
                 yaml.safe_load(split.read_text(encoding="utf-8")).items()}
        listed = [n for names in parts.values() for n in names]
        if sorted(listed) != sorted(grades):
            raise ValueError(f"{split}: the split should list every judged persona exactly once")
    return Personas(profiles, grades, parts)


def eligible_jobs(con: duckdb.DuckDBPyConnection, profile: Profile) -> list[tuple[str, str]]:
    """(job id, title + text) of the open jobs the profile's preferences let through."""
    where, params = profile_filters(profile)
    return con.execute(
        f"SELECT j.id, j.title || chr(10) || coalesce(j.description, '') FROM open_jobs j "  # noqa: S608
        f"WHERE {where} ORDER BY j.id", params).fetchall()  # our clauses; values are parameters


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


def bm25_ranking(con: duckdb.DuckDBPyConnection, profile: Profile) -> list[str]:
    """Job ids by BM25 of the profile's skill names against the ad text, filters applied.
    IDF is taken over every open job, as a search index over the board would."""
    everything = dict(con.execute(
        "SELECT id, title || chr(10) || coalesce(description, '') FROM open_jobs").fetchall())
    allowed = {job_id for job_id, _ in eligible_jobs(con, profile)}
    scores = bm25_scores(profile.skills, everything)
    ranked = sorted((job for job in allowed if scores.get(job, 0) > 0), key=lambda j: (-scores[j], j))
    return ranked


def evaluate_rankings(con: duckdb.DuckDBPyConnection, ad_of_job: dict[str, str],
                      personas: Personas) -> dict[str, list[RankingScores]]:
    """`ad_of_job` maps stored job ids to demo-board ad ids."""
    out: dict[str, list[RankingScores]] = {label: [] for label in RANKERS}
    for name, profile in personas.profiles.items():
        rankings = {
            "skillscout": [m.id for m in rank(con, profile, limit=None)],
            "Jaccard keyword overlap": jaccard_ranking(con, profile),
            "BM25 text search": bm25_ranking(con, profile),
        }
        for label, job_ids in rankings.items():
            ranked = [ad_of_job[j] for j in job_ids if j in ad_of_job]
            grades = personas.grades[name]
            out[label].append(RankingScores(name, ndcg_at(ranked, grades),
                                            precision_at(ranked, grades), ranked[:10]))
    return out


def calibrate(con: duckdb.DuckDBPyConnection, ad_of_job: dict[str, str], personas: Personas,
              names: list[str], threshold: float) -> Calibration:
    """Precision and recall of "score ≥ threshold" against grade 2, pooled over `names`."""
    predicted = judged = both = partial = 0
    for name in names:
        grades = personas.grades[name]
        strong = {ad_of_job[m.id] for m in rank(con, personas.profiles[name], limit=None,
                                                   min_score=threshold) if m.id in ad_of_job}
        good = {ad for ad, g in grades.items() if g == 2}
        predicted += len(strong)
        judged += len(good)
        both += len(strong & good)
        partial += sum(grades.get(ad) == 1 for ad in strong)
    return Calibration(threshold, len(names), predicted, judged, both, partial)


def summarise(results: dict[str, list[RankingScores]], personas: Personas) -> dict[str, Any]:
    """part → ranker → mean NDCG@10, mean P@5 and NDCG@10 per persona."""
    parts = personas.parts or {"fit": list(personas.grades)}
    out: dict[str, Any] = {}
    for part, names in parts.items():
        out[part] = {}
        for label, rows in results.items():
            mine = [r for r in rows if r.persona in names]
            out[part][label] = {
                "personas": len(mine),
                "ndcg@10": round(sum(r.ndcg10 for r in mine) / len(mine), 3),
                "precision@5": round(sum(r.precision5 for r in mine) / len(mine), 3),
                "per_persona": {r.persona: round(r.ndcg10, 3) for r in mine},
            }
    return out
