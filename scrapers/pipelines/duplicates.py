"""Drop an ad a source yields twice in one crawl (listing pages often repeat a job)."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from scrapers.items import JobPosting


class DuplicatesPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats
        self.seen: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        key = (item.source, item.source_id or item.url or "")
        if key in self.seen:
            self.stats.inc_value("skillscout/dropped/duplicate")
            raise DropItem(f"duplicate job {key}")
        self.seen.add(key)
        return item
