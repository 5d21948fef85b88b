"""Speed and memory figures for skillscout: `python -m bench` (or `make bench`).

Figures, not tests: nothing here fails because something is slow. A figure with a target
says whether it met it, and the notes say what was measured."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    op: str  # ">=", "<=" or "<"
    value: float
    of: str = "value"  # or "ratio": the figure over its floor, measured in the same run

    def met(self, value: float | None) -> bool | None:
        if value is None or math.isnan(value):
            return None
        if self.op == ">=":
            return value >= self.value
        return value <= self.value if self.op == "<=" else value < self.value

    def __str__(self) -> str:
        sign = {">=": "≥", "<=": "≤", "<": "<"}[self.op]
        number = f"{self.value:,.2f}".rstrip("0").rstrip(".") if self.value < 10 else f"{self.value:,.0f}"
        return f"{sign} {number}{'×' if self.of == 'ratio' else ''}"


@dataclass
class Result:
    benchmark: str
    figure: str
    value: float | None
    unit: str
    target: Target | None = None
    notes: str = ""
    # The floor this stage is built on, measured in the same run and in the same unit: a bare
    # Scrapy spider, a bare PhraseMatcher, a bulk insert, a bare import. Absolute figures
    # move ±20% between runs on a shared machine; the ratio moves much less.
    floor: float | None = None
    floor_name: str = ""

    @property
    def ratio(self) -> float | None:
        """The figure over its floor: above 1 is more than the floor (pages/s, ads/s),
        or slower than it (seconds)."""
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @property
    def met(self) -> bool | None:
        if not self.target:
            return None
        return self.target.met(self.ratio if self.target.of == "ratio" else self.value)


@dataclass(frozen=True)
class Sizes:
    crawl_pages: int = 2_000
    extract_docs: int = 10_000
    latency_docs: int = 1_000
    load_jobs: int = 100_000
    load_batch: int = 5_000
    timed_runs: int = 5


FULL = Sizes()
QUICK = Sizes(crawl_pages=300, extract_docs=1_000, latency_docs=200, load_jobs=10_000)


@dataclass
class Context:
    sizes: Sizes
    seed: int
    workdir: Path  # removed when the suite ends, whatever happened
    selected: frozenset[str] = frozenset()
    # The store `load` filled, handed on to `match` so that 100,000 jobs are loaded once.
    store: Path | None = None
    # The store `skillscout demo` filled, kept for `startup` to time `skillscout match` on.
    demo_store: Path | None = None
