"""The newest Hacker News "Ask HN: Who is hiring?" thread, one job per top-level comment:

    scrapy crawl hackernews [-a story_id=ID] -O jobs.jsonl
"""

from scrapers.bases.hackernews import HackerNewsSpider as HackerNewsBase


class HackerNewsSpider(HackerNewsBase):
    name = "hackernews"
