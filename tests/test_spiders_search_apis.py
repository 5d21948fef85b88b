"""The job-search API spiders through the real Scrapy engine against recorded fixtures
(`tests/fixtures/sources/<api>/`, served on 127.0.0.1): fields, paging, how keys are sent,
full text from a details endpoint or the ad's page, snippets marked as such, and keys kept
out of the log. Broken keys and rate limits are in `test_search_api_faults.py`."""

from __future__ import annotations

import base64
import json

import pytest
from source_crawl import Case, Crawl, crawl_all

KEYS = {"ADZUNA_APP_ID": "test-adzuna-id", "ADZUNA_APP_KEY": "test-adzuna-key",
        "REED_API_KEY": "test-reed-key", "USAJOBS_API_KEY": "test-usajobs-key",
        "USAJOBS_EMAIL": "jobseeker@example.org", "JOOBLE_API_KEY": "test-jooble-key",
        "FINDWORK_API_KEY": "test-findwork-key"}
MUSE_QUERIES = [{"category": "Data Science"},
                {"category": "Data and Analytics", "location": "Flexible / Remote"}]

CASES = {
    "adzuna": Case("adzuna", args={"what": "data analyst", "where": "Leeds", "distance": "32",
                                   "results_per_page": "2"}),
    "reed": Case("reed", args={"keywords": "data analyst", "results_to_take": "2"}),
    "usajobs": Case("usajobs", args={"Keyword": "data scientist", "results_per_page": "2"}),
    "themuse": Case("themuse", args={"category": "Data Science"}),
    "themuse_queries": Case("themuse", args={"queries": json.dumps(MUSE_QUERIES)}),
    "jooble": Case("jooble", args={"keywords": "data engineer", "results_on_page": "2"}),
    "himalayas": Case("himalayas"),
    "jobicy": Case("jobicy", args={"tag": "data"}),
    "findwork": Case("findwork", args={"search": "data"}),
    "workingnomads": Case("workingnomads"),
    "weworkremotely": Case("weworkremotely"),
    "weworkremotely_category": Case("weworkremotely", args={"category": "remote-programming-jobs"}),
}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory) -> dict[str, Crawl | Exception]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in KEYS.items():
            env.setenv(name, value)
        return crawl_all(CASES, tmp_path_factory.mktemp("search-apis"))


@pytest.fixture
def crawled(crawls, request) -> Crawl:
    result = crawls[request.param]
    if isinstance(result, Exception):
        raise result
    return result


def _on(name: str):
    return pytest.mark.parametrize("crawled", [name], indirect=True)


def _get(item: dict, *fields: str) -> tuple:
    return tuple(item[f] for f in fields)


def _pay(item: dict) -> tuple:
    return item["salary_min"], item["salary_max"], item["salary_currency"], item["salary_period"]


def _no_key_written(crawl: Crawl) -> None:
    """No key in anything the crawl wrote: log, items, stats, metadata."""
    for path in crawl.out_dir.iterdir():
        text = path.read_text(errors="replace")
        for value in KEYS.values():
            if "@" not in value:  # the USAJOBS e-mail address is not a secret
                assert value not in text, (path.name, value)


def _api_calls(crawl: Crawl, path: str) -> list:
    return [c for c in crawl.calls if c.path.split("?")[0] == path]


@_on("adzuna")
def test_adzuna(crawled):
    pages = _api_calls(crawled, "/v1/api/jobs/gb/search/1") + _api_calls(crawled, "/v1/api/jobs/gb/search/2")
    assert len(pages) == 2  # count 3 at 2 a page
    assert "app_id=test-adzuna-id&app_key=test-adzuna-key" in pages[0].path
    assert "what=data+analyst&where=Leeds&distance=32" in pages[0].path
    assert len(crawled.items) == 3
    analyst = crawled.item(source_id="4419001")
    assert (analyst["title"], analyst["company"], analyst["location"], analyst["country"]) == (
        "Senior Data Analyst", "Northwind Analytics Ltd", "Leeds, West Yorkshire", "GB")
    assert _pay(analyst) == (45000, 52000, "GBP", "year")
    assert analyst["employment_type"] == "full_time"
    # The snippet stops at "pan…"; the ad's own page (JSON-LD) has all of it.
    assert analyst["description_truncated"] is False
    assert "- dbt" in analyst["description"].splitlines() and "Nice to have" in analyst["description"]
    assert analyst["url"] == f"{crawled.base}/jobs/details/4419001?utm_medium=api&utm_source=5e1f0c2a"
    estimated = crawled.item(source_id="4419002")  # salary_is_predicted "1": Adzuna's guess
    assert _pay(estimated)[:2] == (None, None)
    assert crawled.stat("skillscout/adzuna/salary_estimated") == 1
    for snippet_only in (estimated, crawled.item(source_id="4419003")):  # no JSON-LD; a 404
        assert snippet_only["description_truncated"] is True
        assert snippet_only["description"].endswith("…")
    assert crawled.stat("skillscout/adzuna/full_text/page") == 1
    assert crawled.stat("skillscout/adzuna/full_text/none") == 1
    assert crawled.stat("skillscout/adzuna/full_text/failed") == 1
    assert crawled.stat("skillscout/field/description/truncated") == 2
    ad_pages = [c for c in crawled.calls if c.path.startswith(("/jobs/", "/land/"))]
    assert len(ad_pages) == 3 and not any("Referer" in c.headers for c in ad_pages)
    _no_key_written(crawled)


@_on("reed")
def test_reed(crawled):
    searches = _api_calls(crawled, "/api/1.0/search")
    assert [c.path.split("resultsToSkip=")[1] for c in searches] == ["0", "2"]
    auth = "Basic " + base64.b64encode(b"test-reed-key:").decode()
    assert all(c.headers["Authorization"] == auth for c in crawled.calls if c.path.startswith("/api/"))
    assert len(crawled.items) == 3
    analyst = crawled.item(source_id="55900001")
    assert _get(analyst, "company", "location", "country") == ("Northwind Analytics", "Leeds", "GB")
    assert _pay(analyst) == (45000, 52000, "GBP", "year")
    assert _get(analyst, "posted_at", "valid_through") == ("2026-11-20T00:00:00Z", "2027-01-01T00:00:00Z")
    assert analyst["description_truncated"] is False  # from /jobs/55900001
    assert "Design and read A/B tests on promotions with the pricing team" in analyst["description"]
    temp = crawled.item(source_id="55900002")
    assert (temp["company"], temp["location"], temp["employment_type"]) == (
        "Brightwater Insurance", "WF1 2AB", "temporary")
    assert _pay(temp) == (21.5, 24.0, "GBP", "hour")  # the details' salaryType
    fixed = crawled.item(source_id="55900003")  # no details, no page: the snippet, marked
    assert fixed["description_truncated"] is True and fixed["description"].endswith("...")
    assert "&nbsp;" not in analyst["description"]
    assert crawled.stat("skillscout/reed/full_text/details") == 2
    _no_key_written(crawled)


@_on("usajobs")
def test_usajobs(crawled):
    pages = _api_calls(crawled, "/api/search")
    assert len(pages) == 2  # NumberOfPages "2"
    assert pages[0].headers["Authorization-Key"] == "test-usajobs-key"
    assert pages[0].headers["User-Agent"] == "jobseeker@example.org"
    scientist = crawled.item(source_id="700100100")
    assert (scientist["title"], scientist["company"], scientist["department"]) == (
        "Data Scientist", "U.S. Census Bureau", "Department of Commerce")
    assert scientist["location"] == ("Suitland, Maryland; Washington, District of Columbia; Denver, Colorado "
                                     "and 1 more")
    assert _get(scientist, "country", "remote", "employment_type") == ("US", "hybrid", "full_time")
    assert _pay(scientist) == (117962, 153354, "USD", "year")
    lines = scientist["description"].splitlines()
    assert lines.index("Duties") < lines.index("- Build data pipelines on AWS and document them for other "
                                               "analysts.") < lines.index("Qualifications")
    assert scientist["description_truncated"] is False
    assert crawled.item(source_id="700100101")["remote"] == "remote"
    hourly = crawled.item(source_id="700100102")
    assert _pay(hourly) == (22.54, 29.30, "USD", "hour")
    assert hourly["employment_type"] == "part_time"
    assert hourly["description_truncated"] is True  # summary only, and its page is missing
    _no_key_written(crawled)


@_on("themuse")
def test_themuse(crawled):
    assert [c.path for c in _api_calls(crawled, "/api/public/jobs")] == [
        "/api/public/jobs?category=Data+Science&page=1&descending=true",
        "/api/public/jobs?category=Data+Science&page=2&descending=true"]
    assert len(crawled.items) == 3
    scientist = crawled.item(source_id="19900001")
    assert (scientist["company"], scientist["location"], scientist["country"]) == (
        "Kestrel Retail Group", "Manchester, United Kingdom", "GB")
    assert scientist["description_truncated"] is False
    assert "&quot;" not in scientist["description"] and "LightGBM" in scientist["description"]
    assert crawled.item(source_id="19900003")["company"] == "Harbor & Pine"  # rating dropped
    mle = crawled.item(source_id="19900002")
    assert _pay(mle) == (70000, 85000, "GBP", "year")  # read from the ad's words
    assert mle["remote"] == "hybrid"


@_on("themuse_queries")
def test_one_crawl_runs_every_query(crawled):
    assert len(_api_calls(crawled, "/api/public/jobs")) == 3  # two pages, then one
    remote = crawled.item(source_id="19900004")
    assert (remote["remote"], remote["location"]) == ("remote", "Flexible / Remote")
    assert len(crawled.items) == 4


@_on("jooble")
def test_jooble(crawled):
    posts = [c for c in crawled.calls if c.method == "POST"]
    assert [json.loads(c.body) for c in posts] == [
        {"keywords": "data engineer", "page": "1", "ResultOnPage": "2"},
        {"keywords": "data engineer", "page": "2", "ResultOnPage": "2"}]
    assert all(c.path == "/api/test-jooble-key" for c in posts)
    engineer = crawled.item(source_id="-4481923365012770113")
    assert engineer["description_truncated"] is False and "Kafka" in engineer["description"]
    assert _pay(engineer) == (55000, 65000, "GBP", "year")
    contract = crawled.item(source_id="6120038841255907314")
    assert contract["description_truncated"] is True
    assert _pay(contract) == (300, 350, "GBP", "day")
    assert "\r" not in contract["description"]
    anonymous = crawled.item(source_id="-902114577310266002")
    assert anonymous["company"] is None and anonymous["employment_type"] == "contract"
    _no_key_written(crawled)


@_on("himalayas")
def test_himalayas(crawled):
    assert [c.path for c in _api_calls(crawled, "/jobs/api")] == [
        "/jobs/api?limit=20", "/jobs/api?limit=20&cursor=c2tpbGxzY291dC1wYWdlLTI"]
    mle = crawled.item(title="Senior Machine Learning Engineer")
    assert _get(mle, "company", "location", "remote") == ("Lumen Harbor", "United States; Canada", "remote")
    assert _pay(mle) == (150000, 185000, "USD", "year")
    assert mle["posted_at"] == "2026-11-18T11:06:40Z" and mle["description_truncated"] is False
    assert _pay(crawled.item(title="Data Analyst (Contract)")) == (40, 55, "GBP", "hour")
    unpaid = crawled.item(title="Customer Success Manager")
    assert _pay(unpaid) == (None, None, None, None) and unpaid["location"] == "Anywhere"


@_on("jobicy")
def test_jobicy(crawled):
    assert crawled.requests[-1] == "/api/v2/remote-jobs?count=50&tag=data"
    scientist = crawled.item(source_id="160201")
    assert (scientist["location"], scientist["department"]) == ("UK, Europe", "Data Science & Analytics")
    assert _pay(scientist) == (70000, 90000, "GBP", "year")
    assert scientist["employment_type"] == "full_time" and scientist["description_truncated"] is False
    assert crawled.item(source_id="160202")["salary_min"] is None


@_on("findwork")
def test_findwork(crawled):
    pages = _api_calls(crawled, "/api/jobs/")
    assert [c.path for c in pages] == ["/api/jobs/?search=data", "/api/jobs/?page=2&search=data"]
    assert all(c.headers["Authorization"] == "Token test-findwork-key" for c in pages)
    assert len(crawled.items) == 3
    assert crawled.item(source_id="Mb2KkQ9")["location"] is None  # a company URL, not a place
    mle = crawled.item(source_id="Qx7Lp2M")
    assert (mle["remote"], mle["employment_type"]) == ("remote", "full_time")
    assert "grasp-detection models in PyTorch" in mle["description"] and "<br>" not in mle["description"]
    _no_key_written(crawled)


@_on("workingnomads")
def test_workingnomads(crawled):
    analyst = crawled.item(source_id="1830101")
    assert _get(analyst, "title", "company", "remote") == ("Data Analyst", "Plover Insurance", "remote")
    assert analyst["posted_at"] == "2026-11-20T13:01:12Z" and analyst["description_truncated"] is False
    assert len(crawled.items) == 2


@_on("weworkremotely")
def test_weworkremotely(crawled):
    engineer = crawled.item(title="Senior Data Engineer")
    assert _get(engineer, "company", "location", "remote") == ("Halyard Data", "Europe Only", "remote")
    assert _get(engineer, "posted_at", "valid_through") == ("2026-11-20T14:05:00Z", "2026-12-20T14:05:00Z")
    assert "Kafka and Flink pipelines & the Postgres models" in engineer["description"]
    assert "<" not in engineer["description"]
    designer = crawled.item(company="Bittern Studio")
    assert (designer["title"], designer["employment_type"]) == ("Product Designer: Mobile", "contract")


@_on("weworkremotely_category")
def test_weworkremotely_category_feed(crawled):
    assert crawled.requests[-1] == "/categories/remote-programming-jobs.rss"


def test_search_spiders_pace_themselves_by_the_api_limit():
    from scrapy.settings import Settings

    from scrapers.spiders.adzuna import AdzunaSpider
    from scrapers.spiders.themuse import TheMuseSpider

    for cls, delay in ((AdzunaSpider, 2.4), (TheMuseSpider, 7.2)):
        settings = Settings()
        cls.update_settings(settings)
        assert settings.getfloat("DOWNLOAD_DELAY") == delay
        assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
        assert settings.get("REFERRER_POLICY") == "no-referrer"
