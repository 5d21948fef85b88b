"""The foundation spiders through the real Scrapy engine against the demo board served on
127.0.0.1; every field is checked against the ad files the board is rendered from."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, ad_by_id, company_name, crawl

_TYPES = {"FULL_TIME": "full_time", "PART_TIME": "part_time", "CONTRACTOR": "contract",
          "TEMPORARY": "temporary", "INTERN": "internship"}


@pytest.fixture(scope="module")
def board_items(demo_url, tmp_path_factory):
    return crawl("jobposting", tmp_path_factory.mktemp("jp"), start_url=f"{demo_url}/jobs/")


@pytest.fixture(scope="module")
def greenhouse_items(demo_url, tmp_path_factory):
    return crawl("greenhouse", tmp_path_factory.mktemp("gh"), board="northwind", api_url=demo_url)


def test_scrapy_list_shows_the_spiders():
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert {"jobposting", "greenhouse"} <= set(out)


def test_jobposting_finds_every_board_ad_across_pagination(board_items, demo_board):
    expected = {ad["id"] for ad in demo_board.board_ads()}
    assert len(expected) > 10  # more than one listing page
    assert sorted(i["source_id"] for i in board_items) == sorted(
        f"127.0.0.1/{ad_id}" for ad_id in expected)


def test_jobposting_fields_match_the_ads(board_items, demo_board, demo_url):
    by_id = {i["source_id"].split("/")[-1]: i for i in board_items}
    for ad_id in by_id:
        ad, item = ad_by_id(demo_board, ad_id), by_id[ad_id]
        assert item["source"] == "jobposting"
        assert item["url"] == f"{demo_url}/jobs/{ad['slug']}.html"
        assert item["title"] == ad["title"]
        assert item["company"] == company_name(demo_board, ad)
        assert item["country"] == ad["location"]["country"]
        if ad["location"].get("city"):
            assert item["location"].startswith(ad["location"]["city"])
        assert item["employment_type"] == _TYPES[ad["employment_type"]]
        assert item["remote"] == ad["workplace"], ad_id
        assert item["posted_at"] == f"{ad['date_posted']}T00:00:00Z"
        assert item["valid_through"] == f"{ad['valid_through']}T23:59:59Z"
        pay = ad.get("salary")
        if pay:
            assert (item["salary_min"], item["salary_max"]) == (pay["min"], pay["max"])
            assert item["salary_currency"] == pay["currency"]
            assert item["salary_period"] == pay["unit"].lower()
            assert item["salary_annual_max"] >= item["salary_max"]
        else:
            assert item["salary_min"] is None and item["salary_max"] is None
        assert "<" not in item["description"]
        assert len(item["description"]) > 500


def test_jobposting_description_keeps_sections_and_bullets(board_items):
    item = next(i for i in board_items if i["source_id"].endswith("/016"))
    lines = item["description"].splitlines()
    assert "What we're looking for" in lines
    assert "- Strong Python (pandas, NumPy, sklearn, statsmodels)" in lines


def test_greenhouse_reads_the_board_api(greenhouse_items, demo_board, demo_url):
    ads = demo_board.greenhouse_ads("northwind")
    assert sorted(i["source_id"] for i in greenhouse_items) == sorted(
        str(ad["greenhouse_id"]) for ad in ads)
    for item in greenhouse_items:
        ad = next(a for a in ads if str(a["greenhouse_id"]) == item["source_id"])
        assert item["source"] == "greenhouse"
        assert item["url"] == f"{demo_url}/boards/northwind/jobs/{ad['greenhouse_id']}"
        assert item["title"] == ad["title"]
        assert item["company"] == "Northwind Energy"
        assert item["country"] == ad["location"]["country"]
        assert item["remote"] == ad["workplace"]
        assert "(" not in (item["location"] or "")  # "(Hybrid)" moved to the remote field
        assert item["employment_type"] == _TYPES[ad["employment_type"]]
        assert item["department"] == ad["department"]
        assert item["posted_at"] == f"{ad['date_posted']}T14:00:00Z"  # 09:00 -05:00
        # Greenhouse has no pay fields here: pay is read from the ad's own words.
        pay = ad.get("salary")
        if pay:
            assert item["salary_currency"] == pay["currency"]
            assert item["salary_max"] == pay["max"]
            assert item["salary_period"] == pay["unit"].lower()
        assert "&lt;" not in item["description"] and "<p>" not in item["description"]


def test_spider_argument_errors_are_reported(tmp_path):
    from flows.crawl import CrawlError
    from flows.crawl import run_crawl as run
    from flows.sources import Source

    with pytest.raises(CrawlError, match="needs -a board="):
        run(Source("greenhouse", {}), tmp_path)
