"""Start the slow parts of a flow run before the flow: Prefect's temporary API server (when no
server is configured) and the skill extraction pipeline.

A one-off flow run with no Prefect server first starts a temporary one: a uvicorn process that
imports the server and migrates its database, 10-20 s on a small machine, during which the
command would otherwise only wait. Started early in a thread, it comes up while this process
imports the flow, serves the demo board and builds the extraction pipeline (which the flow's
extract step would otherwise build after the crawls). The flow run itself is unchanged: it
finds the server running and uses it, as it would have after starting it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress


def start_prefect_server() -> Callable[[], None]:
    """Start the temporary server in the background; returns a function that waits until it
    is up. If it fails to start, the flow tries again itself and reports the failure."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return lambda: None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # one per process: the flow's client gets this same one

    def start() -> None:
        with suppress(Exception):  # the flow's own start() raises it, with its context
            server.start()

    thread = threading.Thread(target=start, name="prefect-server-start", daemon=True)
    thread.start()
    return thread.join


def build_extraction() -> None:
    """The extraction pipeline, built now so that the flow's extract step finds it ready."""
    import skills

    skills.get_nlp()
