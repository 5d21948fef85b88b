"""Adzuna job search, one country at a time (keys: ADZUNA_APP_ID, ADZUNA_APP_KEY):

    scrapy crawl adzuna -a country=gb -a what="data analyst" -a where=Leeds -a distance=32 -O jobs.jsonl
"""

from scrapers.bases.adzuna import AdzunaSpider as AdzunaBase


class AdzunaSpider(AdzunaBase):
    name = "adzuna"
