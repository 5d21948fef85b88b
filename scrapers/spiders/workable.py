"""Any employer's Workable careers page (apply.workable.com/<account>):

    scrapy crawl workable -a account=NAME -O jobs.jsonl
"""

from scrapers.bases.workable import WorkableSpider as WorkableBase


class WorkableSpider(WorkableBase):
    name = "workable"
