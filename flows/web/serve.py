"""Starting the web app: checks first (a port that is taken, a host that exposes the app),
then the slow start-up work (the extraction pipeline, migrations), then uvicorn."""

from __future__ import annotations

import socket
from collections.abc import Callable

from flows.web.app import WebConfig, create_app
from flows.web.security import is_loopback

EXPOSED_WARNING = ("--host {host} makes the app reachable from other machines, and it has no login: anyone "
                   "who can reach it can read your matches and notes and change your statuses and profile. "
                   "Use it only on a network you trust.")


class ServeError(RuntimeError):
    """The app cannot start as asked; the message says why."""


def check_port(host: str, port: int) -> int:
    """The port to serve on (a free one for 0); ServeError when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if port and exc.errno in (98, 48, 10048):  # address in use: Linux, macOS, Windows
                raise ServeError(f"port {port} on {host} is already in use: try --port {port + 1}") from exc
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        return probe.getsockname()[1]


def exposure_warning(host: str) -> str | None:
    return None if is_loopback(host) else EXPOSED_WARNING.format(host=host)


def serve(config: WebConfig, port: int, announce: Callable[[str], None]) -> None:
    import uvicorn

    import skills

    port = check_port(config.host, port)
    app = create_app(config)
    problem = app.state.web.store.upgrade()
    if problem:
        announce(f"note: {problem}")
    skills.get_nlp()  # built once now, so the first job page does not wait for it
    shown = f"[{config.host}]" if ":" in config.host else config.host
    announce(f"skillscout serve: http://{shown}:{port}/  (database {config.db}; Ctrl-C stops it)")
    uvicorn.run(app, host=config.host, port=port, log_level="warning", server_header=False,
                proxy_headers=False)
