"""Write the crawl's stats to a JSON file, so whoever started the crawl in a subprocess (the
flow) can report crawl health without parsing logs.

The file is written when the spider closes, and refreshed every SKILLSCOUT_STATS_INTERVAL
seconds while the crawl runs, with the request it has waited on longest: a crawl that hangs
and has to be killed still says how far it got and what it was waiting for."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

WAITING_STAT = "skillscout/waiting_for"


class StatsFile:
    def __init__(self, crawler, path: str, interval: float) -> None:
        self.crawler = crawler
        self.path = Path(path)
        self.interval = interval
        self.in_flight: dict[int, tuple[float, str]] = {}  # id(request) → (sent at, url)
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("SKILLSCOUT_STATS_FILE")
        if not path:
            raise NotConfigured
        ext = cls(crawler, path, crawler.settings.getfloat("SKILLSCOUT_STATS_INTERVAL", 5.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(ext.request_sent, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.request_done, signal=signals.request_left_downloader)
        return ext

    def request_sent(self, request, spider=None) -> None:
        self.in_flight[id(request)] = (time.monotonic(), request.url)

    def request_done(self, request, spider=None) -> None:
        self.in_flight.pop(id(request), None)

    def spider_opened(self, spider) -> None:
        if self.interval > 0:
            self.loop = task.LoopingCall(self._write)
            self.loop.start(self.interval, now=True)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.closed = True
        self._write(finish_reason=reason)

    def engine_stopped(self) -> None:
        if not getattr(self, "closed", False):  # stopped before the spider could close
            self._write()

    def _write(self, **extra) -> None:
        stats = dict(self.crawler.stats.get_stats())
        if self.in_flight and "finish_reason" not in extra:
            sent, url = min(self.in_flight.values())
            stats[WAITING_STAT] = f"{url} (no answer for {time.monotonic() - sent:.0f}s)"
        stats.update(extra)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(stats, default=_jsonable, indent=1, sort_keys=True))
        tmp.replace(self.path)  # a reader never sees half a file


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else str(value)
