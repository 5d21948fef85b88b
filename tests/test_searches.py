"""Keys in sources files, the `searches:` block, and how each API turns a role and a place into
its own query. Pure parsing: the crawls are in test_spiders_search_apis.py and
test_crawl_for_profile.py."""

from __future__ import annotations

import json
import logging

import pytest

from flows.searches import places_from_profile
from flows.sources import SourcesError, parse_sources
from pipeline.profile import ProfileError, parse_profile
from scrapers.bases.search_api import Place
from scrapers.keys import RedactKeys, expand
from scrapers.spiders.adzuna import AdzunaSpider
from scrapers.spiders.himalayas import HimalayasSpider
from scrapers.spiders.jobicy import JobicySpider
from scrapers.spiders.jooble import JoobleSpider
from scrapers.spiders.reed import ReedSpider
from scrapers.spiders.themuse import TheMuseSpider
from scrapers.spiders.usajobs import UsaJobsSpider

LEEDS = Place(near="Leeds", radius_miles=20, country="GB")
UK = Place(country="GB")
US_REMOTE = Place(remote=True, country="US")


@pytest.fixture
def no_keys(monkeypatch):
    for name in ("ADZUNA_APP_ID", "ADZUNA_APP_KEY", "REED_API_KEY", "JOOBLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_key_is_named_not_written(no_keys):
    no_keys.setenv("ADZUNA_APP_ID", "id-1")
    no_keys.setenv("ADZUNA_APP_KEY", "key-1")
    (source,) = parse_sources([{"spider": "adzuna", "what": "data analyst", "where": "Leeds",
                                "app_key": "${ADZUNA_APP_KEY}"}])
    # The reference travels; the key is read only in the spider's own process.
    assert source.args["app_key"] == "${ADZUNA_APP_KEY}"
    assert source.args["app_id"] == "${ADZUNA_APP_ID}"  # left out: the usual variable
    assert source.problem is None and "key-1" not in json.dumps(source.args)
    assert source.key == "adzuna:data analyst/Leeds"


def test_a_key_not_set_fails_that_source_alone(no_keys):
    sources = parse_sources([{"spider": "reed", "keywords": "data analyst"},
                             {"spider": "remotive"}])
    assert sources[0].problem == ("reed: REED_API_KEY is not set "
                                  "(get a free key at https://www.reed.co.uk/developers/jobseeker)")
    assert sources[1].problem is None


def test_a_key_written_into_the_file_is_refused(no_keys):
    with pytest.raises(SourcesError, match=r"write api_key as \$\{JOOBLE_API_KEY\}"):
        parse_sources([{"spider": "jooble", "keywords": "x", "api_key": "abc123"}], "s.yaml")


def test_only_search_spiders_read_references():
    with pytest.raises(SourcesError, match="only job-search API spiders"):
        parse_sources([{"spider": "greenhouse", "board": "${BOARD}"}])


def test_searches_block_makes_one_source_per_api(no_keys):
    sources = parse_sources({"searches": {
        "roles": ["data analyst", "machine learning engineer"],
        "places": [{"near": "Leeds", "radius_miles": 20, "country": "GB"}, "remote"],
        "apis": ["reed", "themuse", "himalayas", "usajobs"], "keep": "all"}}, "s.yaml")
    by_key = {s.key: s for s in sources}
    assert set(by_key) == {"reed:search", "themuse:search", "himalayas:search", "usajobs:search"}
    reed = json.loads(by_key["reed:search"].args["queries"])
    assert reed == [{"keywords": "data analyst", "locationName": "Leeds", "distanceFromLocation": 20},
                    {"keywords": "data analyst remote"},
                    {"keywords": "machine learning engineer", "locationName": "Leeds",
                     "distanceFromLocation": 20},
                    {"keywords": "machine learning engineer remote"}]
    assert json.loads(by_key["himalayas:search"].args["queries"]) == [{}]  # one feed for all remote
    usajobs = json.loads(by_key["usajobs:search"].args["queries"])
    assert usajobs == [{"Keyword": "data analyst", "RemoteIndicator": "True"},
                       {"Keyword": "machine learning engineer", "RemoteIndicator": "True"}]
    assert by_key["themuse:search"].keep == frozenset({"all"})
    assert by_key["reed:search"].problem.startswith("reed: REED_API_KEY is not set")


@pytest.mark.parametrize(("block", "message"), [
    ({"places": ["remote"]}, "needs `roles:`"),
    ({"roles": ["x"], "apis": ["monster"]}, "'monster' is not a job-search API"),
    ({"roles": ["x"], "where": "Leeds"}, "unknown key(s) where"),
    ({"roles": ["x"], "places": [{"near": "Leeds", "radius_miles": "far"}]},
     "radius_miles should be a positive"),
    ({"roles": ["x"], "places": [{"country": "Britain"}]}, "two-letter code"),
    ({"roles": ["data analyst"], "places": [{"country": "FR"}], "apis": ["reed", "usajobs"]},
     "no job-search API can run these searches"),
])
def test_a_broken_searches_block_is_one_clear_error(block, message):
    with pytest.raises(SourcesError) as failure:
        parse_sources({"searches": block}, "s.yaml")
    assert message in str(failure.value) and str(failure.value).startswith("s.yaml")


@pytest.mark.parametrize(("spider", "role", "place", "query"), [
    (AdzunaSpider, "data analyst", LEEDS,
     {"country": "gb", "what": "data analyst", "where": "Leeds", "distance": 32}),
    (AdzunaSpider, "data analyst", Place(near="Lyon"), None),  # Adzuna needs the country
    (AdzunaSpider, "data analyst", US_REMOTE, {"country": "us", "what": "data analyst remote"}),
    (ReedSpider, "data analyst", UK, {"keywords": "data analyst"}),
    (ReedSpider, "data analyst", US_REMOTE, None),
    (UsaJobsSpider, "data scientist", UK, None),
    (UsaJobsSpider, "data scientist", Place(near="Denver, CO", radius_miles=30, country="US"),
     {"Keyword": "data scientist", "LocationName": "Denver, CO", "Radius": 30}),
    (TheMuseSpider, "data engineer", LEEDS,
     {"category": "Data and Analytics", "location": "Leeds, United Kingdom"}),
    (TheMuseSpider, "NLP engineer", US_REMOTE, {"category": "Data Science", "location": "Flexible / Remote"}),
    (TheMuseSpider, "barista", UK, None),
    (JoobleSpider, "data analyst", LEEDS, {"keywords": "data analyst", "location": "Leeds", "radius": 40}),
    (JobicySpider, "data analyst", Place(remote=True, country="GB"), {"tag": "data analyst", "geo": "uk"}),
    (JobicySpider, "data analyst", LEEDS, None),
    (HimalayasSpider, "anything", UK, None),
])
def test_each_api_asks_in_its_own_terms(spider, role, place, query):
    assert spider.search_query(role, place) == query


def test_places_come_from_the_profile():
    profile = parse_profile("skills: [SQL]\ntarget_roles: [data analyst]\npreferences:\n"
                            "  countries: [GB]\n  locations: [Leeds, York]\n  radius_miles: 15\n"
                            "  remote: [hybrid, remote]\n")
    assert places_from_profile(profile) == [Place("Leeds", 15.0, "GB"), Place("York", 15.0, "GB"),
                                            Place(country="GB", remote=True)]
    onsite = parse_profile("skills: [SQL]\npreferences: {countries: [US, CA], remote: [onsite]}\n")
    assert places_from_profile(onsite) == [Place(country="CA"), Place(country="US")]


def test_radius_is_a_number_of_miles():
    with pytest.raises(ProfileError, match="line 1: radius_miles should be a number of miles"):
        parse_profile("preferences: {radius_miles: near}\nskills: [SQL]\n", "me.yaml")


def test_keys_are_masked_in_log_records():
    redact = RedactKeys(["s3cr3t-key"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET %s failed",
                               ("https://a/?k=s3cr3t-key",), None)
    try:
        raise ValueError("while fetching https://a/?k=s3cr3t-key")
    except ValueError as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    assert redact.filter(record)
    text = logging.Formatter().format(record)
    assert "s3cr3t-key" not in text and text.startswith("GET https://a/?k=*** failed")
    assert text.endswith("ValueError: while fetching https://a/?k=***")


def test_references_expand_from_the_environment():
    assert expand("${A}-${B}", {"A": "1", "B": "2"}) == ("1-2", [])
    assert expand("${A}${MISSING}", {"A": "1"}) == ("1", ["MISSING"])


def _uncommented(block: str) -> str:
    """The YAML in a commented-out block of the example file."""
    lines = [line[2:] for line in block.splitlines()
             if line.startswith(("# searches:", "# sources:", "#   ", "#  "))]
    return "\n".join(lines)


def test_the_example_searches_are_all_valid(no_keys):
    import yaml
    from conftest import ROOT

    text = (ROOT / "data" / "sources.example.yaml").read_text(encoding="utf-8")
    uk = {s.key for s in parse_sources(yaml.safe_load(text), "example")}
    assert {"reed:search", "adzuna:search", "themuse:search", "himalayas:search"} <= uk
    blocks = text.split("# --- ")[2:]
    assert len(blocks) == 3  # US, remote, JobSpy
    keys = [{s.key for s in parse_sources(yaml.safe_load(_uncommented(b)), "example")} for b in blocks]
    assert "usajobs:search" in keys[0] and "reed:search" not in keys[0]
    assert keys[1] == {"himalayas:search", "jobicy:search", "workingnomads:search", "weworkremotely:search",
                       "findwork:search", "remotive:data", "remoteok"}
    assert keys[2] == {"jobspy:data analyst/Leeds, UK"}
