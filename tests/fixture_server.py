"""Serve a recorded source (`tests/fixtures/sources/<name>/`) on 127.0.0.1 as its real API
would, from the folder's `routes.yaml`:

    - path: /v0/postings/acme
      query: mode=json          # optional: then only this exact query string matches
      params: {what: data}      # optional: these query (or JSON body) values must match
      file: postings.json
      status: 200               # optional
      content_type: application/json
      method: POST              # optional (default GET)
      headers: {Retry-After: "1"}   # optional response headers

The first matching route wins, so query-specific routes go before a catch-all for the same
path; anything else is a 404. `{BASE}` in a file becomes the server's base URL. Unless the
routes serve their own, robots.txt allows everything."""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"
ALLOW_ALL = b"User-agent: *\nDisallow:\n"


@dataclass
class Call:
    method: str
    path: str  # path?query
    headers: dict[str, str]
    body: bytes


@dataclass
class FixtureServer:
    url: str
    requests: list[str] = field(default_factory=list)  # path?query of every request, in order
    calls: list[Call] = field(default_factory=list)  # the same with method, headers and body


def load_routes(folder: Path) -> list[dict[str, Any]]:
    return yaml.safe_load((folder / "routes.yaml").read_text(encoding="utf-8")) or []


def find_route(routes: list[dict[str, Any]], path: str, query: str, method: str = "GET",
               body: bytes = b"") -> dict[str, Any] | None:
    sent = dict(parse_qsl(query, keep_blank_values=True))
    if body.startswith(b"{"):
        sent.update({k: str(v) for k, v in json.loads(body).items()})
    for route in routes:
        if route["path"] == path and ("query" not in route or str(route["query"]) == query) and (
                route.get("method", "GET") == method) and all(
                sent.get(k) == str(v) for k, v in (route.get("params") or {}).items()):
            return route
    return None


@contextmanager
def serve_fixtures(folder: str | Path, routes: list[dict[str, Any]] | None = None
                   ) -> Iterator[FixtureServer]:
    """Serve `folder` (a path, or a name under fixtures/sources) by `routes` (default: its
    routes.yaml) until the block ends."""
    folder = Path(folder) if Path(folder).is_absolute() else SOURCES / folder
    routes = load_routes(folder) if routes is None else routes
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state = FixtureServer(f"http://127.0.0.1:{server.server_address[1]}")
    server.fixture = (folder, routes, state)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _guess_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        folder, routes, state = self.server.fixture  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state.requests.append(self.path)
        state.calls.append(Call(self.command, self.path, dict(self.headers.items()), body))
        route = find_route(routes, parts.path, parts.query, self.command, body)
        if route is None and parts.path == "/robots.txt":
            own = folder / "robots.txt"
            route = {"file": own.name} if own.exists() else None
            if route is None:
                return self._send(200, "text/plain; charset=utf-8", ALLOW_ALL)
        if route is None:
            return self._send(404, "text/plain; charset=utf-8", b"not found")
        body = (folder / route["file"]).read_bytes().replace(b"{BASE}", state.url.encode())
        content_type = route.get("content_type") or _guess_type(route["file"])
        self._send(int(route.get("status", 200)), content_type, body, route.get("headers"))

    def _send(self, status: int, content_type: str, body: bytes,
              headers: dict[str, Any] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass  # the tests assert on `requests`; stderr noise helps no one
