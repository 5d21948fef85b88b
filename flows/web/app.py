"""`skillscout serve`: the ranked jobs, the evidence in each ad, application tracking, what
to learn next, trends, crawl health and the profile, as server-rendered pages that work
without JavaScript, each with a JSON twin under /api/.

Handlers are plain functions that Starlette runs in a thread each: they parse the request,
ask flows/web/pages.py (which asks pipeline/) for the data, and render it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from flows.web import pages, profile_file
from flows.web.profile_file import ProfileFile, ProfileState
from flows.web.security import (
    CSRF_FIELD,
    Csrf,
    SecurityMiddleware,
    allowed_hosts,
    check_csrf,
    local_path,
    safe_url,
)
from flows.web.store import Busy, NoDatabase, Store
from pipeline.paths import default_profile_path
from pipeline.profile import ProfileError
from pipeline.query import NoSuchJob
from pipeline.status import StatusError, set_status
from skills.taxonomy import Taxonomy, load_taxonomy

HERE = Path(__file__).resolve().parent
MAX_FORM_BYTES = 1_100_000  # a profile is at most 1 MB; nothing else we take comes close


@dataclass
class WebConfig:
    db: Path
    profile: Path | None = None  # None: the user's saved profile, else the bundled example
    host: str = "127.0.0.1"
    user_profile: Path | None = None  # where a profile saved from the browser goes


class Web:
    """What every request needs: the store, the profile file, the CSRF secret, templates."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.store = Store(config.db)
        self.profiles = ProfileFile(config.profile, config.user_profile or default_profile_path())
        self.csrf = Csrf()
        self.taxonomy: Taxonomy = load_taxonomy()
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(safe_url=safe_url, when=_when, day=_day, score=_score, pct=_pct)

    def page(self, request: Request, template: str, data: dict[str, Any], state: ProfileState | None,
             status_code: int = 200) -> HTMLResponse:
        html = self.env.get_template(template).render(
            **data, request=request, path=request.url.path, state=state, db=self.config.db,
            csrf_field=CSRF_FIELD, csrf_token=request.state.csrf_token)
        return HTMLResponse(html, status_code=status_code)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _day(value: datetime | date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def to_json(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_json(value.to_dict() if hasattr(value, "to_dict") else asdict(value))
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _json(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(json.loads(json.dumps(to_json(data), default=str)), status_code=status_code)


def _web(request: Request) -> Web:
    return request.app.state.web


# --- pages --------------------------------------------------------------------------------------

def _guarded(template: str):
    """Run a page's data function, turning an absent or busy database into a page that says
    so (JSON under /api/), the same for every page."""

    def wrap(build):
        def endpoint(request: Request) -> Response:
            web = _web(request)
            state = web.profiles.current()
            api = request.url.path.startswith("/api/")
            try:
                data = build(request, web, state)
            except NoDatabase:
                message = (f"No database yet at {web.config.db}. Run `skillscout demo` (the bundled demo "
                           "board) or `skillscout crawl`, then reload.")
                if api:
                    return _json({"error": message, "state": "no-database"}, 503)
                return web.page(request, "message.html", {"title": "No jobs yet", "message": message,
                                                          "kind": "empty"}, state)
            except Busy:
                message = ("The database is busy: a crawl is loading jobs into it right now. This page works "
                           "again as soon as the load finishes; reload in a few seconds.")
                if api:
                    return _json({"error": message, "state": "busy"}, 503)
                response = web.page(request, "message.html", {"title": "Busy", "message": message,
                                                              "kind": "busy"}, state, 503)
                response.headers["Retry-After"] = "5"
                return response
            except NoSuchJob as exc:
                if api:
                    return _json({"error": str(exc)}, 404)
                return web.page(request, "message.html", {"title": "No such job", "message": str(exc),
                                                          "kind": "missing"}, state, 404)
            if isinstance(data, Response):
                return data
            if api:
                return _json({**data, "profile": _profile_json(state)})
            return web.page(request, template, data, state)

        return endpoint

    return wrap


def _profile_json(state: ProfileState) -> dict[str, Any]:
    return {"path": str(state.path), "key": state.key, "example": state.is_example, "missing": state.missing,
            "error": str(state.error) if state.error else None,
            "error_line": state.error.line if state.error else None, "warnings": state.warnings}


@_guarded("index.html")
def index(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    filters = pages.parse_filters(request.query_params, state.profile, web.taxonomy)
    with web.store.reading() as con:
        data = pages.matches_page(con, state, filters, web.taxonomy)
    if request.url.path.startswith("/api/"):
        return {"matches": data["listing"], "errors": filters.errors, "filters": filters.raw}
    return data


@_guarded("job.html")
def job(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    with web.store.reading() as con:
        data = pages.job_page(con, state, request.path_params["job_id"], web.taxonomy)
    if request.url.path.startswith("/api/"):
        e = data["evidence"]
        return {"job": data["job"], "skills": [{"name": s, "required": r} for s, r in data["job"]["skills"]],
                "evidence": e, "match": data["listed"], "status": data["status"],
                "status_history": data["status_history"], "history": data["history"]}
    return data


@_guarded("statuses.html")
def applications(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    with web.store.reading() as con:
        return pages.applications_page(con, state)


@_guarded("learn.html")
def learn(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    asked = request.query_params.getlist("learn")
    wanted = list(dict.fromkeys(w.strip() for v in asked for w in v.split(",") if w.strip()))[:20]
    with web.store.reading() as con:
        data = pages.learn_page(con, state, wanted, web.taxonomy)
    if request.url.path.startswith("/api/"):
        report = data["report"]
        return {"gaps": report.gaps if report else [], "path": report.path if report else [],
                "what_if": data["what_if"], "errors": data["errors"]}
    return data


@_guarded("trends.html")
def trends(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    with web.store.reading() as con:
        data = pages.trends_page(con, request.query_params, web.taxonomy)
    if request.url.path.startswith("/api/"):
        return {"trends": data["trends"], "errors": data["errors"]}
    return data


@_guarded("sources.html")
def sources(request: Request, web: Web, state: ProfileState) -> dict[str, Any]:
    with web.store.reading() as con:
        return pages.sources_page(con)


def profile(request: Request) -> Response:
    web = _web(request)
    state = web.profiles.current()
    if request.url.path.startswith("/api/"):
        parsed = state.profile
        return _json({**_profile_json(state), "text": web.profiles.text(state),
                      "skills": parsed.skills if parsed else None})
    saved = request.query_params.get("saved") == "1"
    return web.page(request, "profile.html", {"text": web.profiles.text(state), "error": state.error,
                                              "saved": saved}, state)


async def _form(request: Request) -> dict[str, str] | Response:
    web = _web(request)
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return _refuse(request, web, "The form is too large.", 413)
    form = await request.form(max_part_size=MAX_FORM_BYTES)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    if not check_csrf(request, web.csrf, values.get(CSRF_FIELD)):
        return _refuse(request, web, "This form has expired (the server restarted, or the page came from "
                                     "somewhere else). Go back, reload the page and try again.", 403)
    return values


def _refuse(request: Request, web: Web, message: str, code: int) -> Response:
    return web.page(request, "message.html", {"title": "Not saved", "message": message, "kind": "error"},
                    web.profiles.current(), code)


async def save_profile(request: Request) -> Response:
    form = await _form(request)
    if isinstance(form, Response):
        return form
    web = _web(request)
    state = web.profiles.current()
    text = form.get("text", "")
    try:
        profile_file.check(text, state.save_path)
    except ProfileError as exc:
        return web.page(request, "profile.html", {"text": text, "error": exc, "saved": False}, state, 400)
    profile_file.save(text, state.save_path)
    return RedirectResponse("/profile?saved=1", status_code=303)


async def post_status(request: Request) -> Response:
    form = await _form(request)
    if isinstance(form, Response):
        return form
    web = _web(request)
    state = web.profiles.current()
    job_id = request.path_params["job_id"]
    try:
        from starlette.concurrency import run_in_threadpool

        def write() -> None:
            with web.store.writing() as con:
                set_status(con, state.key, job_id, form.get("status", ""), form.get("note"))

        await run_in_threadpool(write)
    except (StatusError, NoSuchJob) as exc:
        return web.page(request, "message.html", {"title": "Not saved", "message": str(exc), "kind": "error"},
                        state, 404 if isinstance(exc, NoSuchJob) else 400)
    except Busy:
        return web.page(request, "message.html", {
            "title": "Not saved yet", "kind": "busy",
            "message": "The database is busy: a crawl is loading jobs into it. Your status was not saved: "
                       "go back and send it again in a few seconds."}, state, 503)
    except NoDatabase:
        return web.page(request, "message.html", {"title": "Not saved", "kind": "empty",
                                                  "message": "There is no database yet."}, state, 503)
    return RedirectResponse(local_path(form.get("next"), f"/jobs/{job_id}"), status_code=303)


async def no_icon(request: Request) -> Response:
    # Browsers ask for /favicon.ico on pages without a <link rel=icon> (the JSON ones): an empty
    # answer instead of a 404 in their console.
    return Response(status_code=204)


def create_app(config: WebConfig) -> Starlette:
    routes = [
        Route("/", index), Route("/api/matches", index),
        Route("/jobs/{job_id}", job), Route("/api/jobs/{job_id}", job),
        Route("/jobs/{job_id}/status", post_status, methods=["POST"]),
        Route("/statuses", applications), Route("/api/statuses", applications),
        Route("/learn", learn), Route("/api/learn", learn),
        Route("/trends", trends), Route("/api/trends", trends),
        Route("/sources", sources), Route("/api/sources", sources),
        Route("/profile", profile), Route("/profile", save_profile, methods=["POST"]),
        Route("/api/profile", profile), Route("/favicon.ico", no_icon),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    web = Web(config)
    app = Starlette(routes=routes)
    app.state.web = web
    app.add_middleware(SecurityMiddleware, csrf=web.csrf, hosts=allowed_hosts(config.host))
    return app
