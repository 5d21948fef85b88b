"""Pay: currency, min/max, period and an annualised figure, from structured fields when the
source has them and from the ad's own words ("£450-£500 per day", "$120k–150k") when not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.items import JobPosting

# Contractors and hourly staff are paid only for days worked: 220 days (260 weekdays less
# holidays) is the usual basis for comparing a day rate with an annual salary.
WORKING_DAYS_PER_YEAR = 220
HOURS_PER_DAY = 8
MIN_ANNUAL_PAY = 2000  # below this a yearly figure in an ad is a perk or a budget
ANNUAL_FACTOR = {
    "year": 1,
    "month": 12,
    "week": WORKING_DAYS_PER_YEAR / 5,
    "day": WORKING_DAYS_PER_YEAR,
    "hour": WORKING_DAYS_PER_YEAR * HOURS_PER_DAY,
}

_PERIOD_WORDS = {
    "year": ("year", "annum", "annual", "annually", "yr", "pa", "p.a", "p.a.", "py"),
    "month": ("month", "mo", "pcm", "monthly", "mth"),
    "week": ("week", "wk", "weekly", "pw"),
    "day": ("day", "daily", "pd", "p/d", "diem"),
    "hour": ("hour", "hr", "hourly", "ph", "p/h", "h"),
}
_UNIT_TEXT = {  # schema.org QuantitativeValue unitText and ATS spellings
    "YEAR": "year", "YEARLY": "year", "ANNUAL": "year", "ANNUALLY": "year", "YEARLY_SALARY": "year",
    "MONTH": "month", "MONTHLY": "month",
    "WEEK": "week", "WEEKLY": "week",
    "DAY": "day", "DAILY": "day",
    "HOUR": "hour", "HOURLY": "hour",
}
_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "us$": "USD", "c$": "CAD", "ca$": "CAD",
            "a$": "AUD", "au$": "AUD", "chf": "CHF", "fr.": "CHF"}
_CODES = ("GBP", "USD", "EUR", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK", "PLN", "INR", "SGD", "NZD")
_WORDS = {"pounds": "GBP", "sterling": "GBP", "euros": "EUR", "euro": "EUR", "dollars": "USD"}

_CUR = r"(?:US\$|CA\$|C\$|AU\$|A\$|[£€$]|\b(?:{})\b)".format("|".join(_CODES))
# Thousands are grouped by ",", ".", a space or, in Switzerland, an apostrophe ("120’000").
_NUM = r"\d{1,3}(?:[,.\s’']\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = rf"(?P<NAMEcur>{_CUR})?\s?(?P<NAMEnum>{_NUM})\s?(?P<NAMEk>[kK]\b)?"
_RANGE_SEP = r"\s*(?:-|–|—|to|and|/)\s*"
_SALARY_RE = re.compile(
    r"(?P<upto>\bup\s+to\s+|\bmax(?:imum)?\.?\s+|\bfrom\s+|\bstarting\s+(?:at|from)\s+)?"
    + _AMOUNT.replace("NAME", "a")
    + rf"(?:{_RANGE_SEP}"
    + _AMOUNT.replace("NAME", "b")
    + r")?"
    + r"(?=(?P<tail>[^\n;]{0,40}))",  # look ahead only: the tail may hold the next figure
    re.IGNORECASE,
)
_PERIOD_RE = re.compile(
    r"(?:per|a|an|each|/|p\.?\s?|\bin\s+an?)\s*(?P<p>annum|year|yr|month|mth|week|wk|day|diem|hour|hr|h)\b"
    r"|\b(?P<q>annually|annual|yearly|monthly|weekly|daily|hourly|pa|p\.a\.?|pcm|pd|ph|pw)\b"
    r"|\b(?P<r>day|hourly) rate\b",
    re.IGNORECASE,
)


@dataclass
class Pay:
    minimum: float | None
    maximum: float | None
    currency: str | None
    period: str | None
    explicit_period: str | None = field(default=None, compare=False)  # as the ad words it


def _to_number(num: str, k: str | None) -> float:
    digits = re.sub(r"[\s’']", "", num)
    # "45.000" and "45,000" are both thousands; "45.5" is a decimal.
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        value = float(re.sub(r"[.,]", "", digits))
    else:
        value = float(digits.replace(",", ""))
    if k:
        value *= 1000
    return value


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    token = token.strip()
    return _SYMBOLS.get(token.lower()) or (token.upper() if token.upper() in _CODES else None)


def _period_from_words(text: str) -> str | None:
    m = _PERIOD_RE.search(text)
    if not m:
        return None
    word = (m.group("p") or m.group("q") or m.group("r")).lower().rstrip(".")
    for period, words in _PERIOD_WORDS.items():
        if word in words or word.startswith(period):
            return period
    return None


def _period_from_size(value: float) -> str:
    if value >= 8000:
        return "year"
    if value >= 120:
        return "day"
    return "hour"


# Words that say a figure is the job's pay, not a budget, a bonus or a headcount.
_PAY_WORDS = re.compile(r"\b(salary|salaries|pay|paid|compensation|remuneration|rate|base|ote|"
                        r"per annum|package|band|grade|wage|stipend)\b", re.I)


def parse_salary_text(text: str | None, default_currency: str | None = None) -> Pay | None:
    """Best reading of the pay figure in `text`; None when it names no pay.

    A bare number only counts as pay next to a currency or a pay period, so years of
    experience, hours per week or headcounts are not mistaken for a salary. When an ad names
    several amounts ("a £1,500 learning budget ... Salary: £65,000 - £78,000"), the one that
    reads most like pay wins: said to be pay, given as a range, with a period."""
    if not text:
        return None
    best: tuple[int, Pay] | None = None
    for m in _SALARY_RE.finditer(text):
        pay = _reading(m, default_currency)
        if pay is None:
            continue
        context = text[max(0, m.start() - 40):m.start()]
        score = (3 * bool(_PAY_WORDS.search(context)) + 2 * bool(pay.explicit_period)
                 + (pay.minimum is not None and pay.maximum is not None and pay.minimum != pay.maximum))
        if best is None or score > best[0]:  # on a tie the first figure stays
            best = (score, pay)
    return best[1] if best else None


def _reading(m: re.Match, default_currency: str | None) -> Pay | None:
    cur = _currency(m.group("acur")) or _currency(m.group("bcur"))
    tail = re.split(r"\.\s|\(", m.group("tail") or "", maxsplit=1)[0]
    period = _period_from_words(tail[:25])
    if not cur:
        # A bare number is pay only when a pay period follows it at once and it is big
        # enough: "45,000 per annum" yes, "37.5 hours per week" no.
        adjacent = _PERIOD_RE.match(tail.lstrip())
        if not adjacent or _to_number(m.group("anum"), m.group("ak")) < 1000:
            return None
        cur = _currency_word(m.group("tail") or "") or default_currency
    a_k, b_k = m.group("ak"), m.group("bk")
    low = _to_number(m.group("anum"), a_k or (b_k if m.group("bnum") else None))
    high = _to_number(m.group("bnum"), b_k) if m.group("bnum") else None
    if high is not None and b_k and not a_k and low < 1000 <= high:
        low *= 1000  # "$120–150k": the k belongs to both ends
    if high is not None and high < low:
        return None  # "2021 - 2019", not pay
    if low < 5 and not (high and high >= 5):
        return None  # "£1" or a version number, not pay
    upto = (m.group("upto") or "").strip().lower()
    if high is None and upto.startswith(("up", "max")):
        low, high = None, low
    elif high is None:
        high = low if not upto else None
    size = high or low or 0
    explicit = period
    if not period or (annualise(size, period) or 0) > 5_000_000:
        period, explicit = _period_from_size(size), None  # "£45k per week" is a misreading
    if (annualise(size, period) or 0) < MIN_ANNUAL_PAY:
        return None  # "a learning budget of £1,500 a year" is a benefit, not pay
    return Pay(low, high, cur, period, explicit_period=explicit)


def _currency_word(text: str) -> str | None:
    for word, code in _WORDS.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            return code
    return None


def normalise_period(unit: str | None) -> str | None:
    if not unit:
        return None
    key = re.sub(r"[^A-Z_]", "", unit.upper())
    if key in _UNIT_TEXT:
        return _UNIT_TEXT[key]
    words = unit.lower().replace("-", " ")  # Lever's "per-year-salary", "per-hour-wage"
    return _period_from_words(" per " + words) or _period_from_words(words)


def annualise(value: float | None, period: str | None) -> float | None:
    if value is None or period not in ANNUAL_FACTOR:
        return None
    return round(value * ANNUAL_FACTOR[period], 2)


class SalaryPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: JobPosting, spider=None) -> JobPosting:
        if item.salary_min is None and item.salary_max is None:
            pay = parse_salary_text(item.salary_text) or parse_salary_text(item.description)
            if pay:
                item.salary_min, item.salary_max = pay.minimum, pay.maximum
                item.salary_currency = item.salary_currency or pay.currency
                item.salary_period = item.salary_period or pay.period
        else:
            item.salary_min = _as_float(item.salary_min)
            item.salary_max = _as_float(item.salary_max)
            if item.salary_min is not None and item.salary_max is not None and (
                item.salary_min > item.salary_max
            ):
                item.salary_min, item.salary_max = item.salary_max, item.salary_min
            item.salary_period = normalise_period(item.salary_period) or _period_from_size(
                item.salary_max or item.salary_min or 0
            )
        if item.salary_currency:
            item.salary_currency = _currency(item.salary_currency) or item.salary_currency.upper()
        if item.salary_min is None and item.salary_max is None:
            self.stats.inc_value("skillscout/field/salary/missing")
        else:
            item.salary_annual_min = annualise(item.salary_min, item.salary_period)
            item.salary_annual_max = annualise(item.salary_max, item.salary_period)
        return item


def _as_float(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None
