"""Normalisation pipelines, one concern each: pay, location, workplace, employment type,
dates and HTML to text."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from scrapers.items import JobPosting
from scrapers.pipelines.dates import to_utc_iso
from scrapers.pipelines.description import html_to_text
from scrapers.pipelines.employment_type import EmploymentTypePipeline, normalise_employment_type
from scrapers.pipelines.location import country_from_text, tidy_location
from scrapers.pipelines.remote import RemotePipeline, infer_remote
from scrapers.pipelines.salary import SalaryPipeline, annualise, parse_salary_text
from scrapers.pipelines.validate import RequiredFieldsPipeline


class _Crawler:
    """Just what pipelines use of a crawler: its settings and stats."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.stats = MemoryStatsCollector(self)


@pytest.mark.parametrize(("text", "expected"), [
    ("£40,000 - £50,000", (40000, 50000, "GBP", "year")),
    ("$120k–150k", (120000, 150000, "USD", "year")),
    ("£450-£500 per day", (450, 500, "GBP", "day")),
    ("£14 - 15 per hour", (14, 15, "GBP", "hour")),
    ("up to €70k", (None, 70000, "EUR", "year")),
    ("From £35,000", (35000, None, "GBP", "year")),
    ("Salary: £38,000 - £45,000 per annum plus benefits", (38000, 45000, "GBP", "year")),
    ("€60.000 - €70.000 p.a.", (60000, 70000, "EUR", "year")),
    ("$55/hr", (55, 55, "USD", "hour")),
    ("£500/day Outside IR35", (500, 500, "GBP", "day")),
    ("£13.50 per hour", (13.5, 13.5, "GBP", "hour")),
    ("$60 - $75 per hour", (60, 75, "USD", "hour")),
    ("Grade 7: £42,000 to £48,500", (42000, 48500, "GBP", "year")),
    ("USD 140,000-170,000", (140000, 170000, "USD", "year")),
    ("£3,200 per month", (3200, 3200, "GBP", "month")),
    ("between £30,000 and £35,000 a year", (30000, 35000, "GBP", "year")),
    ("45,000 per annum", (45000, 45000, None, "year")),
    ("£45k. Hours: 37.5 per week", (45000, 45000, "GBP", "year")),
    ("€650 per day", (650, 650, "EUR", "day")),
    ("£28k pro rata (22.5 hours per week)", (28000, 28000, "GBP", "year")),
])
def test_salary_from_text(text, expected):
    pay = parse_salary_text(text)
    assert (pay.minimum, pay.maximum, pay.currency, pay.period) == expected


@pytest.mark.parametrize("text", [
    "Competitive", "3+ years of Python", "We have 250 staff and 37.5 hours per week",
    "Python 3.11 and Spark 3.5", "Founded in 2019, 40 people", "",
])
def test_text_without_pay_gives_none(text):
    assert parse_salary_text(text) is None


def test_the_figure_that_reads_like_pay_wins():
    text = "Perks: a £1,500 learning budget and £500 for your desk.\nSalary: £65,000 - £78,000 per year"
    pay = parse_salary_text(text)
    assert (pay.minimum, pay.maximum, pay.period) == (65000, 78000, "year")


def test_salary_pipeline_annualises_structured_pay():
    crawler = _Crawler()
    item = JobPosting("t", salary_min="450", salary_max=500, salary_currency="gbp",
                      salary_period="DAY")
    item = SalaryPipeline.from_crawler(crawler).process_item(item)
    assert (item.salary_min, item.salary_max, item.salary_currency, item.salary_period) == (
        450.0, 500.0, "GBP", "day")
    assert item.salary_annual_max == annualise(500, "day") == 500 * 220


def test_salary_pipeline_counts_missing_pay():
    crawler = _Crawler()
    SalaryPipeline.from_crawler(crawler).process_item(JobPosting("t", description="Competitive"))
    assert crawler.stats.get_value("skillscout/field/salary/missing") == 1


@pytest.mark.parametrize(("location", "country"), [
    ("London, UK", "GB"), ("Austin, TX", "US"), ("Remote - US", "US"), ("Berlin, Germany", "DE"),
    ("Leeds, West Yorkshire, GB", "GB"), ("Dublin", "IE"), ("Amsterdam, NL", "NL"),
    ("Remote (UK)", "GB"), ("New York, NY, United States", "US"), ("Paris", "FR"),
    ("Edinburgh, Scotland", "GB"), ("Somewhere", None), ("", None),
])
def test_country_from_location_text(location, country):
    assert country_from_text(location) == country


@pytest.mark.parametrize(("raw", "tidy"), [
    ("Leeds, GB (Hybrid)", "Leeds, GB"), ("Remote - US", "US"), ("Remote", "Remote"),
    ("London,  London, UK", "London, UK"), ("Hybrid: Manchester, UK", "Manchester, UK"),
])
def test_tidy_location(raw, tidy):
    assert tidy_location(raw) == tidy


@pytest.mark.parametrize(("title", "location", "text", "expected"), [
    ("Data Analyst (Remote)", None, "", "remote"),
    ("Data Analyst", "London (Hybrid)", "", "hybrid"),
    ("Analyst", None, "This role is onsite at our plant.", "onsite"),
    ("Analyst", None, "Two office days a week in Leeds; the rest is up to you.", "hybrid"),
    ("Analyst", None, "Fully remote within the UK.", "remote"),
    ("Analyst", None, "Remote in the UK, with an optional team day each month.", "remote"),
    ("Analyst", None, "You'll be in the office one day a week and can work from home the rest.",
     "hybrid"),
    ("Analyst", None, "This is a part-time role, three days a week, working remotely.", "remote"),
    ("GIS Analyst", None, "Experience of remote sensing and remote teams.", None),
])
def test_workplace_inference(title, location, text, expected):
    assert infer_remote(title, location, text) == expected


def test_declared_onsite_gives_way_to_the_ads_words():
    item = JobPosting("t", title="Analyst", remote="onsite",
                      description="We work hybrid: two days a week in the office.")
    assert RemotePipeline.from_crawler(_Crawler()).process_item(item).remote == "hybrid"


@pytest.mark.parametrize(("raw", "expected"), [
    ("FULL_TIME", "full_time"), ("Full-time", "full_time"), ("Permanent", "full_time"),
    ("Regular", "full_time"), ("PART_TIME", "part_time"), ("CONTRACTOR", "contract"),
    ("Freelance", "contract"), ("TEMPORARY", "temporary"), ("INTERN", "internship"),
    (["PART_TIME", "FULL_TIME"], "part_time"), ("unknown", None), (None, None),
])
def test_employment_type(raw, expected):
    assert normalise_employment_type(raw) == expected


def test_employment_type_from_title_when_unlabelled():
    item = JobPosting("t", title="Power BI Developer - 6 Month Contract")
    assert EmploymentTypePipeline.from_crawler(_Crawler()).process_item(item).employment_type == "contract"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-03", "2026-11-03T00:00:00Z"),
    ("2026-07-29T08:50:01-04:00", "2026-07-29T12:50:01Z"),
    ("2026-11-03T10:00:00Z", "2026-11-03T10:00:00Z"),
    (1764547200000, "2025-12-01T00:00:00Z"),  # Lever's createdAt, in milliseconds
    ("1764547200", "2025-12-01T00:00:00Z"),
    ("not a date", None), (None, None),
])
def test_dates_to_utc(raw, expected):
    assert to_utc_iso(raw) == expected


def test_html_to_text_keeps_structure_and_drops_scripts():
    html = ("<p>About <strong>us</strong></p><h3>Essential</h3><ul><li>Python</li>"
            "<li>SQL &amp; dbt</li></ul><script>alert(1)</script><p>Bye</p>")
    assert html_to_text(html) == "About us\nEssential\n- Python\n- SQL & dbt\nBye"


def test_html_to_text_unescapes_entity_escaped_markup():
    assert html_to_text("&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;") == "Hello & welcome"


def test_items_without_title_are_dropped_and_counted():
    crawler = _Crawler()
    pipeline = RequiredFieldsPipeline.from_crawler(crawler)
    with pytest.raises(DropItem):
        pipeline.process_item(JobPosting("t", url="http://x/1", title="  "))
    assert crawler.stats.get_value("skillscout/dropped/missing_title") == 1
    kept = pipeline.process_item(JobPosting("t", url="http://x/1", title=" Data   Analyst "))
    assert (kept.title, kept.source_id) == ("Data Analyst", "http://x/1")
