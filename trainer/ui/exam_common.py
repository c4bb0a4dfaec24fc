"""What every screen of the Exam practice page shares: the page's context, formatting, moving
between screens, and the pieces that show a question's options, explanations and report form.

The page script (``trainer/ui/exam.py``) builds one :class:`ExamPage` per run and hands it to
the screens, so the helper modules keep no per-session state of their own (Streamlit imports
them once per process, not once per run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from trainer.access.permissions import AccessDenied
from trainer.content.model import Bank
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.exams.attempts import Exams
from trainer.exams.reports import report_problem
from trainer.exams.rules import MAX_REPORT_CHARS, PASS_RAW_ANCHOR, PASS_SCALED, ExamError, ExamSpec, describe
from trainer.store.tables import Profile
from trainer.ui import common, identity

# Study and Exam show questions alike (review defect 24): one wording, one way to mark options,
# kept in ui.common and used by the exam screens through this module.
from trainer.ui.common import NUMBER_WORDS, choose_text, option_explanations  # noqa: F401
from trainer.ui.plain import plain

SCALE_NOTE = (
    "The scaled score is an **estimate**: AWS does not publish how it converts raw scores to its "
    f"100–1000 scale. Here {PASS_RAW_ANCHOR:.0%} correct maps to the {PASS_SCALED} pass line, "
    "0 % to 100 and 100 % to 1000, linearly in between."
)

state = st.session_state


@dataclass(frozen=True)
class ExamPage:
    """One run of the page: the question bank, the learner, their exam store and time zone."""

    bank: Bank
    profile: Profile
    exams: Exams
    zone: ZoneInfo

    def when(self, value: datetime | None) -> str:
        """A date and time in the learner's time zone (Profile & settings)."""
        return value.astimezone(self.zone).strftime("%a %d %b %Y, %H:%M") if value else ""

    def title_of(self, spec: ExamSpec) -> str:
        """The attempt's label, with topic and concept names from the bank where it still has them."""
        if spec.kind == "topic" and spec.topic:
            return f"Drill · {self.bank.topic_title(spec.topic)}"
        if spec.kind == "concept" and spec.concept in self.bank.concepts:
            return f"Drill · {self.bank.concepts[spec.concept].name}"
        return describe(spec)


# -- formatting -----------------------------------------------------------------------------------------


def clock(delta: timedelta | None) -> str:
    seconds = max(0, int((delta or timedelta(0)).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def duration(ms: float) -> str:
    seconds = int(round(ms / 1000))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def letters(indexes: Iterable[int]) -> str:
    return ", ".join(LETTERS[i] for i in indexes) or "no answer"


# -- moving between screens ---------------------------------------------------------------------------


def open_attempt(attempt_id: int | None) -> None:
    """Show an attempt (or, with None, the start screen) and rerun."""
    state.pop("exam_confirm", None)
    if attempt_id is None:
        st.query_params.pop("attempt", None)
        state["exam_home"] = True
    else:
        st.query_params["attempt"] = str(attempt_id)
        state.pop("exam_home", None)
    st.rerun()


def go_home() -> None:
    """Button callback: back to the start screen on the next run."""
    st.query_params.pop("attempt", None)
    state["exam_home"] = True


def flash(kind: str, message: str) -> None:
    """A message shown on the next run (callbacks run before the page is drawn)."""
    state["exam_flash"] = (kind, message)


def show_flash() -> None:
    kind, message = state.pop("exam_flash", (None, None))
    if kind == "error":
        st.error(plain(message), icon=":material/error:")  # an exception's words, as typed
    elif kind == "warning":
        st.warning(plain(message), icon=":material/timer_off:")


# -- a question's explanations and report form (exam screen and results) ---------------------------------


def report_box(page: ExamPage, q: QuestionSnapshot, attempt_id: int | None, key: str) -> None:
    """'Report a problem with this question': a small form stored with the question id."""
    with st.popover("Report a problem with this question", icon=":material/report:", key=f"report_pop_{key}"):
        # No max_chars (a longer paste would vanish) and no clear_on_submit: the callback clears
        # the text once it is saved, so a refused report stays in the box to be shortened.
        with st.form(f"report_form_{key}", border=False):
            st.text_area(
                "What is wrong with this question?",
                key=f"report_text_{key}",
                placeholder="e.g. option C is also correct because…",
            )
            st.form_submit_button(
                "Send report",
                icon=":material/send:",
                on_click=send_report,
                args=(page.profile.id, q.id, attempt_id, key),
            )
        refused = state.pop(f"report_refused_{key}", None)
        if refused:
            st.error(plain(refused))
        st.caption(f"Question id: `{q.id}`")


def send_report(profile_id: int | None, question_id: str, attempt_id: int | None, key: str) -> None:
    """The report form's callback (it runs before the page is drawn, so it may clear the box)."""
    text = state.get(f"report_text_{key}", "")
    refused = common.too_long(text, MAX_REPORT_CHARS, "A report")
    if refused is None:
        try:
            report_problem(
                common.engine(),
                question_id,
                text,
                profile_id=profile_id,
                attempt_id=attempt_id,
                actor=identity.current_actor(),
            )
        except (ExamError, AccessDenied) as exc:
            refused = str(exc)
    if refused:
        state[f"report_refused_{key}"] = refused
        return
    state[f"report_text_{key}"] = ""
    st.toast("Thanks: your report was saved for the content maintainers.", icon=":material/check:")


def question_extras(q: QuestionSnapshot) -> None:
    """Corrections, documentation links and the explainer link, as for a bank question."""
    common.render_correction(q)  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question
    common.render_references(q)  # type: ignore[arg-type]
    common.explainer_link(q)  # type: ignore[arg-type]
