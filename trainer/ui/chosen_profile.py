"""Which profile this browser studies as: remembered in a cookie, so it survives reloads, new
tabs and deep links (``/exam?attempt=5`` after F5 shows the running exam, not a picker).

This is the one place that knows how the choice is kept; when sign-in comes, it replaces this
module and nothing else. The choice is a convenience, not a credential: anyone can pick any
profile in the picker, and the cookie holds nothing more (the profile's id).

Streamlit reads cookies (``st.context.cookies``, sent with the page's first request) but has no
call to set one, so :func:`keep_in_browser` renders a two-line script that sets it in the page.
Within one browser session the choice lives in ``st.session_state``; the cookie is read only
when the session has none (a reload, a new tab, a link).
"""

from __future__ import annotations

import streamlit as st

COOKIE = "trainer_profile"
SESSION_KEY = "profile_id"
# A year: long enough that people never notice, short enough to expire on a machine left behind.
MAX_AGE_S = 365 * 24 * 3600
_FORGOTTEN = "profile_forgotten"  # set once the session dropped the remembered choice


def browser_cookie() -> str:
    """The cookie's value as this session's first request carried it ("" without one)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) else ""  # AppTest's context answers with a mock


def chosen_id() -> int | None:
    """The profile id chosen in this session, else the one this browser remembered."""
    pid = st.session_state.get(SESSION_KEY)
    if pid is not None:
        return int(pid)
    if st.session_state.get(_FORGOTTEN):
        return None
    raw = browser_cookie()
    if raw.isdigit():
        return int(raw)
    return None


def choose(profile_id: int) -> None:
    """Study as this profile from now on, in this session and (see keep_in_browser) this browser."""
    st.session_state[SESSION_KEY] = profile_id
    st.session_state.pop(_FORGOTTEN, None)


def forget() -> None:
    """No profile chosen (e.g. it was deleted): the next page shows the picker."""
    st.session_state.pop(SESSION_KEY, None)
    st.session_state[_FORGOTTEN] = True


def keep_in_browser() -> None:
    """Make the browser's cookie agree with this session's choice (a script only when it differs).

    Call it once per run of a page that shows a profile (the sidebar does). The cookie Streamlit
    reports is the one sent with this session's first request, so once the choice differs from
    it the same small element is rendered on every run: Streamlit keeps an unchanged element
    mounted, so the script runs once per change, and a run cut short by ``st.rerun`` cannot
    lose the write.
    """
    wanted = st.session_state.get(SESSION_KEY)
    if wanted is None and not st.session_state.get(_FORGOTTEN):
        return
    value = "" if wanted is None else str(int(wanted))
    if browser_cookie() == value:
        return
    age = MAX_AGE_S if value else 0
    # The value is an integer or empty: nothing a user typed reaches this script.
    st.html(
        f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={age}; samesite=lax';</script>",
        unsafe_allow_javascript=True,
    )
