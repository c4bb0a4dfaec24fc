"""What ``trainer serve`` runs: the app (``streamlit_app.py``) plus the readiness route.

``streamlit run`` finds ``app = st.App(...)`` in this file and serves it through Uvicorn with
Streamlit's own routes (``/_stcore/health`` among them) and :data:`READY_PATH` beside them, and
with the error boundary's hook for failures in fragments and callbacks.
The repository's ``app.py`` (``streamlit run app.py`` for development) has no readiness route.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.routing import Route

from trainer.ui.boundary import on_script_error
from trainer.ui.readiness import READY_PATH, ready

app = st.App(
    str(Path(__file__).with_name("streamlit_app.py")),
    routes=[Route(READY_PATH, ready)],
    # Failures outside a page's own run (a fragment's rerun, a widget callback) get the same
    # plain message and request id as those inside it (trainer/ui/boundary.py).
    on_script_error=on_script_error,
)
