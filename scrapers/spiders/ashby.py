"""Any employer's Ashby job board (jobs.ashbyhq.com/<board>):

    scrapy crawl ashby -a board=NAME [-a company='Display Name'] -O jobs.jsonl
"""

from scrapers.bases.ashby import AshbySpider as AshbyBase


class AshbySpider(AshbyBase):
    name = "ashby"
