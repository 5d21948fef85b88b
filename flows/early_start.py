"""Start the slow parts of a flow run before the flow: Prefect's temporary API server (when no
server is configured) and the skill extraction pipeline.

A one-off flow run with no Prefect server first starts a temporary one: a uvicorn process that
imports the server and migrates its database, 10-20 s on a small machine, during which the
command would otherwise only wait. Started early in a thread, it comes up while this process
imports the flow, serves the demo board and builds the extraction pipeline (which the flow's
extract step would otherwise build after the crawls). The flow run itself is unchanged: it
finds the server running and uses it, as it would have after starting it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


def start_prefect_server() -> Callable[[], None]:
    """Start the temporary server in the background; returns a function that waits until it
    is up. If it fails to start, the flow tries again itself and reports the failure."""
    # What flows/flow.py sets before Prefect reads its settings: they are read once, here now.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return lambda: None
    # Imported here, not in the thread: Prefect's modules import each other lazily, and two
    # threads importing them at once can find one half made.
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # one per process: the flow's client gets this same one
    timeout = int(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))

    def start() -> None:
        try:
            server.start(timeout=timeout)
        except Exception:  # the flow's own start() tries again and raises it, with its context
            # Prefect leaves a server that did not answer in time running; the flow would
            # start a second one and nothing would ever stop the first.
            server.stop()

    thread = threading.Thread(target=start, name="prefect-server-start", daemon=True)
    thread.start()
    return thread.join


def build_extraction() -> None:
    """The extraction pipeline, built now so that the flow's extract step finds it ready."""
    import skills

    skills.get_nlp()
