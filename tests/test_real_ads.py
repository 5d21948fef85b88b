"""Extraction over real ads as their sources deliver them (`../shared/real-ads/`, see its
README: flattened one-line text, text with line breaks, HTML), read at run time and never
copied into the repository. The floors are the measured figures less a small margin, so a
change that loses skills on real text fails here."""

from __future__ import annotations

import pytest
from conftest import ROOT

from scrapers.pipelines.description import html_to_text
from skills.evaluation import evaluate_real_ads

REAL_ADS = ROOT.parent / "shared" / "real-ads"
if not REAL_ADS.is_dir():
    pytest.skip("real ads are not distributed with skillscout (../shared/real-ads)", allow_module_level=True)

# Ads with no skill found, at most (share of the corpus). Many of these ads name no skill the
# taxonomy knows: UK care and kitchen jobs (adzuna), HN comments that are only a company
# blurb and a link.
NO_SKILL_AT_MOST = {
    "adzuna-uk-2013": 0.64,  # measured 0.625 (0.71 before issue 11)
    "glassdoor-ds-2020": 0.015,  # 0.010 (0.015)
    "glassdoor-ds-2021": 0.025,  # 0.018 (0.034)
    "hn-whoishiring-2024": 0.28,  # 0.26 (0.33)
    "themuse-swe-2026": 0.01,  # 0.006 (0.006)
}


@pytest.fixture(scope="module")
def real():
    results = evaluate_real_ads(html_to_text, REAL_ADS)
    assert results is not None
    return results


def test_every_corpus_is_read(real):
    assert set(NO_SKILL_AT_MOST) <= set(real)
    assert real["all"].ads > 4000


@pytest.mark.parametrize("corpus", sorted(NO_SKILL_AT_MOST))
def test_plain_tool_mentions_are_found(real, corpus):
    scores = real[corpus]
    assert scores.mentions > 100
    assert scores.coverage >= 0.95, sorted(scores.missed.items(), key=lambda kv: -kv[1])[:10]


@pytest.mark.parametrize("corpus", sorted(NO_SKILL_AT_MOST))
def test_few_ads_come_back_empty(real, corpus):
    scores = real[corpus]
    assert scores.no_skill_share <= NO_SKILL_AT_MOST[corpus]
    # an ad that names a tool plainly is never left without skills
    assert scores.naming_a_tool_no_skill <= max(1, 0.015 * scores.naming_a_tool)
