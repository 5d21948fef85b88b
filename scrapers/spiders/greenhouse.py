"""Any employer's Greenhouse job board:

    scrapy crawl greenhouse -a board=TOKEN [-a api_url=http://127.0.0.1:8000] -O jobs.jsonl
"""

from scrapers.bases.greenhouse import GreenhouseSpider as GreenhouseBase


class GreenhouseSpider(GreenhouseBase):
    name = "greenhouse"
