"""python -m bench [--only crawl,extract,load,match,demo,startup] [--quick] [--json PATH]

Each stage is measured beside the floor it is built on, in the same run, and the table gives
the ratio: the figure a target is set on where the absolute one is noise."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import FULL, QUICK, Context, Result
from bench.machine import describe, machine


def _benchmarks() -> dict[str, Callable[[Context], list[Result]]]:
    # Imported here: `python -m bench --help` should not wait for Scrapy, spaCy and DuckDB.
    from bench import crawl, demo, extract, startup, store

    return {"crawl": crawl.run, "extract": extract.run, "load": store.run_load,
            "match": store.run_match, "startup": startup.run, "demo": demo.run}


# demo before startup: startup times `skillscout match` on the store the demo filled.
NAMES = ("crawl", "extract", "load", "match", "demo", "startup")


def _format(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _target_cell(result: Result) -> str:
    if not result.target:
        return ""
    met = result.met
    verdict = "[green]met[/]" if met else "[red]missed[/]" if met is False else "n/a"
    return f"{result.target} {verdict}"


def table(results: list[Result], title: str) -> Table:
    out = Table(title=title, title_justify="left", show_lines=False)
    out.add_column("benchmark")
    out.add_column("figure")
    out.add_column("value", justify="right")
    out.add_column("unit")
    out.add_column("floor, same run", justify="right")
    out.add_column("ratio", justify="right")
    out.add_column("target")
    out.add_column("notes", overflow="fold")
    for r in results:
        floor = f"{_format(r.floor)} ({r.floor_name})" if r.floor is not None else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        out.add_row(r.benchmark, r.figure, _format(r.value), r.unit, floor, ratio, _target_cell(r),
                    r.notes, style="red" if r.figure == "error" else None)
    return out


def _as_json(result: Result) -> dict[str, Any]:
    data = asdict(result)
    data["target"] = ({"op": result.target.op, "value": result.target.value, "of": result.target.of}
                      if result.target else None)
    data["ratio"] = result.ratio
    data["met"] = result.met
    return data


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(
        "skillscout speed and memory figures, each beside its floor measured in the same run: "
        "crawl, extract, load, match, demo, startup."))
    parser.add_argument("--only", default=",".join(NAMES),
                        help=f"comma-separated subset of {','.join(NAMES)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes (300 pages, 1,000 ads, 10,000 jobs)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic ads")
    args = parser.parse_args(argv)
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(args.only) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    console = Console()
    # A pipe gets 80 columns by default, too narrow for the notes.
    console.width = max(console.width, 200)
    info = machine()
    console.print(f"[bold]machine[/]: {describe(info)}")
    sizes = QUICK if args.quick else FULL
    benchmarks = _benchmarks()
    selected = [n for n in NAMES if n in args.only]
    workdir = Path(tempfile.mkdtemp(prefix="skillscout-bench-"))
    ctx = Context(sizes=sizes, seed=args.seed, workdir=workdir, selected=frozenset(selected))
    results: list[Result] = []
    loads: dict[str, list[float]] = {}  # load average as each benchmark ended: was it alone?
    failed = False
    started = datetime.now(UTC)
    try:
        for name in selected:
            began = time.perf_counter()
            with console.status(f"{name}…"):
                try:
                    found = benchmarks[name](ctx)
                except Exception as exc:
                    failed = True
                    console.print(f"[red]{name} failed[/]: {exc}")
                    traceback.print_exc(file=sys.stderr)
                    found = [Result(name, "error", None, "", notes=str(exc)[:300])]
            results += found
            load = [round(x, 2) for x in os.getloadavg()]
            loads[name] = load
            console.print(f"[dim]{name}: done in {time.perf_counter() - began:.0f}s "
                          f"(load average {' '.join(f'{x:.1f}' for x in load)})[/]")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    title = f"skillscout benchmarks{' (--quick)' if args.quick else ''} — {describe(info)}"
    console.print(table(results, title))
    if args.json:
        args.json.write_text(json.dumps({
            "started_at": started.isoformat(timespec="seconds"),
            "quick": args.quick, "seed": args.seed, "sizes": asdict(sizes),
            "machine": info, "load_average_after": loads,
            "results": [_as_json(r) for r in results],
        }, indent=2) + "\n")
        console.print(f"[dim]figures written to {args.json}[/]")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
