"""Dates to ISO 8601 in UTC, from ISO strings with or without zone, plain dates and epoch
milliseconds (Lever's `createdAt`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from scrapers.items import JobPosting


def to_utc_iso(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value).strip()
    if text.isdigit():
        return to_utc_iso(int(text))
    text = re.sub(r"\s*(?:UTC|GMT)$", "+00:00", text)  # Recruitee: "2026-10-22 08:14:02 UTC"
    text = text.replace("Z", "+00:00")
    for candidate in (text, text[:10]):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


class DatesPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        for field in ("posted_at", "valid_through"):
            raw = getattr(item, field)
            value = to_utc_iso(raw)
            if raw and not value:
                self.stats.inc_value(f"skillscout/field/{field}/invalid")
            setattr(item, field, value)
        if not item.posted_at:
            self.stats.inc_value("skillscout/field/posted_at/missing")
        return item
