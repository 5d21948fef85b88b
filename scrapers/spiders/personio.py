"""Any employer's Personio job feed (<company>.jobs.personio.de):

    scrapy crawl personio -a company=NAME [-a company_name='Display Name'] -O jobs.jsonl
"""

from scrapers.bases.personio import PersonioSpider as PersonioBase


class PersonioSpider(PersonioBase):
    name = "personio"
