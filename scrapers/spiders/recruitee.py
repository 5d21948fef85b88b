"""Any employer's Recruitee careers site (<company>.recruitee.com):

    scrapy crawl recruitee -a company=NAME -O jobs.jsonl
"""

from scrapers.bases.recruitee import RecruiteeSpider as RecruiteeBase


class RecruiteeSpider(RecruiteeBase):
    name = "recruitee"
