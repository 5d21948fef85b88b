"""Extraction speed and memory: `skills.extract_many` over synthetic ads of ~300 words,
in one process and with n_process=2, plus the latency of one ad at a time.

Each variant runs in a fresh interpreter (`python -m bench.extract --docs N ...`), so its
peak memory is its own and not whatever the suite loaded before it."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from bench import PROJECT_ROOT, Context, Result, Target
from bench.memory import PeakTreeRSS, children_cpu_seconds, max_rss_bytes

TARGET_DOCS_PER_S = Target(">=", 1000)
MIB = 2**20


def _cpu_note(data: dict[str, Any]) -> str:
    per_doc = 1000 / data["docs"]
    note = f"CPU {(data['cpu_main_seconds'] + data['cpu_workers_seconds']) * per_doc:.1f} ms/doc"
    if data["cpu_workers_seconds"]:
        note += (f" (main {data['cpu_main_seconds'] * per_doc:.1f} + workers "
                 f"{data['cpu_workers_seconds'] * per_doc:.1f})")
    return note


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(docs: int, n_process: int, latency_docs: int, seed: int, ner: bool = False) -> dict[str, Any]:
    """Runs inside the worker interpreter."""
    import resource

    import skills
    from bench import synthetic

    began = time.perf_counter()
    # What the flow's extract task feeds the extractor: title, newline, plain-text ad.
    texts = [f"{s.ad['title']}\n{s.text}" for s in synthetic.generate(docs, seed)]
    generated = time.perf_counter() - began

    began = time.perf_counter()
    skills.get_nlp()
    list(skills.extract_many(texts[:32]))  # first calls build lazy caches; not what we measure
    loaded = time.perf_counter() - began
    rss_before = max_rss_bytes()

    cpu_main, cpu_workers = time.process_time(), children_cpu_seconds()
    began = time.perf_counter()
    if ner:  # the opt-in path: the SkillSpan NER first, then the dictionary
        found = [r["skills"] for r in skills.extract_with_ner(texts)]
    else:
        found = list(skills.extract_many(texts, n_process=n_process))
    seconds = time.perf_counter() - began
    cpu_main, cpu_workers = time.process_time() - cpu_main, children_cpu_seconds() - cpu_workers
    rss_after = max_rss_bytes()

    latencies = []
    for text in texts[:latency_docs]:
        t = time.perf_counter()
        skills.extract(text)
        latencies.append(time.perf_counter() - t)
    return {
        "docs": len(texts),
        "n_process": n_process,
        "seconds": seconds,
        "docs_per_s": len(texts) / seconds,
        "cpu_main_seconds": cpu_main,
        "cpu_workers_seconds": cpu_workers,  # spaCy's workers, once it has waited for them
        "words_per_doc": statistics.mean(len(t.split()) for t in texts),
        "skills_per_doc": statistics.mean(len(f) for f in found),
        "generate_seconds": generated,
        "load_seconds": loaded,
        "max_rss_before_bytes": rss_before,
        "max_rss_bytes": rss_after,
        "max_rss_children_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "latency_docs": len(latencies),
        "latency_p50_s": _percentile(latencies, 0.5) if latencies else None,
        "latency_p95_s": _percentile(latencies, 0.95) if latencies else None,
    }


def _run_worker(docs: int, n_process: int, latency_docs: int, seed: int, ner: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.extract", "--docs", str(docs), "--n-process", str(n_process),
           "--latency-docs", str(latency_docs), "--seed", str(seed), *(["--ner"] if ner else [])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    with subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc, PeakTreeRSS(proc.pid) as peak:
        stdout, stderr = proc.communicate(timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"extract worker (n_process={n_process}) failed: "
                           f"{(stderr.strip().splitlines() or ['no output'])[-1]}")
    data = json.loads(stdout.strip().splitlines()[-1])
    data["peak_tree_rss_bytes"] = peak.peak
    data["most_processes"] = peak.most_processes
    return data


def run(ctx: Context) -> list[Result]:
    docs, latency_docs = ctx.sizes.extract_docs, ctx.sizes.latency_docs
    single = _run_worker(docs, 1, latency_docs, ctx.seed)
    double = _run_worker(docs, 2, 0, ctx.seed)
    with_ner = _run_worker(max(100, docs // 5), 1, 0, ctx.seed, ner=True)
    shape = (f"{single['docs']:,} ads, {single['words_per_doc']:.0f} words and "
             f"{single['skills_per_doc']:.1f} skills each")
    results = [
        Result("extract", "extract_many, 1 process", single["docs_per_s"], "docs/s",
               notes=f"{shape}; {single['seconds']:.1f}s; {_cpu_note(single)}; pipeline built in "
                     f"{single['load_seconds']:.1f}s (not counted)"),
        Result("extract", "extract_many, n_process=2", double["docs_per_s"], "docs/s",
               TARGET_DOCS_PER_S,
               notes=f"{double['seconds']:.1f}s, counting the start of the 2 workers; {_cpu_note(double)}; "
                     f"{double['docs_per_s'] / single['docs_per_s']:.2f}× one process"),
        Result("extract", "extract_with_ner (opt-in NER path), 1 process", with_ner["docs_per_s"], "docs/s",
               notes=f"{with_ner['docs']:,} ads; {with_ner['docs_per_s'] / single['docs_per_s']:.2f}× the "
                     f"dictionary alone; {_cpu_note(with_ner)}"),
    ]
    for label, data in (("1 process", single), ("n_process=2", double)):
        notes = (f"process tree ({data['most_processes']} processes at most), sampled every 50 ms; "
                 f"main process {data['max_rss_bytes'] / MIB:,.0f} MiB "
                 f"({data['max_rss_before_bytes'] / MIB:,.0f} MiB before extracting)")
        if data["max_rss_children_bytes"]:
            notes += f", largest worker {data['max_rss_children_bytes'] / MIB:,.0f} MiB"
        results.append(Result("extract", f"peak RSS, {label}", data["peak_tree_rss_bytes"] / MIB,
                              "MiB", notes=notes))
    for q in ("p50", "p95"):
        results.append(Result("extract", f"latency per ad, {q}", single[f"latency_{q}_s"] * 1000, "ms",
                              notes=f"skills.extract() one ad at a time, {single['latency_docs']:,} ads"))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.extract",
                                     description="One extraction measurement, printed as JSON.")
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--latency-docs", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ner", action="store_true", help="the opt-in path with the SkillSpan NER")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.docs, args.n_process, args.latency_docs, args.seed, args.ner)))


if __name__ == "__main__":
    main()
