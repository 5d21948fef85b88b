"""We Work Remotely RSS, all jobs or one category (no key):

    scrapy crawl weworkremotely [-a category=remote-programming-jobs] -O jobs.jsonl
"""

from scrapers.bases.weworkremotely import WeWorkRemotelySpider as WeWorkRemotelyBase


class WeWorkRemotelySpider(WeWorkRemotelyBase):
    name = "weworkremotely"
