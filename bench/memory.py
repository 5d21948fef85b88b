"""Peak memory of a process and the workers it starts (spaCy's n_process forks them), and
the CPU time of finished children.

`resource.getrusage` only knows one process, or the largest finished child; what a user
sees is the whole tree at its worst, so that is sampled from /proc while it runs."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path
from types import TracebackType

_PAGE = os.sysconf("SC_PAGE_SIZE")


def children_cpu_seconds() -> float:
    """CPU seconds of finished child processes (crawl subprocesses, extraction workers):
    their own cost, however busy the machine is with other work."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        pass
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss(pid: int) -> tuple[int, int]:
    """(summed RSS in bytes, process count) of `pid` and its descendants right now."""
    total, count, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss(p)
        count += 1
        todo += _children(p)
    return total, count


class PeakTreeRSS:
    """Samples `tree_rss(pid)` in a background thread; `peak` is the largest sum seen.

    RSS counts pages a forked worker still shares with its parent once per process, so
    the sum is an upper bound of the memory the tree really holds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.most_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, count = tree_rss(self.pid)
            self.peak = max(self.peak, total)
            self.most_processes = max(self.most_processes, count)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakTreeRSS:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()


def max_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """getrusage's high-water mark (Linux reports KiB)."""
    return resource.getrusage(who).ru_maxrss * 1024
