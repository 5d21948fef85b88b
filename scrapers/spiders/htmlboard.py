"""Any HTML job board without structured data, described by CSS selectors:

    scrapy crawl htmlboard -a start_url=https://board.example/jobs -a selectors='{"card": ...}' -O jobs.jsonl
"""

from scrapers.bases.html_board import HtmlBoardSpider as HtmlBoardBase


class HtmlBoardSpider(HtmlBoardBase):
    name = "htmlboard"
