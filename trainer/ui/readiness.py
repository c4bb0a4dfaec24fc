"""The readiness check ``trainer serve`` answers at ``/_trainer/ready``, beside Streamlit's routes.

``/_stcore/health`` is Streamlit's own and stays so: it says the web server is up, and stayed
``ok`` through a whole PostgreSQL outage and a hung content load. A proxy or an orchestrator
that should send people only to servers that can serve them asks this route instead:

- 200 ``{"ready": true, ...}`` when the database answers a query and the content bank loaded;
- 503 ``{"ready": false, ...}`` otherwise, saying which of the two is missing.

The body names no host, URL or path (anyone who can reach the server can ask); the reason goes
to the server's log. Streamlit 1.67 serves through Starlette, and ``st.App(routes=...)`` adds
routes next to its own (``trainer/ui/entry/serve_app.py``). This module imports only the core,
never ``trainer.ui.pages``: ``st.Page`` objects made outside a running script break the app.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import JSONResponse

from trainer.content.loader import load_bank
from trainer.store.readiness import database_problem

READY_PATH = "/_trainer/ready"
LOG = logging.getLogger("trainer.readiness")


@lru_cache(maxsize=1)
def _bank_cards() -> int:
    """The content loads (once per process; the pages load their own copy when first visited)."""
    return len(load_bank().cards)


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether this server can serve people, and each part's state in words without details."""
    parts: dict[str, str] = {}
    problem = database_problem()
    if problem:
        LOG.warning("not ready: %s", problem)
    parts["database"] = "unavailable" if problem else "ok"
    cards = _bank_cards()
    parts["content"] = f"{cards} cards" if cards else "no cards loaded"
    return not problem and cards > 0, parts


def ready(_request: Request) -> JSONResponse:
    """The route: Starlette runs a plain function in its thread pool, off the event loop."""
    ok, parts = readiness()
    return JSONResponse({"ready": ok, **parts}, status_code=200 if ok else 503)
