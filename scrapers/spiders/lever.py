"""Any employer's Lever job site (jobs.lever.co/<site>):

    scrapy crawl lever -a site=NAME [-a company='Display Name'] -O jobs.jsonl
"""

from scrapers.bases.lever import LeverSpider as LeverBase


class LeverSpider(LeverBase):
    name = "lever"
