"""What keeps the local app safe to run beside a web browser that also visits other sites.

- Every response forbids scripts (the app has none), framing, and loading anything from
  another origin (Content-Security-Policy), and sends no referrer to the job sites it
  links to (Referrer-Policy same-origin; "no-referrer" would make Chromium send `Origin: null`
  on our own form posts, which the Origin check must refuse).
- Every POST carries a CSRF token: a random id in a SameSite=Strict cookie, and the form
  field is an HMAC of that id under a secret made when the server starts. Another site can
  neither read the field nor compute it, even if it manages to set a cookie for localhost
  (cookies are not isolated by port). A POST from another origin is refused outright.
- The Host header must name this server, so a page on another domain that re-points its
  name at 127.0.0.1 (DNS rebinding) cannot read the app as its own origin.
- Links out are http(s) only: a scraped `javascript:` or `data:` URL is shown as text."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp

CSRF_COOKIE = "skillscout_csrf"
CSRF_FIELD = "csrftoken"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def host_name(header: str | None) -> str:
    """The name in a Host header, without its port ("[::1]:8000" → "[::1]")."""
    header = (header or "").strip().lower()
    if header.startswith("["):
        return header.split("]")[0] + "]"
    return header.rsplit(":", 1)[0]


def allowed_hosts(bind_host: str) -> list[str] | None:
    """Host header names to accept, or None for any (bound to every interface)."""
    if bind_host in ("0.0.0.0", "::", ""):
        return None
    return sorted({*LOOPBACK_NAMES, bind_host})


def safe_url(url: object) -> str | None:
    """The URL when it is an http(s) link with a host, else None (shown as text)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def local_path(target: str | None, default: str = "/") -> str:
    """A redirect target on this server only (`/...`, never `//host` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class Csrf:
    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def token(self, cookie_id: str) -> str:
        return hmac.new(self.secret, cookie_id.encode(), hashlib.sha256).hexdigest()

    def valid(self, cookie_id: str | None, token: str | None) -> bool:
        return bool(cookie_id and token) and hmac.compare_digest(self.token(cookie_id), token)


class SecurityMiddleware(BaseHTTPMiddleware):
    """Headers on every response, Host and Origin checks, and the CSRF cookie."""

    def __init__(self, app: ASGIApp, csrf: Csrf, hosts: list[str] | None) -> None:
        super().__init__(app)
        self.csrf = csrf
        self.hosts = hosts

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if self.hosts is not None and host_name(request.headers.get("host")) not in self.hosts:
            return self._secure(PlainTextResponse("Unknown host: open this app at the address "
                                                  "`skillscout serve` printed.", status_code=400))
        if request.method not in ("GET", "HEAD", "OPTIONS") and not self._same_origin(request):
            return self._secure(PlainTextResponse("Refused: the request came from another site.",
                                                  status_code=403))
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = cookie is None or len(cookie) > 100
        request.state.csrf_id = secrets.token_urlsafe(24) if fresh else cookie
        request.state.csrf_token = self.csrf.token(request.state.csrf_id)
        response = await call_next(request)
        if fresh:
            response.set_cookie(CSRF_COOKIE, request.state.csrf_id, httponly=True, samesite="strict",
                                path="/")
        return self._secure(response)

    @staticmethod
    def _same_origin(request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None:
            return True  # no Origin (curl, old browsers): the CSRF token decides
        return urlsplit(origin).netloc == request.headers.get("host")  # "null" origins fail too

    @staticmethod
    def _secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def check_csrf(request: Request, csrf: Csrf, token: str | None) -> bool:
    return csrf.valid(request.cookies.get(CSRF_COOKIE), token)
