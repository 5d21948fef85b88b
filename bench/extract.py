"""Extraction speed and memory over synthetic ads of ~300 words.

`skillscout extract --jsonl` as a user runs it (the whole process: start-up, reading and
writing JSON Lines), on every core and on one, beside its floor, `bench/bare_matcher.py`:
blank spaCy and a PhraseMatcher over the taxonomy's names and aliases, one process, the
same file in and out. Then `skills.extract_many` in one process for its CPU per ad, the
latency of one ad at a time and the opt-in NER path.

Each runs in a fresh interpreter, so its peak memory is its own and not whatever the suite
loaded before it."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import PROJECT_ROOT, Context, Result, Target
from bench.memory import PeakTreeRSS, children_cpu_seconds, max_rss_bytes

TARGET_DOCS_PER_S = Target(">=", 1000)
TARGET_OF_FLOOR = Target(">=", 1.5, of="ratio")
MIB = 2**20


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}


def _skillscout() -> list[str]:
    script = Path(sys.executable).with_name("skillscout")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def write_ads(path: Path, docs: int, seed: int) -> None:
    """What the flow's extract step feeds the extractor: title, newline, plain-text ad."""
    from bench import synthetic

    with open(path, "w", encoding="utf-8") as fh:
        for n, ad in enumerate(synthetic.generate(docs, seed), 1):
            fh.write(json.dumps({"id": n, "text": f"{ad.ad['title']}\n{ad.text}"}, ensure_ascii=False) + "\n")


def _whole_process(cmd: list[str], out: Path, env: dict[str, str]) -> dict[str, Any]:
    """Wall and CPU seconds (workers included), peak RSS of the process tree, and a digest
    of what it wrote."""
    cpu = children_cpu_seconds()
    began = time.perf_counter()
    with open(out, "wb") as fh, subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=fh,
                                                 stderr=subprocess.PIPE, text=True) as proc, \
            PeakTreeRSS(proc.pid) as peak:
        _, stderr = proc.communicate(timeout=3600)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {last}")
    with open(out, "rb") as fh:
        lines = [line for line in fh if line.strip()]
    return {"seconds": seconds, "cpu": children_cpu_seconds() - cpu, "peak": peak.peak,
            "processes": peak.most_processes, "lines": len(lines),
            "digest": hashlib.sha256(b"".join(lines)).hexdigest()}


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
    with subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc, PeakTreeRSS(proc.pid) as peak:
        stdout, stderr = proc.communicate(timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"extract worker (n_process={n_process}) failed: "
                           f"{(stderr.strip().splitlines() or ['no output'])[-1]}")
    data = json.loads(stdout.strip().splitlines()[-1])
    data["peak_tree_rss_bytes"] = peak.peak
    data["most_processes"] = peak.most_processes
    return data


def _cli(ctx: Context, ads: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    out = ctx.workdir / "extracted.jsonl"
    try:
        floor = _whole_process([sys.executable, "-m", "bench.bare_matcher", str(ads)], out, _env())
        every = _whole_process([*_skillscout(), "extract", "--jsonl", str(ads)], out, _env())
        one = _whole_process([*_skillscout(), "extract", "--jsonl", str(ads)], out,
                             _env(SKILLSCOUT_EXTRACT_PROCESSES="1"))
    finally:
        out.unlink(missing_ok=True)
    return floor, every, one


def run(ctx: Context) -> list[Result]:
    docs, latency_docs = ctx.sizes.extract_docs, ctx.sizes.latency_docs
    ads = ctx.workdir / "ads.jsonl"
    write_ads(ads, docs, ctx.seed)
    try:
        floor, every, one = _cli(ctx, ads)
    finally:
        ads.unlink(missing_ok=True)
    single = _run_worker(docs, 1, latency_docs, ctx.seed)
    with_ner = _run_worker(max(100, docs // 10), 1, 0, ctx.seed, ner=True)
    shape = (f"{single['docs']:,} ads, {single['words_per_doc']:.0f} words and "
             f"{single['skills_per_doc']:.1f} skills each")
    floor_rate = floor["lines"] / floor["seconds"]
    same = "identical" if every["digest"] == one["digest"] else "DIFFERENT (a bug)"

    def whole(data: dict[str, Any]) -> str:
        return (f"{data['seconds']:.1f}s, CPU {data['cpu'] * 1000 / data['lines']:.2f} ms an ad "
                f"(workers included), {data['processes']} processes at most")

    results = [
        Result("extract", "skillscout extract --jsonl, every core", every["lines"] / every["seconds"],
               "ads/s", TARGET_OF_FLOOR, floor=floor_rate, floor_name="bare PhraseMatcher, 1 process",
               notes=(f"{shape}; whole process, start-up included: {whole(every)}; floor "
                      f"{whole(floor)}; output {same} to one process's")),
        Result("extract", "skillscout extract --jsonl, every core (absolute)",
               every["lines"] / every["seconds"], "ads/s", TARGET_DOCS_PER_S,
               notes=f"{os.cpu_count()} CPUs on this machine"),
        Result("extract", "skillscout extract --jsonl, one process", one["lines"] / one["seconds"], "ads/s",
               floor=floor_rate, floor_name="bare PhraseMatcher, 1 process",
               notes=f"SKILLSCOUT_EXTRACT_PROCESSES=1: {whole(one)}"),
        Result("extract", "extract_many in process, 1 process", single["docs_per_s"], "docs/s",
               notes=f"{single['seconds']:.1f}s; {_cpu_note(single)}; pipeline built in "
                     f"{single['load_seconds']:.1f}s (not counted)"),
        Result("extract", "extract_with_ner (opt-in NER path), 1 process", with_ner["docs_per_s"], "docs/s",
               notes=f"{with_ner['docs']:,} ads; {with_ner['docs_per_s'] / single['docs_per_s']:.2f}× the "
                     f"dictionary alone; {_cpu_note(with_ner)}"),
    ]
    for label, data in (("extract --jsonl, one process", one), ("extract --jsonl, every core", every),
                        ("bare PhraseMatcher", floor)):
        results.append(Result("extract", f"peak RSS, {label}", data["peak"] / MIB, "MiB",
                              notes=(f"process tree ({data['processes']} processes at most), sampled "
                                     "every 50 ms; RSS of forked workers counts the pages they share "
                                     "with the parent once per process")))
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
