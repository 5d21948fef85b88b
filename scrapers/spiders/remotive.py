"""Remotive (remotive.com), remote jobs, optionally one category:

    scrapy crawl remotive [-a category=data] -O jobs.jsonl
"""

from scrapers.bases.remotive import RemotiveSpider as RemotiveBase


class RemotiveSpider(RemotiveBase):
    name = "remotive"
