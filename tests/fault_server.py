"""A local server that fails the ways real servers do, and remembers every request.

Routes (all under http://127.0.0.1:PORT):
- /v1/boards/flaky/jobs       500 for the first `fail_times` requests, then a Greenhouse board
- /v1/boards/limited/jobs     429 with Retry-After: 1 once, then the board
- /v1/boards/hang/jobs        never answers (until the server stops)
- /v1/boards/truncated/jobs   JSON cut off halfway
- /v1/boards/dropped/jobs     the connection closed without an answer
- /v1/boards/huge/jobs        a board whose second ad is 5 MB of text
- /v1/boards/escape/jobs      redirects to http://127.0.0.2:PORT/secret (another loopback host)
- /v1/boards/<any>            the board's name (so Greenhouse spiders get going)
- /site/                      a listing linking the pages below
- /site/good.html             a JSON-LD job page
- /site/latin1.html           a JSON-LD job page encoded as ISO-8859-1
- /site/big.html              20 MB of HTML
- /site/loop-a, /site/loop-b  redirect to each other forever
- /site/escape                redirects to http://127.0.0.2:PORT/secret (another loopback host)
- /site/slow/<n>.html         a job page served after a short delay (for interrupted crawls)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


def job_page(title: str, ident: str, extra: str = "") -> str:
    data = {"@context": "https://schema.org", "@type": "JobPosting", "title": title,
            "identifier": {"@type": "PropertyValue", "value": ident},
            "hiringOrganization": {"@type": "Organization", "name": "Fault Lines Ltd"},
            "jobLocation": {"@type": "Place",
                            "address": {"addressLocality": "Leeds", "addressCountry": "GB"}},
            "datePosted": "2026-11-01", "employmentType": "FULL_TIME",
            "description": f"<p>{title}</p><h3>Requirements</h3><ul><li>Python and SQL</li></ul>"}
    return (f"<html><head><meta charset='utf-8'><script type='application/ld+json'>{json.dumps(data)}"
            f"</script></head><body><h1>{title}</h1>{extra}</body></html>")


def board(n: int = 2) -> dict[str, Any]:
    return {"jobs": [{"id": 1000 + i, "title": f"Data Engineer {i}", "absolute_url": f"https://x.example/{i}",
                      "location": {"name": "Leeds, UK"}, "updated_at": "2026-11-01T09:00:00Z",
                      "content": "&lt;p&gt;Python&lt;/p&gt;"} for i in range(n)], "meta": {"total": n}}


class FaultServer:
    def __init__(self, fail_times: int = 2, slow_pages: int = 0, slow_delay: float = 0.0) -> None:
        self.fail_times = fail_times
        self.slow_pages = slow_pages
        self.slow_delay = slow_delay
        self.requests: list[tuple[float, str]] = []
        self.counts: dict[str, int] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.secret_url = ""  # another loopback host the crawl must not be redirected to

    def hits(self, path: str) -> list[float]:
        return [t for t, p in self.requests if p == path]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
                     headers: dict[str, str] | None = None) -> None:
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server.lock:
                    server.requests.append((time.monotonic(), path))
                    n = server.counts[path] = server.counts.get(path, 0) + 1
                if path == "/robots.txt":
                    return self.send(200, "User-agent: *\nAllow: /\n", "text/plain")
                if path == "/v1/boards/flaky/jobs":
                    if n <= server.fail_times:
                        return self.send(500, "oops")
                    return self.send(200, json.dumps(board()), "application/json")
                if path == "/v1/boards/limited/jobs":
                    if n == 1:
                        return self.send(429, "slow down", headers={"Retry-After": "1"})
                    return self.send(200, json.dumps(board()), "application/json")
                if path == "/v1/boards/hang/jobs":
                    server.stop.wait(60)
                    return None
                if path == "/v1/boards/escape/jobs":
                    return self.send(302, "", headers={"Location": f"{server.secret_url}/secret"})
                if path == "/v1/boards/dropped/jobs":
                    self.close_connection = True  # hang up without a status line
                    return None
                if path == "/v1/boards/huge/jobs":
                    jobs = board(3)
                    jobs["jobs"][1]["content"] = "&lt;p&gt;" + "Python and SQL for our data team. " * 150_000
                    return self.send(200, json.dumps(jobs), "application/json")
                if path == "/v1/boards/truncated/jobs":
                    return self.send(200, json.dumps(board())[:40], "application/json")
                if path.startswith("/v1/boards/"):
                    return self.send(200, json.dumps({"name": "Fault Lines Ltd"}), "application/json")
                if path == "/site/":
                    links = ["good.html", "latin1.html", "big.html", "loop-a", "escape",
                             *(f"slow/{i}.html" for i in range(server.slow_pages))]
                    odd = '<a href="file:///etc/passwd">x</a><a href="javascript:alert(1)">y</a>'
                    return self.send(200, odd + "".join(f'<a href="/site/{x}">{x}</a>' for x in links))
                if path == "/site/good.html":
                    return self.send(200, job_page("Good Data Analyst", "good"))
                if path == "/site/latin1.html":
                    return self.send(200, job_page("Analyste de données à Montréal", "latin1").encode(
                        "latin-1").replace(b"charset='utf-8'", b"charset='iso-8859-1'"),
                        "text/html; charset=iso-8859-1")
                if path == "/site/big.html":
                    return self.send(200, b"<html><body>" + b"x" * (20 * 1024 * 1024) + b"</body></html>")
                if path in ("/site/loop-a", "/site/loop-b"):
                    target = "/site/loop-b" if path.endswith("a") else "/site/loop-a"
                    return self.send(302, "", headers={"Location": target})
                if path == "/site/escape":
                    return self.send(302, "", headers={"Location": f"{server.secret_url}/secret"})
                if path.startswith("/site/slow/"):
                    time.sleep(server.slow_delay)
                    ident = path.rsplit("/", 1)[-1].removesuffix(".html")
                    return self.send(200, job_page(f"Slow Job {ident}", f"slow-{ident}"))
                return self.send(404, "not found")

        return Handler


@contextmanager
def serve_faults(**kwargs: Any) -> Iterator[tuple[str, FaultServer]]:
    faults = FaultServer(**kwargs)
    # The same handler on 127.0.0.2 too, so a followed "escape" redirect would show up in
    # faults.requests as a hit on /secret.
    servers = [ThreadingHTTPServer((host, 0), faults.handler()) for host in ("127.0.0.1", "127.0.0.2")]
    for httpd in servers:
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    faults.secret_url = f"http://127.0.0.2:{servers[1].server_address[1]}"
    try:
        yield f"http://127.0.0.1:{servers[0].server_address[1]}", faults
    finally:
        faults.stop.set()
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
