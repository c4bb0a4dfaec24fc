"""What ``trainer serve`` runs: the app (``streamlit_app.py``) plus the readiness route.

``streamlit run`` finds ``app = st.App(...)`` in this file and serves it through Uvicorn with
Streamlit's own routes (``/_stcore/health`` among them) and :data:`READY_PATH` beside them.
The repository's ``app.py`` (``streamlit run app.py`` for development) has no readiness route.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.routing import Route

from trainer.ui.readiness import READY_PATH, ready

app = st.App(str(Path(__file__).with_name("streamlit_app.py")), routes=[Route(READY_PATH, ready)])
