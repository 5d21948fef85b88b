"""Findwork.dev job search (key: FINDWORK_API_KEY):

    scrapy crawl findwork -a search="machine learning" -a remote=true -O jobs.jsonl
"""

from scrapers.bases.findwork import FindworkSpider as FindworkBase


class FindworkSpider(FindworkBase):
    name = "findwork"
