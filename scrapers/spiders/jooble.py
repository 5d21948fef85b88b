"""Jooble job search (key: JOOBLE_API_KEY):

    scrapy crawl jooble -a keywords="data engineer" -a location=Manchester -O jobs.jsonl
"""

from scrapers.bases.jooble import JoobleSpider as JoobleBase


class JoobleSpider(JoobleBase):
    name = "jooble"
