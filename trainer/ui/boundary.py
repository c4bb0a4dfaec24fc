"""The app's one error boundary: every page runs inside :func:`run_page`.

Whatever escapes a page (a database outage, a full or read-only disk, an out-of-range value in a
link, input nested too deep) is shown as a plain message from ``trainer.store.failures``: what
happened, that nothing from the step was saved, what to do, and a short request id. The details
go to the server's log under that id; the page shows no traceback, SQL, parameters or paths.

A page that failed because the database was down recovers by itself: besides the "Try again"
button, a small fragment asks the database every few seconds and reruns the page once it
answers. A participant who clicked during an outage is not left on an error until they reload
(the review's 12-second outage left one there for more than 30 s: her click's rerun crashed
before the page's own polling fragment was registered).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st

from trainer.store.failures import Failure, explain, log_failure
from trainer.store.readiness import database_problem

RETRY_SECONDS = 5
PENDING_KEY = "boundary_failure"  # a callback's failure, shown by the run that follows it
P = ParamSpec("P")


def run_page(run: Callable[[], None], where: str) -> None:
    """Run a page; anything it raises becomes a plain message (Streamlit's st.rerun and st.stop
    are BaseExceptions and pass through untouched)."""
    pending: Failure | None = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        show_failure(pending)  # instead of the page: its step did not happen
        return
    try:
        run()
    except Exception as exc:
        failure = explain(exc)
        _ensure_server_log()
        log_failure(failure, exc, where)
        show_failure(failure)


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback whose failure the page shows as its own.

    Streamlit runs callbacks before the page script, outside :func:`run_page`: under ``streamlit
    run app.py`` (and AppTest) what one raised reached Streamlit's traceback, and under ``trainer
    serve`` :func:`on_script_error` showed it without "Try again" or the retry after an outage.
    The failure is logged here and kept for the script run that follows the callback, which
    :func:`run_page` shows in place of the page. Use it on every callback that writes.
    """

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as exc:
            failure = explain(exc)
            _ensure_server_log()
            log_failure(failure, exc, f"the {callback.__name__} callback")
            st.session_state[PENDING_KEY] = failure

    return run


def on_script_error(exc: Exception) -> bool:
    """``st.App``'s hook (``trainer serve``): what fails outside :func:`run_page` (a fragment's own
    rerun, such as a workshop page's poll, or a widget callback) is shown the same plain way, in
    place; the fragment keeps its schedule, so it recovers on a later run by itself."""
    failure = explain(exc)
    _ensure_server_log()
    log_failure(failure, exc, "a fragment or callback")
    st.error(failure.message(), icon=":material/error:")
    return True  # Streamlit shows nothing more


def show_failure(failure: Failure) -> None:
    st.error(failure.message(), icon=":material/error:")
    st.button("Try again", key="failure_try_again", icon=":material/refresh:")  # a click reruns the page
    if failure.kind.retries_by_itself:
        retry_when_database_answers()


@st.fragment(run_every=RETRY_SECONDS)
def retry_when_database_answers() -> None:
    """Look every few seconds; rerun the whole page when the database answers again."""
    if database_problem() is None:
        st.rerun(scope="app")
    st.caption(f"Checking the database again every {RETRY_SECONDS} s…")


def _ensure_server_log() -> None:
    """Failures go to the server's stderr when nothing else configured logging."""
    logger = logging.getLogger("trainer")
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
