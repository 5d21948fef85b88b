"""USAJOBS, US federal jobs (keys: USAJOBS_API_KEY, USAJOBS_EMAIL):

    scrapy crawl usajobs -a Keyword="data scientist" -a LocationName="Washington, DC" -O jobs.jsonl
"""

from scrapers.bases.usajobs import UsaJobsSpider as UsaJobsBase


class UsaJobsSpider(UsaJobsBase):
    name = "usajobs"
