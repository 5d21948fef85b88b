"""Any careers site whose sitemaps list pages with schema.org JobPosting (JSON-LD or microdata):

    scrapy crawl jobposting_sitemap -a start_url=https://careers.example.com/ -O jobs.jsonl

`start_url` may also be a robots.txt or a sitemap; `-a url_pattern=/jobs/` fetches only the
pages whose URL matches.
"""

from scrapers.bases.sitemap import StructuredDataSitemapSpider as StructuredDataSitemapBase


class JobpostingSitemapSpider(StructuredDataSitemapBase):
    name = "jobposting_sitemap"
