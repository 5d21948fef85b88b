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
    op: str  # ">=" or "<"
    value: float

    def met(self, value: float | None) -> bool | None:
        if value is None or math.isnan(value):
            return None
        return value >= self.value if self.op == ">=" else value < self.value

    def __str__(self) -> str:
        return f"{'≥' if self.op == '>=' else '<'} {self.value:,.0f}"


@dataclass
class Result:
    benchmark: str
    figure: str
    value: float | None
    unit: str
    target: Target | None = None
    notes: str = ""

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value) if self.target else None


@dataclass(frozen=True)
class Sizes:
    crawl_pages: int = 5_000
    extract_docs: int = 10_000
    latency_docs: int = 1_000
    load_jobs: int = 100_000
    load_batch: int = 5_000
    timed_runs: int = 5


FULL = Sizes()
QUICK = Sizes(crawl_pages=500, extract_docs=1_000, latency_docs=200, load_jobs=10_000)


@dataclass
class Context:
    sizes: Sizes
    seed: int
    workdir: Path  # removed when the suite ends, whatever happened
    selected: frozenset[str] = frozenset()
    # The store `load` filled, handed on to `match` so that 100,000 jobs are loaded once.
    store: Path | None = None
