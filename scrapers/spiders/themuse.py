"""The Muse, by category and location (optional key: THEMUSE_API_KEY):

    scrapy crawl themuse -a category="Data Science" -a location="New York, NY" -O jobs.jsonl
"""

from scrapers.bases.themuse import TheMuseSpider as TheMuseBase


class TheMuseSpider(TheMuseBase):
    name = "themuse"
