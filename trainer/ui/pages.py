"""The app's pages: one ``st.Page`` per page module, shared by the entry script, page links and
``switch_page``, so a page's title, icon and URL are written once.

Paths are absolute (resolved from this file), so the same objects work from the repository's
``app.py`` and from an installed package started with ``trainer serve``.

Import this module only from code that runs inside the app (pages, the entry scripts): ``st.Page``
objects made outside a running script are incomplete, and every later run in the same process
that builds the navigation from them fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import streamlit as st

from trainer.ui import heap, identity
from trainer.ui.boundary import run_page

_HERE = Path(__file__).resolve().parent


# How each shared page was made, so run_app can make a fresh copy for every run (see _fresh).
_MADE: dict[int, tuple[str, str, str, str | None]] = {}


def _page(module: str, title: str, icon: str, url_path: str | None = None) -> st.Page:
    page = _make(module, title, icon, url_path)
    _MADE[id(page)] = (module, title, icon, url_path)
    return page


def _make(module: str, title: str, icon: str, url_path: str | None, listed: bool = True) -> st.Page:
    if url_path is None:  # the default page: it is served at the root and has no url_path
        return st.Page(str(_HERE / module), title=title, icon=icon, default=True)
    visibility: Literal["visible", "hidden"] = "visible" if listed else "hidden"  # still served
    return st.Page(str(_HERE / module), title=title, icon=icon, url_path=url_path, visibility=visibility)


STUDY = _page("study.py", "Study", ":material/psychology:")
CONCEPT_MAP = _page("concept_map.py", "Concept map", ":material/hub:", "concepts")
LIBRARY = _page("library.py", "Library", ":material/menu_book:", "library")
PROGRESS = _page("progress.py", "Progress", ":material/monitoring:", "progress")
EXAM_PLAN = _page("exam_plan.py", "Exam plan", ":material/event:", "exam-plan")
EXAM = _page("exam.py", "Exam practice", ":material/timer:", "exam")
WORKSHOP_JOIN = _page("workshop.py", "Join a workshop", ":material/groups:", "workshop")
WORKSHOP_HOST = _page("workshop_host.py", "Host a workshop", ":material/co_present:", "workshop-host")
TEAMS = _page("teams.py", "Teams", ":material/diversity_3:", "teams")
PLAYGROUND = _page("playground.py", "Concurrency playground", ":material/bolt:", "playground")
SIZING = _page("sizing.py", "Subnet sizing", ":material/lan:", "sizing")
MEMORY = _page("memory.py", "Memory & cost tuner", ":material/memory:", "memory")
ALIASES = _page("aliases.py", "Aliases & canaries", ":material/call_split:", "aliases")
STREAMS = _page("streams.py", "Stream event sources", ":material/waves:", "streams")
CONNECTIONS = _page("connections.py", "Connection reuse", ":material/cable:", "connections")
ECS_SCALING = _page("ecs_scaling.py", "ECS auto scaling", ":material/stacks:", "ecs-scaling")
PROFILE = _page("profile.py", "Profile & settings", ":material/person:", "profile")
REPORTS = _page("reports.py", "Question reports", ":material/report:", "reports")

NAVIGATION = {
    "Learn": [STUDY, CONCEPT_MAP, LIBRARY, PROGRESS, EXAM_PLAN],
    "Practice": [EXAM],
    "Workshops": [WORKSHOP_JOIN, WORKSHOP_HOST, TEAMS],
    "Explainers": [PLAYGROUND, ECS_SCALING, SIZING, ALIASES, MEMORY, STREAMS, CONNECTIONS],
    "You": [PROFILE, REPORTS],
}

# The explainer pages by the name content YAML uses in ``explainer: {page: …}``.
EXPLAINERS = {
    "playground": PLAYGROUND,
    "sizing": SIZING,
    "aliases": ALIASES,
    "memory": MEMORY,
    "streams": STREAMS,
    "connections": CONNECTIONS,
    "ecs-scaling": ECS_SCALING,
}


# The favicon is a file of the package, served by the app itself: a ":material/…" icon would be
# fetched from fonts.gstatic.com on every load, and an offline server would show none.
FAVICON = _HERE / "favicon.png"
# Query parameters that mean something on one page only. Streamlit keeps the query string when
# the menu switches pages, so an exam's ``?attempt=5`` would otherwise follow the learner to
# ``/library?attempt=5``.
PAGE_PARAMS = {"attempt": "exam", "join": "teams"}


def drop_other_pages_params(url_path: str) -> None:
    for param, owner in PAGE_PARAMS.items():
        if param in st.query_params and url_path != owner:
            del st.query_params[param]


def _fresh(
    navigation: dict[str, list[st.Page]], unlisted: frozenset[str] = frozenset()
) -> dict[str, list[st.Page]]:
    """New ``st.Page`` objects for one run, made like the shared ones (same file, title, icon and
    URL, so links and ``switch_page`` with the shared objects still match). ``st.navigation`` marks
    the page it returns as runnable and ``page.run()`` unmarks it: on objects shared by every
    session, two sessions starting at once (a workshop room joining together) race on that mark
    and one fails with "This page cannot be called directly". Pages whose URL path is in
    ``unlisted`` are left out of the menu (still served: they refuse in words)."""
    return {
        section: [_make(*_MADE[id(page)], listed=_MADE[id(page)][3] not in unlisted) for page in pages]
        for section, pages in navigation.items()
    }


def run_app() -> None:
    """Configure the page and run the navigation: the whole of an entry script."""
    st.set_page_config(page_title="ECS & Lambda Trainer", page_icon=str(FAVICON), layout="wide")
    # Expanded: with six explainers the menu passes Streamlit's default of ten entries, which
    # would hide the later sections (Profile & settings among them) behind "View more".
    # A participant holding a workshop seat sees the quiz and nothing else (on a phone the menu
    # only gets in the way); leaving the room brings the menu back. The key is the workshop
    # page's SEAT (trainer/ui/workshop.py, which cannot be imported here: it is a page).
    # With sign-in on, nobody signed in sees no menu (only the sign-in screen, or the workshop
    # page for a guest), and the menu leaves out the pages the person's role cannot open.
    hidden = st.session_state.get("workshop_seat") is not None or identity.signed_out()
    page = st.navigation(
        _fresh(NAVIGATION, identity.unlisted_pages()),
        position="hidden" if hidden else "sidebar",
        expanded=True,
    )
    drop_other_pages_params(page.url_path)
    # With sign-in configured nobody sees a page before signing in (but the workshop join page,
    # for guests); the sidebar says who is signed in (with Sign out) or, in local mode, that
    # anyone can use any profile.
    identity.gate(page.url_path, WORKSHOP_JOIN)
    identity.sidebar()
    # One error boundary around every page: plain words and a request id, never a traceback.
    run_page(page.run, where=page.url_path or "study")
    # After the page, so what it imported is frozen too: Streamlit's full collection after each
    # run then walks only what the run allocated (trainer/ui/heap.py), on every page.
    heap.keep_collections_cheap()
