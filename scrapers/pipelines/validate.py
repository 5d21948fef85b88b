"""Drop items no one could use: an ad without a title or a link to it."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from scrapers.items import JobPosting


class RequiredFieldsPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        for field in ("title", "url"):
            value = getattr(item, field)
            if not (isinstance(value, str) and value.strip()):
                self.stats.inc_value(f"skillscout/dropped/missing_{field}")
                raise DropItem(f"job without {field}: {item.source_id or item.url}")
        item.title = " ".join(item.title.split())
        if item.company:
            item.company = " ".join(item.company.split())
        if not item.source_id:
            item.source_id = item.url
        return item
