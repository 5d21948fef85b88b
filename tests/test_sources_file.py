"""The sources file: the shipped default is valid, and mistakes are caught before crawling."""

from __future__ import annotations

import pytest
from conftest import ROOT

from flows.sources import SourcesError, available_spiders, load_sources, parse_sources


def test_the_default_sources_file_names_real_spiders():
    sources = load_sources(ROOT / "data" / "sources.yaml")
    assert len(sources) >= 10
    assert {s.spider for s in sources} <= set(available_spiders())
    assert len({s.key for s in sources}) == len(sources)


def test_keep_rules():
    default, narrow, everything = parse_sources([
        {"spider": "greenhouse", "board": "a"},
        {"spider": "greenhouse", "board": "b", "keep": ["data engineer"], "keep_titles": ["Analyst"]},
        {"spider": "greenhouse", "board": "c", "keep": "all"},
    ])
    assert default.keeps({"title": "Senior Data Scientist"})
    assert not default.keeps({"title": "Account Executive"})
    assert narrow.keeps({"title": "Data Engineer"}) and narrow.keeps({"title": "Marketing Analyst"})
    assert not narrow.keeps({"title": "Data Scientist"})
    assert everything.keeps({"title": "Account Executive"})


@pytest.mark.parametrize(("entry", "message"), [
    ({"spider": "greenhouse", "board": "a", "keep": ["astronaut"]}, "unknown role family astronaut"),
    ({"spider": "greenhouse", "board": "a", "settings": {"delay": 1}}, "Scrapy setting names"),
    ({"spider": "greenhouse", "board": None}, "`board` has no value"),
    ({"spider": "greenhouse", "board": "a", "timeout": "soon"}, "timeout should be a number"),
])
def test_bad_entries_are_named(entry, message):
    with pytest.raises(SourcesError, match=message):
        parse_sources([entry], "mine.yaml")


def test_nested_values_reach_the_spider_as_json():
    (source,) = parse_sources([{"spider": "htmlboard", "start_url": "https://x.example/",
                                "selectors": {"listing": {"card": "div.job"}}}])
    assert source.args["selectors"] == '{"listing": {"card": "div.job"}}'
