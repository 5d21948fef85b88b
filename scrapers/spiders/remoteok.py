"""Remote OK (remoteok.com), every job on the board:

    scrapy crawl remoteok -O jobs.jsonl
"""

from scrapers.bases.remoteok import RemoteOkSpider as RemoteOkBase


class RemoteOkSpider(RemoteOkBase):
    name = "remoteok"
