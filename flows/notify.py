"""Tell someone about new strong matches after a crawl, through a Prefect notification block.

The person configures the block once, in the Prefect UI (Blocks → Custom Webhook, Slack
Webhook, Email, ...) or in Python, and gives its reference ("custom-webhook/skillscout") to
`skillscout schedule --notify`. Each scheduled run then crawls, and sends one message
listing the strong matches for their profile that this crawl found for the first time;
nothing is sent when there are none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.blocks.core import Block
from prefect.blocks.notifications import NotificationBlock
from prefect.cache_policies import NO_CACHE

from flows.flow import crawl_flow
from pipeline.db import open_store
from pipeline.gaps import STRONG_MATCH
from pipeline.match import Match
from pipeline.profile import load_profile
from pipeline.whats_new import new_strong_matches, run_started

MESSAGE_LIMIT = 20  # matches listed in one message; the rest are counted


class NotifyError(RuntimeError):
    """The notification block cannot be used (missing, or not a notification block)."""


def load_notification_block(reference: str) -> NotificationBlock:
    """The saved block `reference` ("block-type-slug/name"), checked to be a notifier."""
    if "/" not in reference:
        raise NotifyError(f"notification block {reference!r}: give it as TYPE/NAME, for example "
                          "custom-webhook/skillscout")
    try:
        block = Block.load(reference)
    except ValueError as exc:
        raise NotifyError(f"notification block {reference!r} not found on the Prefect server "
                          f"({exc})") from exc
    if not isinstance(block, NotificationBlock):
        raise NotifyError(f"block {reference!r} is a {type(block).__name__}, not a notification block")
    return block


def message(profile_name: str, found: list[Match]) -> tuple[str, str]:
    """(subject, body) for new strong matches; plain text, one job a line."""
    subject = (f"skillscout: {len(found)} new strong match{'es' if len(found) != 1 else ''} "
               f"for {profile_name}")
    lines = []
    for m in found[:MESSAGE_LIMIT]:
        where = ", ".join(x for x in (m.company, m.location, m.remote, m.salary) if x)
        lines.append(f"{m.score:.2f}  {m.title} ({where})  {m.url}")
    if len(found) > MESSAGE_LIMIT:
        lines.append(f"... and {len(found) - MESSAGE_LIMIT} more: skillscout match --new")
    return subject, "\n".join(lines)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30])
def send_new_matches(db: str, profile_path: str, block_reference: str, run_id: str,
                     threshold: float = STRONG_MATCH) -> dict[str, Any]:
    """Send the strong matches first seen in crawl `run_id`; retried, as it touches the network."""
    profile = load_profile(profile_path)
    with open_store(Path(db), read_only=True) as con:
        _, found = new_strong_matches(con, profile, since=run_started(con, run_id), threshold=threshold)
    name = profile.name or Path(profile_path).stem
    if found:
        subject, body = message(name, found)
        load_notification_block(block_reference).notify(body=body, subject=subject)
        get_run_logger().info("sent %d new strong matches for %s through %s", len(found), name,
                              block_reference)
    return {"profile": name, "new_strong_matches": len(found), "sent": bool(found),
            "jobs": [m.id for m in found]}


@flow(name="skillscout-crawl-and-notify", log_prints=False)
def crawl_and_notify_flow(db: str, profile: str, notify: str, sources_file: str | None = None,
                          sources: list[dict[str, Any]] | None = None,
                          scrapy_settings: dict[str, Any] | None = None, crawl_retries: int = 2,
                          threshold: float = STRONG_MATCH) -> dict[str, Any]:
    """Crawl (the usual crawl flow, as a subflow), then send the strong matches for `profile`
    that this crawl found first."""
    summary = crawl_flow(sources=sources, sources_file=sources_file, db=db,
                         scrapy_settings=scrapy_settings, crawl_retries=crawl_retries)
    summary["notification"] = send_new_matches(db, profile, notify, summary["run_id"], threshold)
    return summary
