"""Normalisation of the formats real sources publish that the generic cases do not cover:
Lever's pay intervals, Recruitee's timestamps, Swiss thousands separators, Ashby's and
Recruitee's `<li><p>` bullets, and perks that look like pay."""

from __future__ import annotations

import pytest

from scrapers.pipelines.dates import to_utc_iso
from scrapers.pipelines.description import html_to_text
from scrapers.pipelines.salary import normalise_period, parse_salary_text


@pytest.mark.parametrize(("interval", "period"), [
    ("per-year-salary", "year"), ("per-month-salary", "month"), ("per-week-salary", "week"),
    ("per-day-wage", "day"), ("per-hour-wage", "hour"), ("one-time", None),
    ("1 YEAR", "year"), ("1 HOUR", "hour"), ("yearly", "year"), ("month", "month"),
])
def test_pay_intervals_of_ats_apis(interval, period):
    assert normalise_period(interval) == period


def test_recruitee_timestamps_keep_their_time():
    assert to_utc_iso("2026-10-22 08:14:02 UTC") == "2026-10-22T08:14:02Z"
    assert to_utc_iso("2026-10-22 08:14:02 GMT") == "2026-10-22T08:14:02Z"


@pytest.mark.parametrize(("text", "expected"), [
    ("CHF 120’000 – 140’000", (120000, 140000, "CHF", "year")),
    ("CHF 95'000", (95000, 95000, "CHF", "year")),
    ("NOK 750 000 – 900 000", (750000, 900000, "NOK", "year")),
])
def test_thousands_separators(text, expected):
    pay = parse_salary_text(text)
    assert (pay.minimum, pay.maximum, pay.currency, pay.period) == expected


def test_a_yearly_perk_is_not_pay():
    assert parse_salary_text("Learning budget of £1,500 a year") is None
    pay = parse_salary_text("A £1,000 a year budget. Salary £45,000 a year.")
    assert (pay.minimum, pay.maximum) == (45000, 45000)


def test_bullets_wrapping_paragraphs_stay_on_one_line():
    markup = "<ul><li><p>Python and SQL</p></li><li><p>dbt</p><p>(nice to have)</p></li><li></li></ul>"
    assert html_to_text(markup).splitlines() == ["- Python and SQL", "- dbt", "(nice to have)"]
