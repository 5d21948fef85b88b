"""Realistic job ads at any size, recombined from the 68 ads of the demo board.

Each synthetic ad takes a demo ad as its template (title, department, contract, pay), a
company (one of the 24 demo employers or one made from their names) and a location from
the board's vocabulary, the blurb and equal-opportunity line of the employer whose line of
business it shares, and role, duty, Essential, Desirable and benefit sections sampled from
the demo ads of the same role family, trimmed to about 300 words. Ad `n` of seed `s`
is the same whatever the total size, so a smaller run is a prefix of a larger one.

Ads come in two shapes: demo-board ad dicts (`ads`, `board`), which the demo board's
renderers serve unchanged, and scraped items (`items`): the fields of
`scrapers.items.JobPosting` as the `jobposting` spider and its pipelines leave them, with
`description` as plain text."""

from __future__ import annotations

import html
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from flows.demo_board import DemoBoard
from scrapers.items import JobPosting
from scrapers.pipelines.dates import to_utc_iso
from scrapers.pipelines.description import html_to_text
from scrapers.pipelines.employment_type import normalise_employment_type
from scrapers.pipelines.salary import annualise, normalise_period
from skills.roles import role_family
from skills.sections import BOILERPLATE, NICE, REQUIRED, ROLE, classify_header

# Rough exchange rates: a template's pay only has to look plausible in another currency.
_PER_GBP = {"GBP": 1.0, "USD": 1.27, "EUR": 1.17}
_CURRENCY_OF = {"GB": "GBP", "US": "USD"}
_SYMBOL = {"GBP": "£", "USD": "$", "EUR": "€"}
_ROUND_TO = {"YEAR": 1000, "MONTH": 100, "DAY": 25, "HOUR": 1}
_PER_UNIT = {"YEAR": "per annum", "MONTH": "per month", "DAY": "per day", "HOUR": "per hour"}
_LEVELS = ("Senior ", "Lead ", "Junior ", "Principal ", "Staff ")
_HAS_LEVEL = re.compile(r"\b(senior|lead|junior|principal|staff|head|graduate|intern|apprentice"
                        r"|contract|part[- ]time|temporary|freelance|chief|manager)\b", re.I)
_GENERIC_FIRST_WORDS = {"The", "Borough"}
_EEO = re.compile(r"equal|divers|inclus|discriminat|regardless|welcome", re.I)
# Sampled bullets per section (low, high) before trimming to the word target.
_BULLETS = {"duties": (3, 5), "essential": (4, 6), "desirable": (2, 4), "benefits": (3, 5)}
WORDS = (275, 350)


@dataclass(frozen=True)
class Fragment:
    html: str
    text: str  # as html_to_text renders it, so an ad's text is its fragments' texts joined
    words: int
    company: str = ""  # the employer named in it, renamed when it is reused for another


def _fragment(markup: str, company: str = "") -> Fragment:
    text = html_to_text(markup)
    return Fragment(markup, text, len(text.split()), company)


def _inner(el: etree._Element) -> str:
    markup = etree.tostring(el, encoding="unicode", with_tail=False)
    return markup[markup.index(">") + 1 : markup.rindex("<")]


@dataclass
class _Pools:
    """Sections of the demo ads, by kind: "role" paragraphs and duty, essential, desirable
    and benefit bullets."""

    parts: dict[str, list[Fragment]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, fragment: Fragment) -> None:
        if fragment.text and fragment not in self.parts[kind]:
            self.parts[kind].append(fragment)


@dataclass
class Vocabulary:
    """Everything the generator draws from, read once from `data/demo_board/`."""

    board: DemoBoard
    templates: list[dict[str, Any]]
    families: dict[str, _Pools]
    everything: _Pools
    blurbs: dict[str, list[Fragment]]  # by company slug
    closings: dict[str, list[Fragment]]  # equal-opportunity lines, by company slug
    headings: dict[str, Counter[str]]  # section kind → headings the demo ads use for it
    heading_fragments: dict[str, Fragment]
    # The demo's 24 employers and ~480 more made from their names ("Northwind" +
    # "Robotics"), so that 100,000 ads are not 4,000 per company: the loader's dedupe
    # compares ads with the same company and title.
    companies: dict[str, dict[str, Any]]
    business_of: dict[str, str]  # company slug → the demo employer whose blurb it borrows
    company_slugs: list[str]
    locations: list[tuple[str | None, str | None, str]]
    workplaces: list[str]
    newest: date
    span_days: int

    @classmethod
    def from_board(cls, board: DemoBoard) -> Vocabulary:
        families: dict[str, _Pools] = defaultdict(_Pools)
        everything = _Pools()
        blurbs: dict[str, list[Fragment]] = defaultdict(list)
        closings: dict[str, list[Fragment]] = defaultdict(list)
        headings: dict[str, Counter[str]] = defaultdict(Counter)
        for ad in board.ads:
            pools = families[role_family(ad["title"])]
            name = board.companies[ad["company"]]["name"]
            for kind, fragment, heading in _sections(ad["description_html"], name):
                if kind == "blurb":
                    blurbs[ad["company"]].append(fragment)
                elif kind == "closing":
                    closings[ad["company"]].append(fragment)
                else:
                    pools.add(kind, fragment)
                    everything.add(kind, fragment)
                    headings[kind][heading] += 1
        dates = sorted(date.fromisoformat(str(ad["date_posted"])) for ad in board.ads)
        companies, business_of = _company_universe(board.companies)
        return cls(
            board=board, templates=list(board.ads), families=dict(families), everything=everything,
            blurbs=dict(blurbs), closings=dict(closings), headings=dict(headings),
            heading_fragments={name: _fragment(f"<h3>{name}</h3>")
                               for counts in headings.values() for name in counts},
            companies=companies, business_of=business_of, company_slugs=sorted(companies),
            locations=sorted({(loc.get("city"), loc.get("region"), loc["country"])
                              for ad in board.ads if (loc := ad.get("location"))},
                             key=lambda t: (t[2], t[0] or "", t[1] or "")),
            workplaces=[ad["workplace"] for ad in board.ads],
            newest=dates[-1], span_days=(dates[-1] - dates[0]).days,
        )


_LEGAL_SUFFIX = re.compile(r"\s+(GmbH|Inc\.|Co-operative|Consulting)$")


def _stem(name: str) -> str:
    words = [w for w in name.split() if w not in _GENERIC_FIRST_WORDS and w != "of"]
    return words[0]


def _company_universe(demo: dict[str, dict[str, Any]]
                      ) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Every demo stem with every demo line of business: "Northwind" + "Robotics" is a
    robotics firm that borrows Atlas Robotics' blurb and closing line, renamed."""
    companies = dict(demo)
    business_of = {slug: slug for slug in demo}
    for source_slug, source in sorted(demo.items()):
        name = _LEGAL_SUFFIX.sub("", source["name"])
        tail = name.split(maxsplit=1)[1] if " " in name and not name.startswith("Borough") else ""
        if not tail:
            continue
        for other in sorted(demo.values(), key=lambda c: c["slug"]):
            new_name = f"{_stem(other['name'])} {tail}"
            slug = _slug(new_name)
            if slug in companies or new_name == name:
                continue
            companies[slug] = {"slug": slug, "name": new_name, "url": f"https://{slug}.example",
                               "sector": source["sector"]}
            business_of[slug] = source_slug
    return companies, business_of


_KIND_OF = {(ROLE, "ul"): "duties", (ROLE, "p"): "role", (REQUIRED, "ul"): "essential",
            (NICE, "ul"): "desirable", (BOILERPLATE, "ul"): "benefits"}


def _sections(markup: str, company: str) -> Iterator[tuple[str, Fragment, str]]:
    """(kind, fragment, heading) for the reusable parts of one demo ad."""
    children = list(lxml_html.fragment_fromstring(markup, create_parent="div"))
    heading, section = "", None
    for i, el in enumerate(children):
        if el.tag == "h3":
            heading, section = _inner(el), classify_header(el.text_content())
            continue
        outer = etree.tostring(el, encoding="unicode", with_tail=False)
        if i == len(children) - 1 and el.tag == "p" and _EEO.search(el.text_content()):
            yield "closing", _fragment(outer, company), ""
        elif not heading and el.tag == "p":
            # Before the first heading: the company blurb, then sometimes the role itself.
            yield ("blurb" if i == 0 else "role"), _fragment(outer, company), "The role"
        elif el.tag == "ul" and (kind := _KIND_OF.get((section, "ul"))):
            for li in el.iter("li"):
                yield kind, _fragment(f"<ul><li>{_inner(li)}</li></ul>", company), heading
        elif el.tag == "p" and (kind := _KIND_OF.get((section, "p"))):
            yield kind, _fragment(outer, company), heading


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary.from_board(DemoBoard.load())


@dataclass
class SyntheticAd:
    ad: dict[str, Any]  # demo-board format (data/demo_board/README.md)
    text: str  # the description as the scrapers' html_to_text renders it
    family: str  # role family of the template, whose sections the ad was built from


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sample(rng: random.Random, pools: _Pools, everything: _Pools, kind: str, k: int) -> list[Fragment]:
    own = pools.parts.get(kind, [])
    picked = rng.sample(own, min(k, len(own)))
    if len(picked) < k:  # small families borrow from the whole board
        rest = [f for f in everything.parts.get(kind, []) if f not in picked]
        picked += rng.sample(rest, min(k - len(picked), len(rest)))
    return picked


def _heading(rng: random.Random, vocab: Vocabulary, kind: str) -> Fragment:
    counts = vocab.headings[kind]
    name = rng.choices(list(counts), weights=list(counts.values()))[0]
    return vocab.heading_fragments[name]


@cache  # a few thousand (fragment, company) pairs, reused by every ad
def _renamed(fragment: Fragment, new: str) -> Fragment:
    """The fragment with its employer's name, full or short ("Helix"), replaced by `new`."""
    old = fragment.company
    if not old or old == new:
        return fragment
    pairs = [(old, new)]
    short_old, short_new = _stem(old), _stem(new)
    if short_old != short_new:
        pairs.append((short_old, short_new))
    markup, text = fragment.html, fragment.text
    for a, b in pairs:
        if a in text:
            markup = re.sub(rf"\b{re.escape(html.escape(a, quote=False))}\b",
                            html.escape(b, quote=False), markup)
            text = re.sub(rf"\b{re.escape(a)}\b", b, text)
    return Fragment(markup, text, len(text.split()), new)


def _pay(rng: random.Random, template: dict[str, Any], country: str) -> dict[str, Any] | None:
    salary = template.get("salary")
    if not salary:
        return None
    currency = _CURRENCY_OF.get(country, "EUR")
    unit = salary["unit"]
    factor = _PER_GBP[currency] / _PER_GBP[salary["currency"]] * rng.uniform(0.85, 1.2)
    step = _ROUND_TO[unit]
    low = max(step, round(salary["min"] * factor / step) * step)
    high = low if salary["min"] == salary["max"] else max(low, round(salary["max"] * factor / step) * step)
    sym = _SYMBOL[currency]
    amount = f"{sym}{low:,}" if low == high else f"{sym}{low:,} - {sym}{high:,}"
    return {"currency": currency, "min": low, "max": high, "unit": unit,
            "text": f"{amount} {_PER_UNIT[unit]}"}


def synthetic_ad(n: int, seed: int = 0, vocab: Vocabulary | None = None) -> SyntheticAd:
    """Ad number `n` (from 1) of the stream `seed`."""
    vocab = vocab or vocabulary()
    rng = random.Random(f"skillscout-bench:{seed}:{n}")
    template = rng.choice(vocab.templates)
    family = role_family(template["title"])
    pools = vocab.families[family]
    company_slug = rng.choice(vocab.company_slugs)
    company = vocab.companies[company_slug]
    business = vocab.business_of[company_slug]

    title = template["title"]
    if not _HAS_LEVEL.search(title) and rng.random() < 0.3:
        title = rng.choice(_LEVELS) + title
    if template.get("department") and not re.search(r"[,(–-]", title) and rng.random() < 0.3:
        title = f"{title}, {template['department']}"

    city, region, country = rng.choice(vocab.locations)
    workplace = rng.choice(vocab.workplaces)
    if workplace == "remote" and rng.random() < 0.1:
        city = region = None  # "Remote (US)": a country and nothing more
    posted = vocab.newest - timedelta(days=rng.randint(0, vocab.span_days))

    name = company["name"]
    blurb = _renamed(rng.choice(vocab.blurbs[business]), name)
    closing = _renamed(rng.choice(vocab.closings[business]), name)
    role = [_renamed(f, name) for f in _sample(rng, pools, vocab.everything, "role", 1)]
    bullets = {kind: [_renamed(f, name) for f in
                      _sample(rng, pools, vocab.everything, kind, rng.randint(*span))]
               for kind, span in _BULLETS.items()}

    # Trim the longest optional parts first, so every ad keeps all its sections.
    target = rng.randint(*WORDS)
    fixed = blurb.words + closing.words + 4 * 2  # headings: about two words each

    def words() -> int:
        return fixed + sum(f.words for f in role) + sum(f.words for fs in bullets.values() for f in fs)

    while words() > target:
        trimmable = [k for k in ("duties", "benefits", "essential", "desirable")
                     if len(bullets[k]) > (3 if k == "essential" else 2)]
        if not trimmable:
            if role:
                role = []
                continue
            break
        longest = max(trimmable, key=lambda k: sum(f.words for f in bullets[k]))
        bullets[longest].pop()

    parts: list[Fragment] = [blurb]
    if role:
        parts += [_heading(rng, vocab, "role"), *role]
    for kind in ("duties", "essential", "desirable", "benefits"):
        if bullets[kind]:
            parts += [_heading(rng, vocab, kind), *bullets[kind]]
    parts.append(closing)
    description_html = "\n".join(_join_lists([p.html for p in parts])) + "\n"
    ad = {
        "id": f"{n:06d}",
        "slug": f"{_slug(title)}-{company_slug}-{_slug(city or country)}-{n}",
        "title": title,
        "company": company_slug,
        "department": template.get("department"),
        "location": {"city": city, "region": region, "country": country},
        "workplace": workplace,
        "employment_type": template["employment_type"],
        "salary": _pay(rng, template, country),
        "date_posted": posted,
        "valid_through": posted + timedelta(days=rng.choice((14, 21, 28, 42, 56))),
        "published_on": ["board", "greenhouse"] if company.get("greenhouse_board") else ["board"],
        "greenhouse_id": 5_000_000 + n,
        "description_html": description_html,
    }
    return SyntheticAd(ad, "\n".join(p.text for p in parts), family)


def _join_lists(markup: list[str]) -> list[str]:
    """Consecutive one-item lists back into one `<ul>`, as the demo ads write them."""
    out: list[str] = []
    for piece in markup:
        if piece.startswith("<ul><li>") and out and out[-1].endswith("</li></ul>"):
            out[-1] = out[-1][: -len("</ul>")] + "\n  " + piece[len("<ul>"):]
        else:
            out.append(piece)
    return out


def generate(n: int, seed: int = 0, start: int = 1) -> Iterator[SyntheticAd]:
    vocab = vocabulary()
    for i in range(start, start + n):
        yield synthetic_ad(i, seed, vocab)


def ads(n: int, seed: int = 0) -> list[dict[str, Any]]:
    return [s.ad for s in generate(n, seed)]


def board(n: int, seed: int = 0) -> DemoBoard:
    """A demo board of `n` synthetic ads and every company they may name."""
    return DemoBoard(ads(n, seed), dict(vocabulary().companies))


def to_item(synthetic: SyntheticAd, base_url: str = "http://127.0.0.1",
            source: str = "jobposting") -> dict[str, Any]:
    """The item the `jobposting` spider would yield for this ad's detail page on `base_url`."""
    ad, vocab = synthetic.ad, vocabulary()
    loc = ad["location"]
    salary = ad["salary"] or {}
    period = normalise_period(salary.get("unit"))
    item = JobPosting(
        source=source,
        source_id=f"{urlsplit(base_url).hostname}/{ad['id']}",
        url=f"{base_url}/jobs/{ad['slug']}.html",
        title=ad["title"],
        company=vocab.companies[ad["company"]]["name"],
        location=", ".join(p for p in (loc["city"], loc["region"], loc["country"]) if p),
        country=loc["country"],
        remote=ad["workplace"],
        employment_type=normalise_employment_type(ad["employment_type"]),
        salary_min=float(salary["min"]) if salary else None,
        salary_max=float(salary["max"]) if salary else None,
        salary_currency=salary.get("currency"),
        salary_period=period,
        salary_annual_min=annualise(float(salary["min"]), period) if salary else None,
        salary_annual_max=annualise(float(salary["max"]), period) if salary else None,
        posted_at=to_utc_iso(str(ad["date_posted"])),
        valid_through=to_utc_iso(f"{ad['valid_through']}T23:59:59+00:00"),
        department=ad.get("department"),
        description=synthetic.text,
        description_html=ad["description_html"],
    )
    return dict(vars(item))  # asdict would deep-copy every field, for nothing


def items(n: int, seed: int = 0, base_url: str = "http://127.0.0.1", source: str = "jobposting",
          with_skills: bool = False) -> list[dict[str, Any]]:
    """`n` scraped items; `with_skills` adds a "skills" list as extraction would (see
    `skills_for`) without running the extractor on every ad."""
    out = []
    for synthetic in generate(n, seed):
        item = to_item(synthetic, base_url, source)
        if with_skills:
            item["skills"] = skills_for(synthetic, seed)
        out.append(item)
    return out


@cache
def _skill_pools() -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Skills the real extractor finds in the demo ads: by role family, and all of them
    with their frequency as repetition."""
    import skills

    vocab = vocabulary()
    texts = [f"{ad['title']}\n{html_to_text(ad['description_html'])}" for ad in vocab.board.ads]
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    every: list[dict[str, Any]] = []
    for ad, found in zip(vocab.board.ads, skills.extract_many(texts), strict=True):
        for skill in found:
            entry = {k: skill[k] for k in ("name", "category", "required", "years")}
            by_family[role_family(ad["title"])].append(entry)
            every.append(entry)
    return dict(by_family), every


def skills_for(synthetic: SyntheticAd, seed: int = 0) -> list[dict[str, Any]]:
    """About 15 skills (10–20) in the extractor's output shape, drawn from what the
    extractor finds in the demo ads of the same role family, so skills co-occur as they do
    in real ads and common skills stay common."""
    by_family, every = _skill_pools()
    rng = random.Random(f"skillscout-bench-skills:{seed}:{synthetic.ad['id']}")
    want = rng.randint(10, 20)
    chosen: dict[str, dict[str, Any]] = {}
    for pool in (by_family.get(synthetic.family, []), every):
        # Draws with replacement: a skill is picked as often as the demo ads ask for it.
        for _ in range(20 * want if pool else 0):
            if len(chosen) >= want:
                break
            entry = pool[rng.randrange(len(pool))]
            chosen.setdefault(entry["name"], entry)
    return [{**entry, "spans": [{"start": 0, "end": 0, "text": entry["name"]}] * rng.randint(1, 2)}
            for entry in chosen.values()]
