"""JobSpy: LinkedIn, Indeed, Glassdoor, Google, ZipRecruiter (pip install 'skillscout[jobspy]';
those sites' terms may forbid automated access, so using it is your choice):

    scrapy crawl jobspy -a site_name='["indeed","linkedin"]' -a search_term="data analyst" \\
        -a location="Leeds, UK" -a country_indeed=uk -a results_wanted=30 -O jobs.jsonl
"""

from scrapers.bases.jobspy import JobSpySpider as JobSpyBase


class JobSpySpider(JobSpyBase):
    name = "jobspy"
