"""Exam practice page: timed mock exams, review mode, drills; results, history and readiness.

The attempt on screen is named in the URL (``?attempt=ID``), so a refresh shows it again; with
no attempt named, an exam in progress is resumed automatically. Everything else is in the
database (see ``trainer.exams.attempts``): a refresh, a closed tab or a server restart loses
nothing, and the deadline is enforced there, not by the countdown shown here.

This script only picks the screen; the screens are ``exam_start`` (start, history),
``exam_question`` (the exam in progress) and ``exam_results`` (score and review), sharing
``exam_common``.
"""

from __future__ import annotations

import streamlit as st

from trainer.exams.attempts import Exams
from trainer.exams.rules import AttemptStatus, ExamError
from trainer.study.queue import settings_for
from trainer.ui import common, identity
from trainer.ui.exam_common import ExamPage, open_attempt, state
from trainer.ui.exam_question import exam_screen
from trainer.ui.exam_results import results_screen
from trainer.ui.exam_start import start_screen


def send_mistakes_to_study(page: ExamPage) -> None:
    """Wrong answers make the linked cards due soon (once per finished attempt)."""
    pending = page.exams.unmarked()
    if pending:
        study = common.study_for(page.profile)
        for attempt_id in pending:
            page.exams.follow_up(attempt_id, study.mark_for_review)


def attempt_from_url(exams: Exams) -> int | None:
    """The attempt to show: the URL's, else the one in progress or the one that just timed out;
    None for the start screen, -1 for a link that names no attempt."""
    raw = st.query_params.get("attempt")
    if raw is None:
        if state.get("exam_home"):
            return None
        expired = exams.expire_overdue()
        current = exams.current()
        chosen = current.id if current else (expired[-1] if expired else None)
        if chosen is not None:
            st.query_params["attempt"] = str(chosen)
        return chosen
    try:
        return int(raw)
    except ValueError:
        return -1


def main() -> None:
    st.title(":material/timer: Exam practice")
    content = common.bank()
    common.show_skipped_files(content)
    profile = common.require_profile()
    common.sidebar_profile(profile)
    assert profile.id is not None  # a stored profile always has its id
    exams = Exams(common.engine(), profile.id, actor=identity.current_actor())
    page = ExamPage(content, profile, exams, settings_for(profile).zone)

    attempt_id = attempt_from_url(exams)
    send_mistakes_to_study(page)
    if attempt_id is None:
        start_screen(page)
        return
    try:
        attempt = exams.load(attempt_id)
    except ExamError as exc:
        message = str(exc) if attempt_id > 0 else "This link does not name an exam attempt."
        st.error(message, icon=":material/block:")
        if st.button("Back to exam practice", key="exam_back_error", icon=":material/arrow_back:"):
            open_attempt(None)
        return
    if attempt.status.finished and attempt.cards_marked is None:
        send_mistakes_to_study(page)
        attempt = exams.load(attempt_id)
    if attempt.is_open:
        state.pop("exam_home", None)
        exam_screen(page, attempt)
    elif attempt.status is AttemptStatus.ABANDONED:
        st.info("This attempt was abandoned: it has no result.", icon=":material/delete:")
        if st.button("Back to exam practice", key="exam_back_abandoned", icon=":material/arrow_back:"):
            open_attempt(None)
    else:
        results_screen(page, attempt)


main()
