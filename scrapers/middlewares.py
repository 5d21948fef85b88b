"""Downloader middlewares: polite retries, and no wandering into private networks.

`PoliteRetryMiddleware` replaces Scrapy's retry middleware: the same codes and limits, but
a retry waits first — as long as the server's `Retry-After` asks (capped), otherwise an
exponential backoff — so a struggling server gets breathing room instead of a hammering.
Only the retried request waits; the rest of the crawl carries on.

`FailureCauseMiddleware` keeps, in the crawl stats, why the last failed download failed, in
words a user can act on ("DNS lookup failed for boards-api.greenhouse.io"), so that a source
that returns nothing can say why without anyone reading its log.

`PrivateNetworkMiddleware` drops requests to anything but http(s), and to loopback,
private, link-local or reserved addresses, unless the source itself was configured on that
host (tests crawl 127.0.0.1 on purpose; a link on a scraped page to 169.254.169.254 or
localhost must not be followed). Link-local addresses, where clouds serve instance
credentials (169.254.169.254), are refused even as the configured host unless the setting
SKILLSCOUT_ALLOW_LINK_LOCAL allows them. `host_kind` is the one classification both this
middleware and the sources-file check (`flows/sources.py`) use."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlparse

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message


def retry_after_seconds(response: Response, now: datetime | None = None) -> float | None:
    """The wait a `Retry-After` header asks for: seconds, or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("SKILLSCOUT_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("SKILLSCOUT_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("SKILLSCOUT_RETRY_AFTER_MAX", 300.0)

    def wait_before_retry(self, request: Request, response: Response) -> float:
        asked = retry_after_seconds(response)
        if asked is not None:
            self.crawler.stats.inc_value("skillscout/retry_after/honoured")
            return min(asked, self.retry_after_max)
        tries = request.meta.get("retry_times", 0)
        return min(self.backoff_base * 2**tries, self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(self.wait_before_retry(request, response))
        return retry


# Cloud instance-metadata endpoints: AWS/GCP/Azure (IPv4 and AWS's IPv6), Alibaba, and GCP's name.
METADATA_HOSTS = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200",
                            "metadata.google.internal"})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def host_kind(host: str) -> str | None:
    """"link-local" (cloud metadata included), "private" (loopback, private, reserved) or
    "public" for an IP address or a well-known name; None for other names (resolve them)."""
    host = host.strip("[]").lower()
    if host in METADATA_HOSTS:
        return "link-local"
    if host == "localhost" or host.endswith(".localhost"):
        return "private"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if ip.is_link_local:
        return "link-local"
    return "public" if _is_public(host) else "private"


class PrivateNetworkMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.allowed_hosts: set[str] = set(crawler.settings.getlist("SKILLSCOUT_ALLOW_HOSTS"))
        self.allow_link_local = crawler.settings.getbool("SKILLSCOUT_ALLOW_LINK_LOCAL")
        self.verdicts: dict[str, bool] = {}
        self.link_local: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider) -> None:
        # The hosts a source is configured on are trusted, whatever their address.
        urls = [*getattr(spider, "start_urls", []), getattr(spider, "api_url", None)]
        self.allowed_hosts |= {urlparse(u).hostname for u in urls if isinstance(u, str)} - {None}

    async def _host_is_safe(self, host: str) -> bool:
        if host in self.allowed_hosts:
            return self.allow_link_local or not await self._is_link_local(host)
        if host not in self.verdicts:
            try:
                self.verdicts[host] = _is_public(host)
            except ValueError:  # a name, not an address: check where it points
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                except OSError:
                    return True  # unresolvable: let the download fail and be counted as usual
                self.verdicts[host] = all(_is_public(info[4][0]) for info in infos)
        return self.verdicts[host]

    async def _is_link_local(self, host: str) -> bool:
        """A configured host is trusted unless it is, or resolves to, a link-local address."""
        if host not in self.link_local:
            kind = host_kind(host)
            if kind is None:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                except OSError:
                    infos = []
                kind = "link-local" if any(host_kind(i[4][0]) == "link-local" for i in infos) else "other"
            self.link_local[host] = kind == "link-local"
        return self.link_local[host]

    async def process_request(self, request: Request, spider=None):
        url = urlparse(request.url)
        if url.scheme not in ("http", "https"):
            self.crawler.stats.inc_value("skillscout/blocked/scheme")
            raise IgnoreRequest(f"not following a {url.scheme}: link: {request.url}")
        if url.hostname and not await self._host_is_safe(url.hostname):
            self.crawler.stats.inc_value("skillscout/blocked/private_address")
            raise IgnoreRequest(f"not following a link into a private network: {request.url}")
        return None


FAILURE_STAT = "skillscout/failure"
# Exception class names (Scrapy's own, and the Twisted ones older Scrapy raised) → what happened.
_CAUSES = {
    "CannotResolveHostError": "DNS lookup failed for {host}",
    "DNSLookupError": "DNS lookup failed for {host}",
    "DownloadConnectionRefusedError": "connection refused by {netloc}",
    "ConnectionRefusedError": "connection refused by {netloc}",
    "DownloadTimeoutError": "no answer from {host} within {timeout}s",
    "TimeoutError": "no answer from {host} within {timeout}s",
    "TCPTimedOutError": "no answer from {host} within {timeout}s",
    "ResponseDataLossError": "{host} dropped the connection before the response was complete",
    "DownloadFailedError": "{host} dropped the connection before answering",
    "ResponseNeverReceived": "{host} dropped the connection before answering",
    "ResponseFailed": "{host} dropped the connection before answering",
    "ConnectionLost": "{host} dropped the connection before answering",
    "ConnectionDone": "{host} closed the connection before answering",
    "SSLError": "TLS handshake with {host} failed",
    "NoRouteError": "no route to {host} (is the network up?)",
}


def failure_cause(exception: BaseException, url: str, timeout: float | None = None) -> str:
    parts = urlparse(url)
    host = parts.hostname or url
    template = _CAUSES.get(type(exception).__name__)
    if template is None and type(exception).__module__.startswith("OpenSSL"):
        template = _CAUSES["SSLError"]
    if template is None:
        detail = " ".join(str(exception).split())[:160]
        return f"{type(exception).__name__} fetching {url}" + (f": {detail}" if detail else "")
    return template.format(host=host, netloc=parts.netloc or host, timeout=f"{timeout:g}" if timeout else "?")


class FailureCauseMiddleware:
    """Sits next to the downloader, so it sees every failure before retries are decided;
    the cause left in the stats is the last one."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if response.status >= 400:
            self.crawler.stats.set_value(FAILURE_STAT, f"HTTP {response.status} from {request.url}")
        return response

    def process_exception(self, request: Request, exception: BaseException, spider=None) -> None:
        timeout = request.meta.get("download_timeout", self.timeout)
        self.crawler.stats.set_value(FAILURE_STAT, failure_cause(exception, request.url, timeout))
