"""Working Nomads, the latest remote jobs (no key):

    scrapy crawl workingnomads -O jobs.jsonl
"""

from scrapers.bases.workingnomads import WorkingNomadsSpider as WorkingNomadsBase


class WorkingNomadsSpider(WorkingNomadsBase):
    name = "workingnomads"
