"""Reed.co.uk job search, UK (key: REED_API_KEY):

    scrapy crawl reed -a keywords="data analyst" -a locationName=Leeds -a distanceFromLocation=20 \\
        -O jobs.jsonl
"""

from scrapers.bases.reed import ReedSpider as ReedBase


class ReedSpider(ReedBase):
    name = "reed"
