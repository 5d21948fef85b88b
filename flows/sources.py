"""The sources file: which spiders to run with which arguments.

    sources:
      - spider: greenhouse
        board: acme
      - spider: jobposting
        start_url: https://careers.example.com/jobs/

A bare list of sources is accepted too. Every key other than `spider`, `name`,
`timeout`, `keep` and `keep_titles` is passed to the spider as `-a key=value`; a nested
value (the HTML board's selectors) is passed as JSON.

Big employers' boards list every department, so the flow keeps only data/ML roles unless a
source says otherwise: `keep: [data engineer, ml engineer]` (role families), `keep: all`,
or `keep_titles: [analyst]` (title words that keep a job whatever its family). A bare
`scrapy crawl` is never filtered. `settings:` gives one source its own Scrapy settings
(say a longer DOWNLOAD_DELAY for a fragile site).

Everything is checked before any crawl starts: each spider is built with its arguments,
so a missing `board:` fails here with the spider's own rule, and a source on a private
address (loopback, 10.x, 192.168.x, ...) needs `allow_private: true`, while link-local
addresses (169.254.169.254 serves cloud credentials) are refused unless
SKILLSCOUT_ALLOW_LINK_LOCAL=1 is set, as the crawl's own middleware refuses them. The file
is read with a size cap and without YAML aliases."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from pipeline import untrusted_yaml
from scrapers.middlewares import host_kind
from skills.roles import DATA_FAMILIES, role_family

_CLI_ARGUMENT = re.compile(r"-a (\w+)=")
_RESERVED = {"spider", "name", "timeout", "keep", "keep_titles", "settings", "allow_private"}
DEFAULT_TIMEOUT = 30 * 60


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the entry and the problem."""


@dataclass(frozen=True)
class Source:
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    name: str = ""
    timeout: float = DEFAULT_TIMEOUT
    # Which jobs the flow keeps: role families ("data engineer", ...; None keeps every
    # family but "other") and title keywords that keep a job whatever its family.
    keep: frozenset[str] | None = None
    keep_titles: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()  # Scrapy settings for this source alone

    def keeps(self, item: dict) -> bool:
        if self.keep is not None and "all" in self.keep:
            return True
        title = (item.get("title") or "").lower()
        if any(word.lower() in title for word in self.keep_titles):
            return True
        family = item.get("role_family") or role_family(item.get("title"))
        return family in (self.keep if self.keep is not None else DATA_FAMILIES)

    @property
    def key(self) -> str:
        """Stable name for crawl health and closing jobs: spider plus board or host."""
        if self.name:
            return self.name
        for arg in ("board", "site", "company", "account", "category"):
            if arg in self.args:
                return f"{self.spider}:{self.args[arg]}"
        for arg in ("start_url", "api_url", "url"):
            if arg in self.args:
                return f"{self.spider}:{urlparse(self.args[arg]).hostname}"
        return self.spider

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.key)


def _spider_loader() -> SpiderLoader:
    return SpiderLoader(Settings({"SPIDER_MODULES": ["scrapers.spiders"]}))


def available_spiders() -> list[str]:
    return _spider_loader().list()


def _check_arguments(where: str, spider_cls: type, args: dict[str, str]) -> None:
    """Build the spider as `scrapy crawl -a ...` would: its own checks run now, not in a
    crawl process minutes later. Building one does no I/O."""
    missing = [a for a in getattr(spider_cls, "required_args", ()) if not args.get(a)]
    if missing:
        example = ", ".join(f"{a}: ..." for a in missing)
        raise SourcesError(f"{where}: spider {spider_cls.name} needs "
                           f"{' and '.join(f'`{a}:`' for a in missing)} "
                           f"(e.g. {{spider: {spider_cls.name}, {example}}})")
    try:
        spider_cls(**args)
    except (ValueError, TypeError) as exc:
        # Spiders word their rules for the command line ("-a start_url=..."); say it as the
        # sources file spells it.
        rule = _CLI_ARGUMENT.sub(r"\1: ", str(exc))
        raise SourcesError(f"{where}: {rule}") from exc


def _check_addresses(where: str, args: dict[str, str], allow_private: bool) -> None:
    for key, value in args.items():
        if not value.startswith(("http://", "https://")):
            continue
        host = urlparse(value).hostname or ""
        kind = host_kind(host)
        if kind == "link-local" and os.environ.get("SKILLSCOUT_ALLOW_LINK_LOCAL", "") in ("", "0"):
            raise SourcesError(f"{where}: {key} points at {host}, a link-local address (where "
                               "clouds serve instance credentials); skillscout does not crawl those "
                               "unless SKILLSCOUT_ALLOW_LINK_LOCAL=1 is set")
        if kind == "private" and not allow_private:
            raise SourcesError(f"{where}: {key} points at {host}, a private or loopback address; "
                               "add `allow_private: true` to this source if you mean to crawl it")


def parse_sources(data: Any, origin: str = "<sources>") -> list[Source]:
    if isinstance(data, dict) and "sources" in data:
        data = data["sources"]
    if not isinstance(data, list) or not data:
        raise SourcesError(f"{origin}: expected a non-empty list of sources under `sources:`")
    loader = _spider_loader()
    spiders = set(loader.list())
    out: list[Source] = []
    for n, entry in enumerate(data, 1):
        where = f"{origin}: source #{n}"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: each source is a mapping like {{spider: greenhouse, board: acme}}")
        spider = entry.get("spider")
        if not isinstance(spider, str) or spider not in spiders:
            raise SourcesError(f"{where}: unknown spider {spider!r}; available: {', '.join(sorted(spiders))}")
        where = f"{where} ({spider})"
        args = {}
        for key, value in entry.items():
            if key in _RESERVED:
                continue
            if value is None:
                raise SourcesError(f"{where}: `{key}` has no value")
            args[str(key)] = json.dumps(value) if isinstance(value, dict | list) else str(value)
        allow_private = entry.get("allow_private", False)
        if not isinstance(allow_private, bool):
            raise SourcesError(f"{where}: allow_private should be true or false")
        _check_arguments(where, loader.load(spider), args)
        _check_addresses(where, args, allow_private)
        try:
            timeout = float(entry.get("timeout", DEFAULT_TIMEOUT))
        except (TypeError, ValueError) as exc:
            raise SourcesError(f"{where}: timeout should be a number of seconds") from exc
        keep = _names(entry.get("keep"), f"{where}: keep")
        if keep is not None:
            unknown = keep - DATA_FAMILIES - {"all", "other"}
            if unknown:
                raise SourcesError(f"{where}: unknown role famil{'ies' if len(unknown) > 1 else 'y'} "
                                   f"{', '.join(sorted(unknown))}; known: all, other, "
                                   f"{', '.join(sorted(DATA_FAMILIES))}")
        keep_titles = tuple(sorted(_names(entry.get("keep_titles"), f"{where}: keep_titles") or ()))
        settings = entry.get("settings") or {}
        if not isinstance(settings, dict) or not all(isinstance(k, str) and k.isupper() for k in settings):
            raise SourcesError(f"{where}: settings should map Scrapy setting names (like DOWNLOAD_DELAY) "
                               "to values")
        out.append(Source(spider, args, str(entry.get("name") or ""), timeout,
                          frozenset(keep) if keep is not None else None, keep_titles,
                          tuple(sorted(settings.items()))))
    keys = [s.key for s in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise SourcesError(f"{origin}: sources listed twice: {', '.join(dupes)} (give one a `name:`)")
    return out


def _names(value: Any, where: str) -> set[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SourcesError(f"{where} should be a name or a list of names")
    return {v.strip().lower() for v in values if v.strip()}


def load_sources(path: str | Path) -> list[Source]:
    path = Path(path)
    try:
        data = untrusted_yaml.load(untrusted_yaml.read_text(path))
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: no such sources file") from exc
    except IsADirectoryError as exc:
        raise SourcesError(f"{path}: is a folder, not a sources file") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}{untrusted_yaml.describe(exc)}") from exc
    except untrusted_yaml.FileTooLarge as exc:
        raise SourcesError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the sources file ({exc})") from exc
    return parse_sources(data, str(path))


def source_host(source: Source) -> str | None:
    """The host a source's crawl asks first, or None where only the spider could tell."""
    url = source.args.get("api_url") or source.args.get("start_url")
    if not url:
        try:
            url = getattr(_spider_loader().load(source.spider), "api_url", "").format(**source.args)
        except (KeyError, IndexError, ValueError):
            return None
    return urlparse(url).hostname or None


def hosts_that_do_not_resolve(sources: list[Source], wait: float = 5.0) -> list[str]:
    """Every host of `sources` when none of them resolves (the machine is offline), else [].

    Checked before a crawl starts so that no network is one line in seconds, not a minute of
    crawl processes that each fail the same way. A resolver that does not answer within
    `wait` counts as no verdict: the crawl goes ahead and reports per source."""
    hosts = sorted({h for h in map(source_host, sources) if h})
    if not hosts:
        return []
    answers: dict[str, bool] = {}

    def look_up(host: str) -> None:
        try:
            socket.getaddrinfo(host, None)
            answers[host] = True
        except (OSError, UnicodeError):
            answers[host] = False

    # daemon threads: a resolver that hangs must not hold the process at exit
    threads = [threading.Thread(target=look_up, args=(h,), daemon=True) for h in hosts]
    for t in threads:
        t.start()
    deadline = time.monotonic() + wait
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    if len(answers) == len(hosts) and not any(answers.values()):
        return hosts
    return []
