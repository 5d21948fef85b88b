"""Every source spider through the real Scrapy engine against its recorded fixture
(`tests/fixtures/sources/<source>/`, served on 127.0.0.1): the fields of known jobs,
pagination, and the records a source publishes that are not jobs (legal notices, unlisted
jobs, deleted comments, replies). Broken input is in `test_spiders_bad_input.py`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import yaml
from conftest import ROOT
from fixture_server import SOURCES
from source_crawl import Case, Crawl, crawl_all

HTMLBOARD = yaml.safe_load((SOURCES / "htmlboard" / "source.yaml").read_text(encoding="utf-8"))
HTMLBOARD_SELECTORS = {"listing": HTMLBOARD["listing"], "detail": HTMLBOARD["detail"]}
CARD_SELECTORS = {**HTMLBOARD["listing"], "detail": None}

CASES = {
    "lever": Case("lever", args={"site": "acme", "company": "Acme Analytics"}),
    "ashby": Case("ashby", args={"board": "acme"}),
    "workable": Case("workable", args={"account": "acme"}),
    "smartrecruiters": Case("smartrecruiters", args={"company": "acme", "limit": "2"}),
    "recruitee": Case("recruitee", args={"company": "acme"}),
    "personio": Case("personio", args={"company": "acme", "company_name": "Acme Analytics"}),
    "remoteok": Case("remoteok"),
    "remotive": Case("remotive"),
    "remotive_data": Case("remotive", args={"category": "data"}),
    "arbeitnow": Case("arbeitnow"),
    "hackernews": Case("hackernews"),
    "sitemap_root": Case("jobposting_sitemap", "sitemap", api_url=False,
                         args={"start_url": "{BASE}/"}),
    "sitemap_robots": Case("jobposting_sitemap", "sitemap", api_url=False,
                           args={"start_url": "{BASE}/robots.txt", "url_pattern": "/careers/jobs/"}),
    "sitemap_index": Case("jobposting_sitemap", "sitemap", api_url=False,
                          args={"start_url": "{BASE}/sitemap_index.xml"}),
    "htmlboard": Case("htmlboard", api_url=False, args={
        "start_url": "{BASE}/jobs?page=1", "selectors": json.dumps(HTMLBOARD_SELECTORS)}),
    "htmlboard_cards": Case("htmlboard", api_url=False, args={
        "start_url": "{BASE}/jobs?page=1", "selectors": json.dumps(CARD_SELECTORS)}),
}


SPIDERS = {"lever", "ashby", "workable", "smartrecruiters", "recruitee", "personio", "remoteok",
           "remotive", "arbeitnow", "hackernews", "jobposting_sitemap", "htmlboard"}


def test_scrapy_list_shows_every_source_spider():
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    assert set(listed) >= SPIDERS
    assert {case.spider for case in CASES.values()} == SPIDERS


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, Crawl | Exception]:
    return crawl_all(CASES, tmp_path_factory.mktemp("sources"))


@pytest.fixture
def crawled(crawls, request) -> Crawl:
    result = crawls[request.param]
    if isinstance(result, Exception):
        raise result
    return result


def _on(name: str):
    return pytest.mark.parametrize("crawled", [name], indirect=True)


def _lines(item: dict) -> list[str]:
    return (item.get("description") or "").splitlines()


def _pay(item: dict) -> tuple:
    return item["salary_min"], item["salary_max"], item["salary_currency"], item["salary_period"]


def _clean_text(item: dict) -> None:
    text = item["description"]
    assert text and "<" not in text
    for entity in ("&amp;", "&lt;", "&nbsp;", "&#39;", "&quot;", "&#x27;", "&ndash;"):
        assert entity not in text, (item["title"], entity)


def _epoch(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _no_duplicates(crawl: Crawl) -> None:
    ids = [i["source_id"] for i in crawl.items]
    assert len(ids) == len(set(ids))
    assert crawl.stat("skillscout/dropped/duplicate") == 0


# --- ATS APIs --------------------------------------------------------------------------------

@_on("lever")
def test_lever(crawled):
    assert crawled.requests[-1] == "/v0/postings/acme?mode=json"
    assert len(crawled.items) == 5
    _no_duplicates(crawled)
    de = crawled.item(source_id="3f6c1a2e-8b4d-4f0a-9c61-2d7e5b9a0c11")
    assert de["url"] == f"{crawled.base}/acme/3f6c1a2e-8b4d-4f0a-9c61-2d7e5b9a0c11"
    assert (de["title"], de["company"], de["department"]) == (
        "Senior Data Engineer", "Acme Analytics", "Engineering")
    assert (de["location"], de["country"], de["remote"], de["employment_type"]) == (
        "London, UK", "GB", "hybrid", "full_time")
    assert _pay(de) == (70000, 90000, "GBP", "year")
    assert de["salary_text"].startswith("The salary range is £70,000–£90,000")
    assert de["posted_at"] == "2026-11-02T09:40:00Z"  # createdAt in milliseconds
    assert "<h3>What you'll do</h3>\n<li>Design and run batch" in de["description_html"]
    lines = _lines(de)  # description, then each list under its heading, then `additional`
    assert lines.index("What you'll do") < lines.index(
        "- Mentor two mid-level engineers") < lines.index("About Acme Analytics")
    ae = crawled.item(title="Analytics Engineer")  # published as "Analytics Engineer "
    assert (ae["remote"], ae["employment_type"], ae["department"]) == (None, None, None)
    assert ae["country"] == "US" and ae["salary_min"] is None
    assert 'metrics layer & make "revenue" mean' in ae["description"]
    intern = crawled.item(title="Data Science Intern (Summer 2027)")
    assert _pay(intern) == (42, 48, "USD", "hour")
    assert (intern["remote"], intern["employment_type"]) == ("onsite", "internship")
    contract = crawled.item(title="Freelance Data Analyst (German-speaking)")
    assert (contract["remote"], contract["employment_type"]) == ("onsite", "contract")
    assert _pay(contract) == (450, 550, "EUR", "day")  # from the ad's words
    assert crawled.item(title="Machine Learning Engineer, Demand Forecasting")["remote"] == "remote"
    for item in crawled.items:
        _clean_text(item)


@_on("ashby")
def test_ashby(crawled):
    assert crawled.requests[-1] == "/posting-api/job-board/acme?includeCompensation=true"
    assert len(crawled.items) == 4
    assert not any(i["title"].startswith("Head of Data") for i in crawled.items)  # isListed false
    assert crawled.stat("skillscout/ashby/unlisted") == 1
    mle = crawled.item(title="Senior Machine Learning Engineer")
    assert mle["url"] == f"{crawled.base}/acme/0b7e4d2a-6c1f-4a89-b3e5-9d2f7a1c4e60"
    assert mle["company"] == "acme"  # the board name when no company is given
    assert (mle["location"], mle["country"], mle["remote"], mle["employment_type"]) == (
        "London", "GB", "hybrid", "full_time")
    assert _pay(mle) == (85000, 105000, "GBP", "year")
    assert mle["posted_at"] == "2026-10-28T09:15:42Z"
    assert "- Train and ship demand models in Python and PyTorch." in _lines(mle)
    ds = crawled.item(title="Data Scientist, Pricing")
    assert _pay(ds) == (70000, 85000, "EUR", "year")  # the equity component is not pay
    assert (ds["remote"], ds["country"]) == ("remote", "DE")
    contract = crawled.item(title="Analytics Engineer (Contract)")
    assert (contract["remote"], contract["employment_type"]) == ("remote", "contract")
    assert contract["salary_min"] is None and contract["country"] is None
    assert "dbt project & metrics layer" in contract["description"]
    intern = crawled.item(title="Data Engineering Intern")
    assert _pay(intern) == (45, 50, "USD", "hour")
    assert (intern["remote"], intern["employment_type"], intern["country"]) == (
        "onsite", "internship", "US")
    for item in crawled.items:
        _clean_text(item)


@_on("workable")
def test_workable(crawled):
    assert crawled.requests[-1] == "/api/v1/widget/accounts/acme?details=true"
    assert sorted(i["source_id"] for i in crawled.items) == [
        "A1C3E5G7H9", "B2D4F6H8J0", "C3E5G7J9K1", "D4F6H8K0L2"]
    bi = crawled.item(source_id="B2D4F6H8J0")  # listed twice, once per location
    assert "Manchester" in bi["location"] and "Dublin" in bi["location"]
    assert bi["country"] == "GB"
    assert bi["salary_min"] is None  # "a learning budget of £1,500 a year" is not pay
    de = crawled.item(source_id="A1C3E5G7H9")
    assert (de["title"], de["company"], de["url"]) == (
        "Data Engineer", "Acme Analytics", f"{crawled.base}/j/A1C3E5G7H9")
    assert (de["location"], de["country"], de["employment_type"], de["department"]) == (
        "London, England, United Kingdom", "GB", "full_time", "Data Platform")
    assert de["remote"] != "remote" and de["posted_at"] == "2026-10-20T00:00:00Z"
    assert "- Model data with dbt" in _lines(de)
    ds = crawled.item(source_id="C3E5G7J9K1")
    assert ds["title"] == "Senior Data Scientist – Experimentation"
    assert (ds["remote"], ds["country"], ds["department"], ds["description"]) == (
        "remote", "ES", None, None)
    nlp = crawled.item(source_id="D4F6H8K0L2")
    assert (nlp["remote"], nlp["employment_type"], nlp["country"]) == ("remote", "contract", "PT")
    assert _pay(nlp) == (500, 600, "EUR", "day")


@_on("smartrecruiters")
def test_smartrecruiters(crawled):
    pages = [r for r in crawled.requests if "postings?" in r]
    assert pages == ["/v1/companies/acme/postings?offset=0&limit=2",
                     "/v1/companies/acme/postings?offset=2&limit=2"]
    details = sorted(r for r in crawled.requests if "/postings/" in r)
    assert details == [f"/v1/companies/acme/postings/74400006123450{n}" for n in (1, 2, 3)]
    assert len(crawled.items) == 3
    _no_duplicates(crawled)
    da = crawled.item(source_id="744000061234501")
    assert da["url"] == f"{crawled.base}/AcmeAnalytics/744000061234501-senior-data-analyst"
    assert (da["title"], da["company"], da["department"]) == (
        "Senior Data Analyst", "Acme Analytics", "Customer Insights")
    assert (da["location"], da["country"], da["remote"], da["employment_type"]) == (
        "London, England, United Kingdom", "GB", "hybrid", "full_time")
    assert da["posted_at"] == "2026-10-26T09:30:11Z"
    assert _pay(da) == (50000, 60000, "GBP", "year")  # from "Additional Information"
    lines = _lines(da)
    assert [h for h in lines if h.endswith(("Description", "Qualifications", "Information"))] == [
        "Company Description", "Job Description", "Qualifications", "Additional Information"]
    assert "grocers & regional food distributors" in da["description"]
    ml = crawled.item(source_id="744000061234502")
    assert ml["title"] == "Machine Learning Engineer – Search & Ranking"
    assert (ml["remote"], ml["country"], ml["department"]) == ("remote", "PL", None)
    assert "Zdalnie z całej Polski." in _lines(ml)
    de = crawled.item(source_id="744000061234503")
    assert (de["remote"], de["employment_type"], de["location"]) == (
        "onsite", "contract", "Kraków, Lesser Poland Voivodeship, Poland")
    assert "Additional Information" not in _lines(de)  # an empty section leaves no heading


@_on("recruitee")
def test_recruitee(crawled):
    assert crawled.requests[-1] == "/api/offers/"
    assert len(crawled.items) == 4
    de = crawled.item(source_id="3100451")
    assert de["url"] == f"{crawled.base}/o/data-engineer-fmd-amsterdam"
    assert (de["title"], de["company"], de["department"]) == (
        "Data Engineer (f/m/d)", "Acme Analytics", "Data Platform")
    assert (de["location"], de["country"], de["remote"], de["employment_type"]) == (
        "Amsterdam, North Holland, Netherlands", "NL", "hybrid", "full_time")
    assert _pay(de) == (62000, 78000, "EUR", "year")
    assert de["posted_at"] == "2026-10-22T08:14:02Z"
    lines = _lines(de)  # description, then requirements
    assert lines.index("- Model data in dbt") < lines.index("What you bring") < lines.index(
        "- 3+ years of data engineering")
    ds = crawled.item(source_id="3100452")
    assert (ds["remote"], ds["country"], ds["salary_min"]) == ("remote", "DE", None)
    assert "Europe's independent grocers" in ds["description"]
    assert "- Wohnsitz in Deutschland, Österreich oder der Schweiz" in _lines(ds)
    student = crawled.item(source_id="3100453")
    assert _pay(student) == (15, 17, "EUR", "hour")
    assert (student["remote"], student["employment_type"]) == ("onsite", "part_time")
    assert student["valid_through"] == "2026-12-31T23:59:00Z"
    mlops = crawled.item(source_id="3100454")
    assert _pay(mlops) == (6500, 7500, "EUR", "month")
    assert mlops["employment_type"] == "contract"
    for item in crawled.items:
        _clean_text(item)


@_on("personio")
def test_personio(crawled):
    assert crawled.requests[-1] == "/xml?language=en"
    assert sorted(i["source_id"] for i in crawled.items) == ["3104511", "3104512", "3104513", "3104514"]
    de = crawled.item(source_id="3104511")
    assert de["url"] == f"{crawled.base}/job/3104511"
    assert (de["title"], de["company"], de["department"]) == (
        "Senior Data Engineer (m/w/d)", "Acme Analytics GmbH", "Data & Analytics")
    assert (de["location"], de["country"], de["employment_type"]) == ("Berlin", "DE", "full_time")
    assert _pay(de) == (72000, 88000, "EUR", "year")
    assert de["posted_at"] == "2026-10-19T09:12:40Z"
    lines = _lines(de)
    assert lines.index("Your mission") < lines.index("- Orchestrate workflows with Airflow") < (
        lines.index("Your profile")) < lines.index("Why us?")
    ds = crawled.item(source_id="3104512")
    assert ds["title"] == "Data Scientist – Nachfrageprognose (m/w/d)"
    assert (ds["salary_min"], ds["salary_max"], ds["location"]) == (65000, None, "München")
    assert "Deine Aufgaben" in _lines(ds) and "frische Lebensmittel & arbeitest" in ds["description"]
    student = crawled.item(source_id="3104513")  # no subcompany, department or salary
    assert (student["company"], student["department"], student["salary_min"]) == (
        "Acme Analytics", None, None)
    assert (student["employment_type"], student["remote"]) == ("internship", "remote")
    assert "Your mission" not in _lines(student) and "Your profile" in _lines(student)
    mlops = crawled.item(source_id="3104514")
    assert "You'll make releases boring – in a good way." in mlops["description"]
    assert _pay(mlops) == (70000, 85000, "GBP", "year") and mlops["company"] == "Acme Analytics Ltd."
    for item in crawled.items:
        _clean_text(item)


# --- job boards ------------------------------------------------------------------------------

@_on("remoteok")
def test_remoteok(crawled):
    assert crawled.requests[-1] == "/api"
    assert sorted(i["source_id"] for i in crawled.items) == ["1200101", "1200102", "1200103", "1200104"]
    de = crawled.item(source_id="1200101")
    assert de["url"] == f"{crawled.base}/remote-jobs/remote-senior-data-engineer-acme-analytics-1200101"
    assert (de["title"], de["company"], de["location"], de["remote"]) == (
        "Senior Data Engineer", "Acme Analytics", "Americas", "remote")
    assert _pay(de) == (130000, 160000, "USD", "year")
    assert de["posted_at"] == "2026-11-04T00:00:00Z"
    ml = crawled.item(source_id="1200102")
    assert ml["salary_min"] is None and ml["salary_max"] is None  # 0 and 0: not stated
    assert "We’re a small team building “explainable” models" in ml["description"]  # mojibake undone
    assert "LANTERN" not in ml["description"]  # the board's anti-spam line
    assert ml["location"] == "Lisbon"
    ae = crawled.item(source_id="1200104")
    assert (ae["salary_min"], ae["salary_max"]) == (70000, None)
    assert "400-model dbt project & build" in ae["description"]
    for item in crawled.items:
        assert _lines(item)[-1] == "Source: Remote OK (https://remoteok.com)"  # their terms
        assert item["description_html"].endswith("<p>Source: Remote OK (https://remoteok.com)</p>")
        _clean_text(item)


@_on("remotive")
def test_remotive(crawled):
    assert crawled.requests[-1] == "/api/remote-jobs"
    assert len(crawled.items) == 5 and {i["remote"] for i in crawled.items} == {"remote"}
    ds = crawled.item(source_id="3300101")
    assert ds["url"] == f"{crawled.base}/remote-jobs/data/senior-data-scientist-3300101"
    assert (ds["title"], ds["company"], ds["location"], ds["employment_type"]) == (
        "Senior Data Scientist", "Acme Analytics", "Europe, UK", "full_time")
    assert ds["salary_text"] == "€75,000 - €90,000"
    assert _pay(ds) == (75000, 90000, "EUR", "year")
    assert ds["posted_at"] == "2026-11-03T10:12:44Z"
    de = crawled.item(source_id="3300102")
    assert (de["salary_text"], de["salary_min"], de["employment_type"]) == (None, None, "contract")
    assert "notionvc" not in de["description"] and "- PySpark & Delta Lake" in _lines(de)
    bi = crawled.item(source_id="3300103")
    assert _pay(bi) == (40, 55, "USD", "hour") and bi["employment_type"] == "part_time"
    for item in crawled.items:
        _clean_text(item)


@_on("remotive_data")
def test_remotive_category(crawled):
    assert crawled.requests[-1] == "/api/remote-jobs?category=data"
    assert sorted(i["source_id"] for i in crawled.items) == ["3300101", "3300102", "3300103"]


@_on("arbeitnow")
def test_arbeitnow_follows_next_links(crawled):
    assert [r for r in crawled.requests if r.startswith("/api/")] == [
        "/api/job-board-api", "/api/job-board-api?page=2"]
    assert len(crawled.items) == 5  # three on page 1, two on page 2
    _no_duplicates(crawled)
    de = crawled.item(source_id="senior-data-engineer-berlin-410231")
    assert de["url"] == (f"{crawled.base}/jobs/companies/acme-analytics-gmbh/"
                         "senior-data-engineer-berlin-410231")
    assert (de["title"], de["company"], de["location"], de["country"]) == (
        "Senior Data Engineer (m/w/d)", "Acme Analytics GmbH", "Berlin", "DE")
    assert de["employment_type"] == "full_time" and de["posted_at"] == _epoch(1793700000)
    assert _pay(de) == (75000, 90000, "EUR", "year")
    ws = crawled.item(source_id="werkstudentin-data-analytics-koln-228817")
    assert (ws["company"], ws["location"]) == ("Müller & Söhne Handelsdaten GmbH", "Köln")
    assert "- Erste Erfahrung mit SQL & Excel" in _lines(ws)  # was entity-escaped twice
    assert ws["remote"] == "hybrid"
    assert crawled.item(source_id="ml-engineer-remote-773310")["remote"] == "remote"
    bi = crawled.item(source_id="bi-developer-munich-berlin-119920")
    assert bi["location"] == "Munich, Berlin" and bi["country"] == "DE"
    for item in crawled.items:
        _clean_text(item)


@_on("hackernews")
def test_hackernews_reads_the_newest_who_is_hiring_thread(crawled):
    assert crawled.requests[1:] == ["/api/v1/search_by_date?tags=story,author_whoishiring",
                                    "/api/v1/items/45810001"]
    ids = sorted(i["source_id"] for i in crawled.items)
    assert ids == [str(n) for n in (45810011, 45810012, 45810014, 45810015, 45810016,
                                    45810017, 45810018, 45810019, 45810020)]  # no replies
    assert crawled.stat("skillscout/hackernews/deleted") == 1
    acme = crawled.item(source_id="45810011")
    assert (acme["company"], acme["title"], acme["location"], acme["country"]) == (
        "Acme Analytics", "Senior Data Engineer", "London, UK", "GB")
    assert acme["remote"] == "remote"  # "ONSITE or REMOTE (UK)"
    assert acme["salary_text"] == "£70k-£90k" and _pay(acme) == (70000, 90000, "GBP", "year")
    assert acme["url"] == "https://acme.example/careers"
    assert acme["posted_at"] == "2026-11-02T16:01:56Z"
    assert "You'll own the pipelines that feed them" in acme["description"]
    assert "&#x27;" in acme["description_html"]  # the comment's HTML as HN serves it
    hooli = crawled.item(source_id="45810018")  # no spaces around the pipes
    assert (hooli["company"], hooli["title"], hooli["location"], hooli["remote"]) == (
        "Hooli Vision", "Computer Vision Engineer", "San Francisco, CA", "onsite")
    assert _pay(hooli) == (180000, 220000, "USD", "year")
    fjord = crawled.item(source_id="45810015")  # no link: the comment is the page
    assert fjord["url"] == "https://news.ycombinator.com/item?id=45810015"
    assert _pay(fjord) == (750000, 900000, "NOK", "year") and fjord["country"] == "NO"
    globex = crawled.item(source_id="45810014")
    assert (globex["company"], globex["remote"], globex["salary_min"]) == (
        "Globex Insights", "hybrid", None)
    umbrella = crawled.item(source_id="45810019")
    assert (umbrella["employment_type"], umbrella["remote"]) == ("contract", "hybrid")
    assert '"outside IR35"' in umbrella["description"]
    initech = crawled.item(source_id="45810017")
    assert initech["title"] == "MLOps Engineer, Senior Data Engineer"
    assert initech["remote"] == "remote" and initech["country"] == "DE"
    northwind = crawled.item(source_id="45810012")
    assert (northwind["employment_type"], northwind["remote"]) == ("full_time", "remote")
    free_form = crawled.item(source_id="45810016")
    assert free_form["title"].startswith("We're hiring data folks at Kestrel Bio")
    assert free_form["company"] is None
    for item in crawled.items:
        _clean_text(item)


# --- careers sites and HTML boards ---------------------------------------------------------

SITEMAP_JOBS = ["analytics-engineer-berlin", "bi-developer-leeds", "data-analyst-pricing-manchester",
                "machine-learning-engineer-remote", "nlp-data-scientist-edinburgh",
                "senior-data-engineer-london"]


def _sitemap_job(crawl: Crawl, slug: str) -> dict:
    return crawl.item(url=f"{crawl.base}/careers/jobs/{slug}")


@_on("sitemap_root")
def test_sitemap_finds_every_job_through_robots_and_the_index(crawled):
    for path in ("/robots.txt", "/sitemap_index.xml", "/sitemaps/jobs.xml", "/sitemaps/pages.xml"):
        assert path in crawled.requests
    assert "/about" in crawled.requests  # non-job pages are read, and give nothing
    assert sorted(i["url"].rsplit("/", 1)[-1] for i in crawled.items) == SITEMAP_JOBS
    assert crawled.stat("skillscout/jsonld/malformed") == 1  # the trailing-comma block
    assert crawled.stat("skillscout/microdata/jobs") == 1
    london = _sitemap_job(crawled, "senior-data-engineer-london")
    assert london["source_id"] == "127.0.0.1/ACME-DE-0142"
    assert (london["title"], london["company"], london["country"], london["remote"]) == (
        "Senior Data Engineer", "Acme Analytics", "GB", "onsite")
    assert _pay(london) == (70000, 90000, "GBP", "year")
    assert london["valid_through"] == "2026-12-31T23:59:00Z"
    remote = _sitemap_job(crawled, "machine-learning-engineer-remote")
    assert remote["company"] == "Acme Analytics"  # an @id reference inside the @graph
    assert (remote["remote"], remote["location"], remote["country"]) == ("remote", "United Kingdom", "GB")
    berlin = _sitemap_job(crawled, "analytics-engineer-berlin")
    assert (berlin["company"], berlin["country"], berlin["employment_type"]) == (
        "Acme Analytics GmbH", "DE", "full_time")
    assert _pay(berlin) == (60000, 72000, "EUR", "year")
    assert "„Umsatz“" in berlin["description"]  # a raw newline in its JSON string
    pricing = _sitemap_job(crawled, "data-analyst-pricing-manchester")
    assert pricing["title"] == "Data Analyst – Pricing & Promotions"
    assert "- Present findings to clients & account teams" in _lines(pricing)
    assert _pay(pricing) == (42000, 42000, "GBP", "year") and pricing["country"] == "GB"
    nlp = _sitemap_job(crawled, "nlp-data-scientist-edinburgh")
    assert _pay(nlp) == (450, 550, "GBP", "day") and nlp["employment_type"] == "contract"
    leeds = _sitemap_job(crawled, "bi-developer-leeds")  # microdata only
    assert (leeds["title"], leeds["company"], leeds["country"], leeds["employment_type"]) == (
        "BI Developer", "Acme Analytics", "GB", "full_time")
    assert leeds["location"].startswith("Leeds, West Yorkshire")
    assert _pay(leeds) == (45000, 55000, "GBP", "year")
    assert leeds["posted_at"] == "2026-10-05T00:00:00Z"
    assert "- Migrate legacy SSRS reports" in _lines(leeds)
    for item in crawled.items:
        _clean_text(item)


@_on("sitemap_robots")
def test_sitemap_from_robots_txt_fetches_only_matching_pages(crawled):
    assert sorted(i["url"].rsplit("/", 1)[-1] for i in crawled.items) == SITEMAP_JOBS
    assert not {"/", "/about", "/careers/", "/blog/how-we-forecast-demand"} & set(crawled.requests)


@_on("sitemap_index")
def test_sitemap_from_a_sitemap_url(crawled):
    assert sorted(i["url"].rsplit("/", 1)[-1] for i in crawled.items) == SITEMAP_JOBS


@_on("htmlboard")
def test_htmlboard_follows_pages_and_details(crawled):
    assert "/jobs?page=2" in crawled.requests and "/employers" not in crawled.requests
    assert sorted(i["url"] for i in crawled.items) == [
        f"{crawled.base}/job/{n}" for n in HTMLBOARD["expected"]["ids"]]
    de = crawled.item(url=f"{crawled.base}/job/101")
    assert (de["title"], de["company"], de["location"], de["country"]) == (
        "Senior Data Engineer", "Acme Analytics", "London, UK", "GB")
    assert _pay(de) == (70000, 90000, "GBP", "year")
    assert de["posted_at"] == "2026-11-02T00:00:00Z"  # "Posted 2026-11-02"
    assert "- Model data in dbt on Snowflake" in _lines(de)  # from the detail page
    junior = crawled.item(url=f"{crawled.base}/job/104")
    assert junior["salary_text"] is None and junior["salary_min"] is None
    zurich = crawled.item(url=f"{crawled.base}/job/105")
    assert _pay(zurich) == (120000, 140000, "CHF", "year") and zurich["country"] == "CH"
    assert "dbt & Looker" in zurich["description"]
    mlops = crawled.item(url=f"{crawled.base}/job/106")
    assert (mlops["title"], mlops["company"]) == ("MLOps Engineer", "Hooli Vision")
    assert (mlops["salary_text"], mlops["salary_min"]) == ("Competitive + equity", None)
    assert crawled.item(url=f"{crawled.base}/job/103")["remote"] == "remote"
    for item in crawled.items:
        _clean_text(item)


@_on("htmlboard_cards")
def test_htmlboard_without_detail_selectors_keeps_what_the_cards_show(crawled):
    assert not any(r.startswith("/job/") for r in crawled.requests)
    assert len(crawled.items) == 6
    mlops = crawled.item(url=f"{crawled.base}/job/106")
    assert (mlops["title"], mlops["company"], mlops["posted_at"]) == (
        "MLOps Engineer", "Hooli Vision", "2026-10-20T00:00:00Z")
    zurich = crawled.item(url=f"{crawled.base}/job/105")
    assert zurich["description"] == "dbt, Snowflake & Looker for a fast-growing logistics company."
