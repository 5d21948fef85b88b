"""Jobicy remote jobs, by tag and region (no key):

    scrapy crawl jobicy -a tag=python -a geo=uk -O jobs.jsonl
"""

from scrapers.bases.jobicy import JobicySpider as JobicyBase


class JobicySpider(JobicyBase):
    name = "jobicy"
