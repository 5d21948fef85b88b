"""Skills for a stream of ads on every core, with memory that does not grow with the input.

Ads are read in batches and handed to worker processes; at most a few batches are in
flight at once, so a file of a million ads is never held whole, and results come back in
input order. Only the texts travel to the workers and only the skill lists come back.

The workers are forked from a process that has already built the extraction pipeline, so
they start in milliseconds and share its pages (`skills.get_nlp` freezes them out of the
garbage collector, which would otherwise touch and so copy them). An input of one batch or
less is extracted in this process: starting workers would cost more than it saves."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import Any

import skills

BATCH = 128  # ads per task: large enough that a task's overhead is small, small enough to share out
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: one being extracted, one waiting
PROCESSES_VARIABLE = "SKILLSCOUT_EXTRACT_PROCESSES"


def default_processes() -> int:
    """$SKILLSCOUT_EXTRACT_PROCESSES, else the cores this process may run on."""
    configured = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(f"${PROCESSES_VARIABLE} must be a whole number, got {configured!r}") from None
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while batch := list(islice(it, size)):
        yield batch


def _worker_started() -> None:
    # A forked worker inherits its parent's signal handlers (a Prefect flow's turns SIGTERM
    # into an exception with a traceback). When the parent stops the pool, a worker just
    # ends; Ctrl-C is the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_batch(texts: list[str]) -> list[list[dict[str, Any]]]:
    return list(skills.extract_many(texts))


def extract_stream(texts: Iterable[str], processes: int | None = None, batch_size: int = BATCH
                   ) -> Iterator[list[dict[str, Any]]]:
    """The skills of each text, in order, as `skills.extract_many` finds them; `texts` is
    consumed lazily, a few batches ahead of what has been yielded."""
    processes = default_processes() if processes is None else max(1, processes)
    batches = _batches(texts, batch_size)
    head = list(islice(batches, 2))
    if processes == 1 or len(head) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for batch in chain(head, batches):
            yield from _extract_batch(batch)
        return
    skills.get_nlp()  # built here, before the fork, so that every worker inherits it
    pending: deque[Any] = deque()
    # Leaving the block (the consumer stopped early, or a worker failed) terminates the
    # workers; nothing they were doing is kept.
    with multiprocessing.get_context("fork").Pool(processes, initializer=_worker_started) as pool:
        for batch in chain(head, batches):
            pending.append(pool.apply_async(_extract_batch, (batch,)))
            if len(pending) >= processes * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
