"""Himalayas, the newest remote jobs (no key):

    scrapy crawl himalayas -a max_pages=5 -O jobs.jsonl
"""

from scrapers.bases.himalayas import HimalayasSpider as HimalayasBase


class HimalayasSpider(HimalayasBase):
    name = "himalayas"
