"""Any employer's SmartRecruiters postings (jobs.smartrecruiters.com/<company>):

    scrapy crawl smartrecruiters -a company=IDENTIFIER -O jobs.jsonl
"""

from scrapers.bases.smartrecruiters import SmartRecruitersSpider as SmartRecruitersBase


class SmartRecruitersSpider(SmartRecruitersBase):
    name = "smartrecruiters"
