"""Run one source's spider in a subprocess and collect what it scraped.

Scrapy's Twisted reactor cannot be restarted inside one process, so each crawl is a fresh
`python -m scrapy crawl` whose items land in a JSON Lines feed on disk; they stay there
until loaded, so a failed load can be retried without crawling again."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.sources import Source
from scrapers.extensions import WAITING_STAT
from scrapers.keys import referenced
from scrapers.middlewares import FAILURE_STAT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A crawl past its timeout is asked to stop as Ctrl-C would (Scrapy closes the spider and
# writes its stats), then told again (Scrapy's forced stop), then killed; its stats file,
# refreshed while it runs, says how far it got either way.
STOP_GRACE_SECONDS = 5
# Crawl processes running now, so that a flow being stopped can stop them too (a signal
# reaches the flow's main thread, not the threads waiting on crawls).
_LIVE: set[subprocess.Popen] = set()
_LIVE_LOCK = threading.Lock()


class CrawlError(RuntimeError):
    """A source's crawl failed; the message is one line naming the source and the cause.
    `retry` is False when trying again cannot help (a rejected key, a spent quota)."""

    def __init__(self, message: str, stats: dict[str, Any] | None = None, items: int = 0,
                 log_path: Path | None = None, retry: bool = True) -> None:
        super().__init__(message)
        self.stats = stats or {}
        self.items = items
        self.log_path = log_path
        self.retry = retry


def one_line(text: str, width: int = 240) -> str:
    """A message on one line, shortened at a word boundary (never mid-word)."""
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder=" …")


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
    """Crawl `source` into `out_dir/<source>.jsonl`; raise CrawlError when it fails outright.

    The source's timeout counts from the start of its own crawl process."""
    out_dir = out_dir.resolve()  # the crawl runs in it: a relative path would be taken twice
    out_dir.mkdir(parents=True, exist_ok=True)
    items_path = out_dir / f"{source.slug}.jsonl"
    stats_path = out_dir / f"{source.slug}.stats.json"
    log_path = out_dir / f"{source.slug}.log"
    for stale in (items_path, stats_path, log_path):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "scrapers.settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(crawl_command(source, items_path, stats_path, log_path, settings),
                            cwd=out_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    with _LIVE_LOCK:
        _LIVE.add(proc)
    timed_out = False
    try:
        _, stderr = proc.communicate(timeout=source.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        stderr = _stop(proc)
    except BaseException:  # the flow is being stopped: so is its crawl
        _stop(proc)
        raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    stats = _read_json(stats_path)
    items = _count_lines(items_path)
    if timed_out:
        raise CrawlError(f"{source.key}: did not finish within {source.timeout:g}s "
                         f"({_progress(stats, items)})", stats, items, log_path)
    if proc.returncode != 0 or not stats:
        # A spider that cannot start ends its log (or stderr) with the exception's message.
        detail = _last_error(log_path, stderr) or f"exit code {proc.returncode}, no output"
        raise CrawlError(one_line(f"{source.key}: spider {source.spider} failed: {detail}"),
                         stats, items, log_path)
    output = CrawlOutput(source.key, source.spider, items_path, items, stats, source)
    # What `skillscout load` needs to load these items again without crawling.
    items_path.with_suffix(".meta.json").write_text(json.dumps(
        {"source": source.key, "spider": source.spider, "items": items, "args": source.args,
         "keep": sorted(source.keep) if source.keep is not None else None,
         "keep_titles": list(source.keep_titles)}))
    refused = _refusal(source, stats)
    # A rejected key fails the source even if some pages came first: the key is the problem.
    if refused and (items == 0 or stats.get("finish_reason") in ("key_rejected", "access_refused")):
        raise CrawlError(f"{source.key}: {refused}", stats, items, log_path, retry=False)
    if items == 0:
        problem = _failure_summary(stats, log_path)
        if problem:
            raise CrawlError(one_line(f"{source.key}: no items: {problem}"), stats, items, log_path)
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


def stop_all() -> None:
    """Stop every running crawl: asked as Ctrl-C would, then insisted on, then killed (each
    step after STOP_GRACE_SECONDS), so none outlives the flow that started it."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for step in (signal.SIGINT, signal.SIGINT, signal.SIGKILL):
        live = [p for p in live if p.poll() is None]
        for proc in live:
            proc.send_signal(step)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while live and time.monotonic() < deadline and any(p.poll() is None for p in live):
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> str:
    """Ask a crawl to stop as Ctrl-C would, then insist, then kill it."""
    for _ in range(2):
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=STOP_GRACE_SECONDS)[1] or ""
        except subprocess.TimeoutExpired:
            continue
    proc.kill()
    return proc.communicate()[1] or ""


def _progress(stats: dict[str, Any], items: int) -> str:
    if not stats:
        return f"{items} items, no crawl stats recorded"
    sent = int(stats.get("downloader/request_count", 0))
    answered = int(stats.get("downloader/response_count", 0))
    text = f"{sent} request(s) sent, {answered} answered, {items} items"
    if stats.get(WAITING_STAT):
        text += f"; waiting on {stats[WAITING_STAT]}"
    if stats.get(FAILURE_STAT):
        text += f"; last failure: {stats[FAILURE_STAT]}"
    return text


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        return {}


def _failure_summary(stats: dict[str, Any], log_path: Path) -> str | None:
    """Why a crawl that found nothing failed, from its stats; None if it simply found nothing."""
    if stats.get(FAILURE_STAT):
        cause = str(stats[FAILURE_STAT])
        tries = int(stats.get("retry/max_reached", 0))
        return cause + (f" (gave up after retries on {tries} request(s))" if tries else "")
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
        error = _last_error(log_path)
        parts.append(error or f"{stats['log_count/ERROR']} error(s) logged")
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


_LOG_PREFIX = re.compile(r"^\S+ \S+ \[[^\]]+\] (?:ERROR|CRITICAL): ")


def _last_error(log_path: Path, stderr: str = "") -> str | None:
    """The last error the crawl logged, as one line: the logged message, or the last line of
    a traceback (the exception), never the traceback's first line."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    lines = [ln.rstrip() for ln in f"{text}\n{stderr}".splitlines() if ln.strip()]
    found = None
    for n, line in enumerate(lines):
        if _LOG_PREFIX.match(line):
            found = _LOG_PREFIX.sub("", line)
            # A logged exception: its traceback follows, ending with the exception itself.
            tail = next((m for m in lines[n + 1:] if not m.startswith((" ", "Traceback"))), None)
            if tail and ":" in tail and not _LOG_PREFIX.match(tail) and "[" not in tail[:30]:
                found = f"{found} {tail}"
        elif line.startswith("Traceback"):
            tail = next((m for m in lines[n + 1:] if not m.startswith((" ", "Traceback"))), None)
            found = tail or found
    return one_line(found) if found else None


def iter_items(path: Path) -> Iterator[dict[str, Any]]:
    """The items of a feed one at a time, for steps that stream them."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_items(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
