"""Arbeitnow (arbeitnow.com), every page of its job board API:

    scrapy crawl arbeitnow -O jobs.jsonl
"""

from scrapers.bases.arbeitnow import ArbeitnowSpider as ArbeitnowBase


class ArbeitnowSpider(ArbeitnowBase):
    name = "arbeitnow"
