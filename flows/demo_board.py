"""Serve the bundled demo job board (`data/demo_board/`) on 127.0.0.1.

Two real formats, rendered on the fly from the ad files:
- an HTML job board: `/jobs/` listing pages (10 cards a page, `?page=N`) linking detail
  pages `/jobs/<slug>.html` that embed schema.org `JobPosting` JSON-LD;
- a Greenhouse-format board API: `/v1/boards/<token>`, `/v1/boards/<token>/jobs[?content=true]`
  and `/v1/boards/<token>/jobs/<id>`, with hosted job pages at `/boards/<token>/jobs/<id>`.
"""

from __future__ import annotations

import html
import json
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from skillscout_data import DEMO_BOARD as DEMO_DIR

PAGE_SIZE = 10
# The demo server is ours and on loopback: the politeness delays that protect real sites
# would only slow the demo down.
LOCAL_CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                        "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
_COUNTRY_NAMES = {"GB": "United Kingdom", "US": "United States", "IE": "Ireland", "DE": "Germany",
                  "NL": "Netherlands", "FR": "France", "ES": "Spain", "PT": "Portugal",
                  "IT": "Italy", "BE": "Belgium", "AT": "Austria"}


@dataclass
class DemoBoard:
    ads: list[dict[str, Any]]
    companies: dict[str, dict[str, Any]]
    hidden: set[str] = field(default_factory=set)  # ad ids taken down, to simulate closures

    @classmethod
    def load(cls, directory: Path = DEMO_DIR) -> DemoBoard:
        companies = {c["slug"]: c for c in yaml.safe_load((directory / "companies.yaml").read_text())}
        ads = [yaml.safe_load(p.read_text()) for p in sorted((directory / "ads").glob("*.yaml"))]
        for ad in ads:
            if ad["company"] not in companies:
                raise ValueError(f"ad {ad['id']}: unknown company {ad['company']!r}")
        return cls(ads, companies)

    def live_ads(self) -> list[dict[str, Any]]:
        return [ad for ad in self.ads if ad["id"] not in self.hidden]

    def board_ads(self) -> list[dict[str, Any]]:
        ads = [ad for ad in self.live_ads() if "board" in ad.get("published_on", ["board"])]
        return sorted(ads, key=lambda ad: (str(ad["date_posted"]), ad["id"]), reverse=True)

    def greenhouse_ads(self, token: str) -> list[dict[str, Any]]:
        return [
            ad for ad in self.live_ads()
            if "greenhouse" in ad.get("published_on", [])
            and self.companies[ad["company"]].get("greenhouse_board") == token
        ]

    def greenhouse_boards(self) -> list[str]:
        return sorted({c["greenhouse_board"] for c in self.companies.values()
                       if c.get("greenhouse_board")})


# --- rendering -------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _plain_snippet(description_html: str, length: int = 180) -> str:
    from lxml import html as lxml_html  # local: only the listing needs it

    text = " ".join(lxml_html.fromstring(f"<div>{description_html}</div>").text_content().split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _location_text(ad: dict[str, Any]) -> str:
    loc = ad.get("location") or {}
    parts = [loc.get("city"), loc.get("region"), _COUNTRY_NAMES.get(loc.get("country"), loc.get("country"))]
    return ", ".join(p for p in parts if p)


def _page(title: str, body: str, head: str = "") -> bytes:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(title)}</title>{head}</head><body>"
        "<header><a href=\"/\">DataJobs Demo Board</a> · <a href=\"/jobs/\">All jobs</a></header>"
        f"<main>{body}</main><footer><p>A fictional job board bundled with skillscout.</p>"
        "</footer></body></html>"
    ).encode()


def job_posting_jsonld(board: DemoBoard, ad: dict[str, Any]) -> dict[str, Any]:
    company = board.companies[ad["company"]]
    loc = ad.get("location") or {}
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": ad["title"],
        "description": ad["description_html"],
        "identifier": {"@type": "PropertyValue", "name": company["name"], "value": ad["id"]},
        "datePosted": str(ad["date_posted"]),
        "validThrough": f"{ad['valid_through']}T23:59:59+00:00",
        "employmentType": ad["employment_type"],
        "hiringOrganization": {"@type": "Organization", "name": company["name"],
                               "sameAs": company["url"]},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress",
            "addressLocality": loc.get("city"),
            "addressRegion": loc.get("region"),
            "addressCountry": loc.get("country"),
        }},
        "occupationalCategory": ad.get("department"),
    }
    if ad.get("workplace") == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {
            "@type": "Country", "name": _COUNTRY_NAMES.get(loc.get("country"), loc.get("country"))}
    salary = ad.get("salary")
    if salary:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": salary["unit"]}
        if salary["min"] == salary["max"]:
            value["value"] = salary["max"]
        else:
            value.update(minValue=salary["min"], maxValue=salary["max"])
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": salary["currency"],
                              "value": value}
    return data


def _json_script(data: Any) -> str:
    # "</" inside a string would end the <script> element early.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def render_listing(board: DemoBoard, page: int) -> bytes | None:
    ads = board.board_ads()
    pages = max(1, math.ceil(len(ads) / PAGE_SIZE))
    if not 1 <= page <= pages:
        return None
    cards = []
    for ad in ads[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        company = board.companies[ad["company"]]["name"]
        salary = (ad.get("salary") or {}).get("text") or "Competitive"
        cards.append(
            "<li class=\"job-card\">"
            f"<h3 class=\"job-title\"><a href=\"/jobs/{_e(ad['slug'])}.html\">{_e(ad['title'])}</a></h3>"
            f"<p class=\"company\">{_e(company)}</p>"
            f"<p class=\"location\">{_e(_location_text(ad))}</p>"
            f"<p class=\"salary\">{_e(salary)}</p>"
            f"<p class=\"snippet\">{_e(_plain_snippet(ad['description_html']))}</p>"
            f"<time datetime=\"{_e(ad['date_posted'])}\">{_e(ad['date_posted'])}</time></li>"
        )
    nav = []
    if page > 1:
        nav.append(f"<a rel=\"prev\" href=\"/jobs/?page={page - 1}\">Previous</a>")
    nav += [f"<a href=\"/jobs/?page={n}\">{n}</a>" if n != page else f"<span>{n}</span>"
            for n in range(1, pages + 1)]
    if page < pages:
        nav.append(f"<a rel=\"next\" href=\"/jobs/?page={page + 1}\">Next</a>")
    body = (f"<h1>Data &amp; ML jobs</h1><p>{len(ads)} jobs</p>"
            f"<ul class=\"jobs\">{''.join(cards)}</ul><nav class=\"pagination\">{' '.join(nav)}</nav>")
    return _page(f"Data jobs – page {page}", body)


def render_detail(board: DemoBoard, ad: dict[str, Any]) -> bytes:
    company = board.companies[ad["company"]]
    salary = (ad.get("salary") or {}).get("text") or "Competitive"
    related = [a for a in board.board_ads() if a["id"] != ad["id"]][:3]
    related_html = "".join(
        f"<li><a href=\"/jobs/{_e(a['slug'])}.html\">{_e(a['title'])}</a></li>" for a in related)
    body = (
        f"<article><h1>{_e(ad['title'])}</h1><p class=\"company\">{_e(company['name'])}</p>"
        f"<p class=\"location\">{_e(_location_text(ad))}</p><p class=\"salary\">{_e(salary)}</p>"
        f"<div class=\"description\">{ad['description_html']}</div></article>"
        f"<aside><h2>Related Jobs</h2><ul>{related_html}</ul></aside>"
    )
    head = ("<script type=\"application/ld+json\">"
            f"{_json_script(job_posting_jsonld(board, ad))}</script>")
    return _page(f"{ad['title']} – {company['name']}", body, head)


def greenhouse_job(board: DemoBoard, ad: dict[str, Any], base_url: str, token: str,
                   content: bool) -> dict[str, Any]:
    company = board.companies[ad["company"]]
    description = ad["description_html"]
    if ad.get("salary"):
        # Greenhouse boards carry pay only inside the ad text unless pay ranges are enabled.
        description += f"<p><strong>Salary:</strong> {html.escape(ad['salary']['text'])}</p>"
    loc_name = ", ".join(p for p in ((ad.get("location") or {}).get("city"),
                                      (ad.get("location") or {}).get("country")) if p)
    if ad.get("workplace") in ("remote", "hybrid"):
        loc_name = f"{loc_name} ({ad['workplace'].title()})" if loc_name else ad["workplace"].title()
    job: dict[str, Any] = {
        "absolute_url": f"{base_url}/boards/{token}/jobs/{ad['greenhouse_id']}",
        "data_compliance": [{"type": "gdpr", "requires_consent": False,
                             "requires_processing_consent": False,
                             "requires_retention_consent": False, "retention_period": None}],
        "internal_job_id": int(ad["greenhouse_id"]) - 1_000_000,
        "location": {"name": loc_name},
        "metadata": [{"id": 4095122, "name": "Employment Type",
                      "value": ad["employment_type"].replace("_", " ").title(),
                      "value_type": "single_select"}],
        "id": int(ad["greenhouse_id"]),
        "updated_at": f"{ad['date_posted']}T09:30:00-05:00",
        "requisition_id": f"REQ-{ad['id']}",
        "title": ad["title"],
        "company_name": company["name"],
        "first_published": f"{ad['date_posted']}T09:00:00-05:00",
        "language": "en",
    }
    if content:
        job["content"] = html.escape(description, quote=True)
        job["departments"] = [{"id": 40100 + int(ad["id"]), "name": ad.get("department") or "Data",
                               "child_ids": [], "parent_id": None}]
        job["offices"] = [{"id": 50100 + int(ad["id"]), "name": (ad.get("location") or {}).get("city"),
                           "location": _location_text(ad), "child_ids": [], "parent_id": None}]
    return job


# --- serving ---------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    board: DemoBoard
    server_version = "DemoBoard/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the crawl's own log says what was fetched

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        with suppress(BrokenPipeError):
            self._route(parts, query, base)

    def _route(self, parts: list[str], query: dict[str, list[str]], base: str) -> None:
        board = self.board
        if parts == ["robots.txt"]:
            return self._send(b"User-agent: *\nAllow: /\n", "text/plain")
        if not parts:
            body = "<h1>DataJobs Demo Board</h1><p><a href=\"/jobs/\">Browse data &amp; ML jobs</a></p>"
            return self._send(_page("DataJobs Demo Board", body))
        if parts == ["jobs"]:
            try:
                page = int(query.get("page", ["1"])[0])
            except ValueError:
                page = 0
            listing = render_listing(board, page)
            return self._send(listing) if listing else self._not_found()
        if len(parts) == 2 and parts[0] == "jobs" and parts[1].endswith(".html"):
            slug = parts[1].removesuffix(".html")
            ad = next((a for a in board.board_ads() if a["slug"] == slug), None)
            return self._send(render_detail(board, ad)) if ad else self._not_found()
        if len(parts) >= 3 and parts[:2] == ["v1", "boards"] and parts[2] in board.greenhouse_boards():
            return self._greenhouse(parts[2], parts[3:], query, base)
        if len(parts) == 4 and parts[0] == "boards" and parts[2] == "jobs":
            ad = next((a for a in board.greenhouse_ads(parts[1])
                       if str(a["greenhouse_id"]) == parts[3]), None)
            return self._send(render_detail(board, ad)) if ad else self._not_found()
        return self._not_found()

    def _greenhouse(self, token: str, rest: list[str], query: dict[str, list[str]], base: str) -> None:
        board = self.board
        company = next(c for c in board.companies.values() if c.get("greenhouse_board") == token)
        content = query.get("content", ["false"])[0] == "true"
        if not rest:
            return self._json({"name": company["name"],
                               "content": f"<p>{html.escape(company['sector'])}</p>"})
        ads = board.greenhouse_ads(token)
        if rest == ["jobs"]:
            jobs = [greenhouse_job(board, ad, base, token, content) for ad in ads]
            return self._json({"jobs": jobs, "meta": {"total": len(jobs)}})
        if len(rest) == 2 and rest[0] == "jobs":
            ad = next((a for a in ads if str(a["greenhouse_id"]) == rest[1]), None)
            if ad:
                return self._json(greenhouse_job(board, ad, base, token, True))
        return self._json({"status": 404, "error": "Job not found"}, HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str = "text/html; charset=utf-8",
              status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(json.dumps(data).encode(), "application/json; charset=utf-8", status)

    def _not_found(self) -> None:
        self._send(_page("Not found", "<h1>Page not found</h1>"), status=HTTPStatus.NOT_FOUND)


@contextmanager
def serve_demo_board(board: DemoBoard | None = None, port: int = 0) -> Iterator[str]:
    """Serve the board in a background thread; yields its base URL (a free port by default)."""
    handler = type("DemoBoardHandler", (_Handler,), {"board": board or DemoBoard.load()})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-board", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_sources(base_url: str, board: DemoBoard | None = None) -> list[dict[str, Any]]:
    """The sources list that crawls the whole demo board."""
    board = board or DemoBoard.load()
    # The board is on loopback, which a sources file must opt in to.
    sources = [{"spider": "jobposting", "start_url": f"{base_url}/jobs/", "allow_private": True}]
    sources += [{"spider": "greenhouse", "board": token, "api_url": base_url, "allow_private": True}
                for token in board.greenhouse_boards()]
    return sources
