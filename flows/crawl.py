"""Run one source's spider in a subprocess and collect what it scraped.

Scrapy's Twisted reactor cannot be restarted inside one process, so each crawl is a fresh
`python -m scrapy crawl` whose items land in a JSON Lines feed on disk; they stay there
until loaded, so a failed load can be retried without crawling again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.sources import Source
from scrapers.keys import referenced

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class CrawlError(RuntimeError):
    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry  # False when trying again cannot help (a rejected key, a spent quota)


@dataclass
class CrawlOutput:
    source: str
    spider: str
    items_path: Path
    items: int
    stats: dict[str, Any] = field(default_factory=dict)
    spec: Source | None = None  # the configured source, for its keep rules

    @property
    def errors(self) -> int:
        return int(self.stats.get("log_count/ERROR", 0))

    @property
    def incomplete(self) -> str | None:
        """Why the crawl may have missed some of the source's jobs, if it may have."""
        refused = int(self.stats.get("skillscout/api/rate_limited", 0))
        if refused:
            return f"rate-limited by the API ({refused} request(s) refused): some results were missed"
        return None

    def health(self) -> dict[str, Any]:
        """Crawl health in the shape `crawl_source_runs` stores."""
        items = max(self.items, 1)
        dropped = int(self.stats.get("item_dropped_count", 0))
        return {
            "items": self.items,
            "dropped": dropped,
            "duplicates": int(self.stats.get("skillscout/dropped/duplicate", 0)),
            "missing_salary": round(self.stats.get("skillscout/field/salary/missing", 0) / items, 3),
            "missing_location": round(self.stats.get("skillscout/field/location/missing", 0) / items, 3),
            "missing_description": round(
                self.stats.get("skillscout/field/description/missing", 0) / items, 3),
            "truncated_description": round(
                self.stats.get("skillscout/field/description/truncated", 0) / items, 3),
            "rate_limited": int(self.stats.get("skillscout/api/rate_limited", 0)),
        }


def crawl_command(source: Source, items_path: Path, stats_path: Path, log_path: Path,
                  settings: dict[str, Any] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", source.spider]
    for key, value in source.args.items():
        cmd += ["-a", f"{key}={value}"]
    cmd += ["-O", f"{items_path}:jsonlines",
            "-s", f"SKILLSCOUT_STATS_FILE={stats_path}",
            "-s", f"LOG_FILE={log_path}",
            "-s", "LOG_LEVEL=INFO"]
    for key, value in {**(settings or {}), **dict(source.settings)}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_crawl(source: Source, out_dir: Path, settings: dict[str, Any] | None = None) -> CrawlOutput:
    """Crawl `source` into `out_dir/<source>.jsonl`; raise CrawlError when it fails outright."""
    out_dir.mkdir(parents=True, exist_ok=True)
    items_path = out_dir / f"{source.slug}.jsonl"
    stats_path = out_dir / f"{source.slug}.stats.json"
    log_path = out_dir / f"{source.slug}.log"
    for stale in (items_path, stats_path, log_path):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        proc = subprocess.run(
            crawl_command(source, items_path, stats_path, log_path, settings),
            cwd=out_dir, env=env, capture_output=True, text=True, timeout=source.timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"{source.key}: crawl did not finish within {source.timeout:.0f}s") from exc
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    if proc.returncode != 0 or not stats:
        # A spider that cannot start ends its log (or stderr) with the exception's message.
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        last = [ln for ln in f"{log}\n{proc.stderr or ''}".splitlines() if ln.strip()][-1:]
        detail = last[0].strip() if last else "no output"
        raise CrawlError(f"{source.key}: spider {source.spider} failed: {detail[-300:]}")
    items = _count_lines(items_path)
    output = CrawlOutput(source.key, source.spider, items_path, items, stats, source)
    # What `skillscout load` needs to load these items again without crawling.
    items_path.with_suffix(".meta.json").write_text(json.dumps(
        {"source": source.key, "spider": source.spider, "items": items, "args": source.args,
         "keep": sorted(source.keep) if source.keep is not None else None,
         "keep_titles": list(source.keep_titles)}))
    refused = _refusal(source, stats)
    # A rejected key fails the source even if some pages came first: the key is the problem.
    if refused and (items == 0 or stats.get("finish_reason") in ("key_rejected", "access_refused")):
        raise CrawlError(f"{source.key}: {refused}", retry=False)
    if items == 0:
        problem = _failure_summary(stats)
        if problem:
            raise CrawlError(f"{source.key}: no items; {problem} "
                             f"({_last_error(log_path) or 'see ' + str(log_path)})")
    return output


def _refusal(source: Source, stats: dict[str, Any]) -> str | None:
    """The API's own reason for giving nothing: a rejected key or a spent rate limit."""
    status = stats.get("skillscout/api/key_rejected")
    if status and stats.get("finish_reason") == "key_rejected":
        names = sorted({v for value in source.args.values() for v in referenced(value)})
        check = f"; check {', '.join(names)}" if names else ""
        return f"the API rejected the key (HTTP {status}){check}"
    if status:
        return f"the API refused access (HTTP {status})"
    refused = stats.get("skillscout/api/rate_limited")
    if refused:
        return (f"rate-limited by the API ({refused} request(s) refused, no jobs read); "
                "try again later or lower max_pages")
    return None


def _failure_summary(stats: dict[str, Any]) -> str | None:
    """Why a crawl that found nothing failed, from its stats; None if it simply found nothing."""
    statuses = sorted(k.rsplit("/", 1)[-1] for k in stats
                      if k.startswith("httperror/response_ignored_status_count/"))
    parts = []
    if statuses:
        parts.append(f"HTTP {', '.join(statuses)}")
    if stats.get("retry/max_reached"):
        parts.append(f"gave up after retries on {stats['retry/max_reached']} request(s)")
    if stats.get("downloader/exception_count"):
        parts.append(f"{stats['downloader/exception_count']} download error(s)")
    if stats.get("log_count/ERROR"):
        parts.append(f"{stats['log_count/ERROR']} error(s) logged")
    return "; ".join(parts) or None


def saved_outputs(run_dir: Path) -> list[CrawlOutput]:
    """The crawls kept in a run folder, as `run_crawl` left them."""
    outputs = []
    for meta_path in sorted(run_dir.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text())
        items_path = meta_path.with_name(meta_path.name.removesuffix(".meta.json") + ".jsonl")
        stats_path = items_path.with_suffix(".stats.json")
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        spec = Source(meta["spider"], meta.get("args", {}), meta["source"],
                      keep=frozenset(meta["keep"]) if meta.get("keep") is not None else None,
                      keep_titles=tuple(meta.get("keep_titles", ())))
        outputs.append(CrawlOutput(meta["source"], meta["spider"], items_path,
                                   _count_lines(items_path), stats, spec))
    return outputs


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def _last_error(log_path: Path) -> str | None:
    if not log_path.exists():
        return None
    # Log lines at ERROR level only: the stats dump at the end also mentions "log_count/ERROR".
    errors = [line.strip() for line in log_path.read_text(errors="replace").splitlines()
              if "] ERROR:" in line or line.startswith("Traceback")]
    return errors[-1][-300:] if errors else None


def read_items(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
