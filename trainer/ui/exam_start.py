"""The start screen of the Exam practice page: resume an exam in progress, choose and start a
new one, and the history with readiness, weakest topics and the score trend."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trainer.charts import exams as exam_charts
from trainer.content.model import Domain
from trainer.content.selection import question_pool
from trainer.exams.assembly import plan
from trainer.exams.readiness import Readiness, missed_question_ids, readiness, weakest_topics
from trainer.exams.records import Attempt, HistoryEntry
from trainer.exams.rules import (
    FULL_MOCK,
    PASS_SCALED,
    SHORT_MOCK,
    AttemptStatus,
    ExamError,
    ExamKind,
    ExamMode,
    ExamSpec,
)
from trainer.ui.exam_common import SCALE_NOTE, ExamPage, clock, open_attempt, state
from trainer.ui.plain import plain


def resume_banner(page: ExamPage, current: Attempt | None) -> None:
    if current is None:
        return
    with st.container(border=True, key="exam_resume_box"):
        left = current.remaining()
        st.markdown(
            f":material/pending: **{page.title_of(current.spec)} in progress**: question "
            f"{current.position + 1} of {len(current.questions)}, "
            f"{len(current.questions) - len(current.unanswered)} answered"
            + (f", **{clock(left)} left** (the clock kept running)." if left is not None else ".")
        )
        with st.container(horizontal=True):
            if st.button("Resume", key="exam_resume", type="primary", icon=":material/play_arrow:"):
                open_attempt(current.id)
            if st.button(
                "Abandon it",
                key="exam_abandon",
                icon=":material/delete:",
                help="It will have no result and will not count in your history.",
            ):
                page.exams.abandon(current.id)
                st.rerun()


def spec_form(page: ExamPage, history: Sequence[HistoryEntry]) -> ExamSpec | None:
    """The mode and its options; None while a drill has nothing to choose from."""
    content = page.bank
    # Streamlit forgets a widget's value while the exam screen replaces this one; the last choice
    # is kept under its own key and put back, so a short mock is still chosen afterwards.
    for widget in ("exam_mode", "exam_length"):
        if widget not in state and f"{widget}_kept" in state:
            state[widget] = state[f"{widget}_kept"]
    mode = (
        st.segmented_control(
            "Mode", list(ExamMode), default=ExamMode.TIMED, key="exam_mode", format_func=lambda m: m.label
        )
        or ExamMode.TIMED
    )
    state["exam_mode_kept"] = mode
    if mode is ExamMode.TIMED:
        st.caption(
            "Exam conditions: no feedback until you submit, move freely between "
            "questions, flag the ones to revisit. At zero it is submitted automatically."
        )
        length = st.radio(
            "Length",
            ["full", "short"],
            key="exam_length",
            horizontal=True,
            format_func=lambda k: {
                "full": "Full mock: 65 questions, 130 minutes",
                "short": "Short: 20 questions, 30 minutes",
            }[k],
        )
        state["exam_length_kept"] = length
        return FULL_MOCK if length == "full" else SHORT_MOCK
    if mode is ExamMode.REVIEW:
        st.caption(
            "Immediate feedback after each answer, with the explanation of every option. "
            "Untimed; drawn across the domains like a mock."
        )
        n = st.slider("Questions", 5, 65, 20, step=5, key="exam_review_n")
        return ExamSpec(ExamMode.REVIEW, n, None, kind=ExamKind.REVIEW)
    st.caption("Questions from one area, with immediate feedback. Untimed.")
    by = (
        st.segmented_control(
            "Drill by",
            ["domain", "topic", "concept", "missed"],
            default="domain",
            key="exam_drill_by",
            format_func=lambda k: {"missed": "My missed questions"}.get(k, k.title()),
        )
        or "domain"
    )
    n = st.slider("At most", 5, 65, 20, step=5, key="exam_drill_n")
    if by == "domain":
        domain = st.selectbox(
            "Domain",
            list(Domain),
            key="exam_drill_domain",
            format_func=lambda d: f"{d.label} ({d.weight:.0%} of the exam)",
        )
        if not domain:
            return None
        return ExamSpec(ExamMode.DRILL, n, None, kind=ExamKind.DOMAIN, domain=domain.value)
    if by == "topic":
        topics = sorted({q.topic for q in content.questions.values()}, key=content.topic_title)
        topic = st.selectbox("Topic", topics, key="exam_drill_topic", format_func=content.topic_title)
        return ExamSpec(ExamMode.DRILL, n, None, kind=ExamKind.TOPIC, topic=topic) if topic else None
    if by == "concept":

        def concept_name(c: str) -> str:
            return content.concepts[c].name if c in content.concepts else c

        used = {c for q in content.questions.values() for c in q.concepts}
        concept = st.selectbox(
            "Concept", sorted(used, key=concept_name), key="exam_drill_concept", format_func=concept_name
        )
        return ExamSpec(ExamMode.DRILL, n, None, kind=ExamKind.CONCEPT, concept=concept) if concept else None
    missed = [qid for qid in missed_question_ids(history) if qid in content.questions]
    st.caption("Questions you got wrong the last time you answered them in a finished attempt.")
    return ExamSpec(ExamMode.DRILL, n, None, kind=ExamKind.MISSED, question_ids=tuple(missed))


def start_screen(page: ExamPage) -> None:
    """No attempt on screen: resume, start, or look back."""
    content, exams = page.bank, page.exams
    current = exams.current()
    resume_banner(page, current)
    history = exams.history()
    in_progress = current is not None
    with st.container(border=True, key="exam_start_box"):
        st.subheader("Start")
        spec = spec_form(page, history)
        pool = question_pool(content, spec.question_filter) if spec else []
        if spec and spec.weighted and pool:
            rows = plan(content, spec)
            mix = " · ".join(f"{r.domain.label} {r.planned}" for r in rows)
            st.caption(f"Domain mix: {mix} (DVA-C02 weights)")
            short = [r for r in rows if r.planned < r.ideal]
            if short:
                st.caption(
                    "The bank has too few "
                    + ", ".join(f"{r.domain.label} questions ({r.available} for {r.ideal})" for r in short)
                    + "; other domains make up the difference."
                )
        count = min(spec.length, len(pool)) if spec else 0
        if spec and 0 < count < spec.length:
            limit = spec.limit_for(count)
            st.caption(
                f"The bank has {len(pool)} question(s) for this choice, so this exam has {count} "
                f"instead of {spec.length}"
                + (f", with {int(limit.total_seconds() // 60)} minutes." if limit else ".")
            )
        if spec and not pool:
            st.info(
                "No question fits this choice yet."
                if spec.kind != "missed"
                else "No missed questions: nothing answered wrong in your finished attempts.",
                icon=":material/info:",
            )
        if in_progress:
            st.caption("Finish or abandon the exam in progress to start another.")
        if (
            st.button(
                "Start",
                key="exam_start",
                type="primary",
                icon=":material/play_arrow:",
                disabled=not pool or in_progress,
            )
            and spec is not None
        ):
            try:
                attempt = exams.start(content, spec)
            except ExamError as exc:
                st.error(plain(exc))
            else:
                open_attempt(attempt.id)
    history_section(page, history)


def readiness_summary(ready: Readiness | None) -> None:
    """The mock-exam readiness as a metric with its interval and verdict (also on Exam plan)."""
    if ready is None:
        st.caption("Sit a timed exam to get a readiness estimate.")
        return
    st.metric(
        "Readiness (estimate)",
        ready.scaled,
        delta=f"95 % range {ready.low}–{ready.high}",
        delta_color="off",
        delta_arrow="off",
        help=SCALE_NOTE,
        border=True,
    )
    st.caption(
        f"**{ready.verdict.capitalize()}.** Likely between {ready.low} and {ready.high}, "
        f"from your last {ready.attempts} "
        f"{ready.basis if ready.attempts > 1 else ready.basis[:-1]} "
        f"({ready.questions} questions pooled). Pass line {PASS_SCALED}. "
        "More questions narrow the interval."
    )


def history_section(page: ExamPage, history: Sequence[HistoryEntry]) -> None:
    """Readiness, weakest topics, the trend chart and every finished attempt."""
    st.subheader("History")
    if not history:
        st.info(
            "No finished attempts yet. Your scores, trend and readiness appear here.",
            icon=":material/history:",
        )
        return
    ready = readiness(history)
    left, right = st.columns([1, 2])
    with left:
        readiness_summary(ready)
        weak = weakest_topics(history)
        if weak:
            st.markdown(
                "**Weakest topics** (questions answered, all attempts)\n"
                + "\n".join(f"- {w.title}: {w.correct}/{w.total} ({w.pct:.0f} %)" for w in weak)
            )
            st.caption("To work on one: Start above → Drill → Topic.")
    with right:
        st.plotly_chart(exam_charts.trend_chart(history, ready), key="exam_chart_trend")
    recent = list(reversed(history))
    st.dataframe(
        {
            "#": [h.id for h in recent],
            "Finished": [page.when(h.submitted_at) for h in recent],
            "Exam": [
                page.title_of(h.spec) + (" (timed out)" if h.status is AttemptStatus.TIMED_OUT else "")
                for h in recent
            ],
            "Raw": [f"{h.correct}/{h.total} ({h.raw:.0%})" for h in recent],
            "Scaled (est.)": [h.scaled for h in recent],
            "Result (est.)": ["pass" if h.passed else "below 720" for h in recent],
            "Time": [clock(h.elapsed) for h in recent],
        },
        hide_index=True,
        key="exam_history",
    )
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    labels = {
        h.id: f"#{h.id} · {page.when(h.submitted_at)} · {page.title_of(h.spec)} · {h.scaled}" for h in recent
    }
    chosen = pick.selectbox(
        "Review a past attempt", list(labels), key="exam_past", format_func=lambda i: labels[i]
    )
    if go.button("Open results", key="exam_open", icon=":material/visibility:"):
        open_attempt(chosen)
