"""Scrapy settings: polite by default (robots.txt, AutoThrottle, per-domain limits)."""

import os

BOT_NAME = "skillscout"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Say who we are and where to complain; site owners block anonymous scrapers first.
USER_AGENT = "skillscout/0.1 (+https://github.com/skillscout/skillscout; job-search research bot)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a job page is never 10 MB; something is wrong if it is
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Retries wait: Retry-After when the server sends it (at most 5 minutes), else 1, 2, 4 s...
SKILLSCOUT_RETRY_BACKOFF_BASE = 1.0
SKILLSCOUT_RETRY_BACKOFF_MAX = 60.0
SKILLSCOUT_RETRY_AFTER_MAX = 300.0
# Link-local addresses (169.254.0.0/16, where clouds serve instance credentials) are never
# crawled, not even as a source's own host, unless this is on; the environment variable of
# the same name turns it on for every crawl skillscout starts.
SKILLSCOUT_ALLOW_LINK_LOCAL = os.environ.get("SKILLSCOUT_ALLOW_LINK_LOCAL", "") not in ("", "0")

DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.PrivateNetworkMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.PoliteRetryMiddleware": 550,
    "scrapers.middlewares.FailureCauseMiddleware": 950,  # next to the downloader: sees every failure
}

# The jobposting spider: listing pages it follows to a board's end (pagination is not
# depth), and hops to other pages from the start page.
SKILLSCOUT_MAX_LISTING_PAGES = 1000
SKILLSCOUT_MAX_HOPS = 5

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False

# Development only: `-s HTTPCACHE_ENABLED=1` replays pages instead of re-fetching them.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600

ITEM_PIPELINES = {
    "scrapers.pipelines.validate.RequiredFieldsPipeline": 100,
    "scrapers.pipelines.description.DescriptionTextPipeline": 200,
    "scrapers.pipelines.salary.SalaryPipeline": 300,
    "scrapers.pipelines.remote.RemotePipeline": 350,  # reads "(Hybrid)" before it is tidied away
    "scrapers.pipelines.location.LocationPipeline": 400,
    "scrapers.pipelines.employment_type.EmploymentTypePipeline": 600,
    "scrapers.pipelines.dates.DatesPipeline": 700,
    "scrapers.pipelines.duplicates.DuplicatesPipeline": 900,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Set by the flow: where to write the crawl stats as JSON when the spider closes.
EXTENSIONS = {"scrapers.extensions.StatsFile": 500}
