"""Crawl a served fixture with a spider through the real Scrapy engine, several at once.

Each crawl is a `python -m scrapy crawl` subprocess (as in `conftest.crawl`) with its own
fixture server; running them side by side keeps the source tests from taking minutes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import TEST_CRAWL_SETTINGS
from fixture_server import Call, serve_fixtures

from flows.crawl import read_items, run_crawl
from flows.sources import Source

PARALLEL_CRAWLS = 4


@dataclass
class Case:
    """One crawl: a spider, the folder to serve (default: the spider's fixture folder), the
    routes (default: the folder's routes.yaml) and `-a` arguments, where `{BASE}` stands for
    the server's URL. `api_url` is pointed at the server unless `api_url=False`."""

    spider: str
    folder: str | Path | None = None
    routes: list[dict[str, Any]] | None = None
    api_url: bool = True
    args: dict[str, str] = field(default_factory=dict)


@dataclass
class Crawl:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    requests: list[str]  # path?query of every request the server saw
    base: str
    calls: list[Call] = field(default_factory=list)  # the same with method, headers and body
    out_dir: Path | None = None  # where the crawl wrote its items, stats and log

    def item(self, **match: Any) -> dict[str, Any]:
        found = [i for i in self.items if all(i.get(k) == v for k, v in match.items())]
        assert len(found) == 1, f"{len(found)} items match {match}"
        return found[0]

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0))


def crawl_case(case: Case, out_dir: Path) -> Crawl:
    with serve_fixtures(case.folder or case.spider, case.routes) as server:
        args = {k: v.replace("{BASE}", server.url) for k, v in case.args.items()}
        if case.api_url:
            args["api_url"] = server.url
        output = run_crawl(Source(case.spider, args, timeout=120), out_dir, TEST_CRAWL_SETTINGS)
        return Crawl(read_items(output.items_path), output.stats, list(server.requests), server.url,
                     list(server.calls), out_dir)


def crawl_all(cases: dict[str, Case], out_root: Path) -> dict[str, Crawl | Exception]:
    """Every case crawled (a failed crawl gives its exception, for its own tests to raise)."""
    def one(name: str) -> Crawl | Exception:
        try:
            return crawl_case(cases[name], out_root / name)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(PARALLEL_CRAWLS) as pool:
        return dict(zip(cases, pool.map(one, cases), strict=True))
