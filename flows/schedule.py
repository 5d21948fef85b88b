"""Scheduled crawls: the crawl flow served by Prefect on a cron schedule.

Schedules live in a Prefect server (`prefect server start`, then
`PREFECT_API_URL=http://127.0.0.1:4200/api`). Prefect's ephemeral mode, which one-off
`skillscout crawl` runs use, accepts a schedule and then silently never runs it, so we
refuse to schedule without a reachable server instead."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.schedules import CronSchedule
from prefect.settings import get_current_settings

from flows.flow import crawl_flow
from flows.sources import load_sources

SERVER_HELP = ("start one with `prefect server start` and point skillscout at it with "
               "`export PREFECT_API_URL=http://127.0.0.1:4200/api`")


class ScheduleError(RuntimeError):
    pass


def require_server() -> str:
    url = get_current_settings().api.url
    if not url:
        raise ScheduleError(f"schedules need a Prefect server, and PREFECT_API_URL is not set: {SERVER_HELP}")
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ScheduleError(f"no Prefect server answers at {url} ({problem}): {SERVER_HELP}")
    return url


def build_deployment(sources_file: Path, cron: str, db: Path, name: str = "scheduled-crawl") -> Any:
    """The deployment `serve` runs: the crawl flow, its parameters and the cron schedule."""
    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        raise ScheduleError(f"not a valid cron expression: {cron!r}") from exc
    load_sources(sources_file)  # a broken file fails now, not at 6 in the morning
    return crawl_flow.to_deployment(
        name=name, cron=cron,
        parameters={"sources_file": str(sources_file.resolve()), "db": str(db.resolve())},
        description=f"skillscout crawl of {sources_file.name} into {db}",
    )


def register(sources_file: Path, cron: str, db: Path, name: str = "scheduled-crawl") -> str:
    """Create or update the deployment on the server; returns its id."""
    require_server()
    return str(build_deployment(sources_file, cron, db, name).apply())


def prepare(sources_file: Path, cron: str, db: Path, name: str = "scheduled-crawl") -> Any:
    """The deployment to serve, once the cron expression, the sources file and the server
    are known to be good: nothing is announced as served before all three are."""
    deployment = build_deployment(sources_file, cron, db, name)
    require_server()
    return deployment


def serve(deployment: Any) -> None:
    """Run scheduled crawls of a `prepare`d deployment until interrupted.

    Each run is a subprocess that inherits these settings: its logs (per-source counts,
    extraction and load summaries, at INFO) go to the Prefect UI, whatever the serving
    process logs itself; in the terminal, each finished run prints one line."""
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_LOGGING_LEVEL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    # Ctrl-C takes the runner's graceful path (as SIGTERM does): runs in progress are
    # stopped and end in a final state, instead of being left RUNNING when the runner's
    # event loop is torn down under them. (A run that gets the terminal's Ctrl-C itself
    # records its own end first: see flows/flow.py.)
    previous = signal.signal(signal.SIGINT, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
    try:
        with temporary_settings({PREFECT_LOGGING_TO_API_ENABLED: True, PREFECT_LOGGING_LEVEL: "INFO"}):
            prefect_serve(deployment)
    finally:
        signal.signal(signal.SIGINT, previous)
