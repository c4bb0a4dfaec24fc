"""Entry script of the installed app (``trainer serve``); the repository's ``app.py`` is its twin.

Streamlit runs this file as ``__main__`` on every rerun; everything it shows comes from
``trainer.ui.pages``.
"""

from __future__ import annotations

from trainer.ui.pages import run_app

run_app()
