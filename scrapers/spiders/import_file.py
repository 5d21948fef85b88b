"""Jobs from a file (JobSpy's CSV, or CSV / JSON Lines of item fields), through the same
pipelines as a crawl; `skillscout import FILE` runs it through the whole flow:

    scrapy crawl import_file -a path=jobs.csv [-a bad_rows=refuse] -O jobs.jsonl
"""

from scrapers.bases.import_file import ImportFileSpider as ImportFileBase


class ImportFileSpider(ImportFileBase):
    name = "import_file"
