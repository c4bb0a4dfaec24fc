"""The results screen of the Exam practice page: the estimated score, the breakdowns by domain
and topic, and every question with its explanations, filterable."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trainer.charts import exams as exam_charts
from trainer.exams.records import Attempt
from trainer.exams.rules import PASS_SCALED, AttemptStatus
from trainer.exams.scoring import FILTERS, Breakdown, ExamQuestionResult
from trainer.ui.exam_common import (
    SCALE_NOTE,
    ExamPage,
    choose_text,
    clock,
    duration,
    go_home,
    letters,
    option_explanations,
    question_extras,
    report_box,
    state,
)

# The review list's filters as the scored attempt knows them: All, Incorrect, Correct, Flagged.
FILTER_LABELS = {f: f.capitalize() for f in FILTERS}


def breakdown_table(rows: Sequence[Breakdown], label: str, key: str) -> None:
    frame = {
        label: [r.title for r in rows],
        "Correct": [f"{r.correct}/{r.total}" for r in rows],
        "%": [round(r.pct) for r in rows],
    }
    st.dataframe(
        frame,
        hide_index=True,
        key=key,
        column_config={
            label: st.column_config.TextColumn(label, width="medium"),
            "Correct": st.column_config.TextColumn("Correct", width="small"),
            "%": st.column_config.ProgressColumn(
                "%", min_value=0, max_value=100, format="%d %%", width="small"
            ),
        },
    )


def results_screen(page: ExamPage, attempt: Attempt) -> None:
    """A finished attempt: scores, what moved in the study queue, breakdowns, every question."""
    result = attempt.result()
    st.subheader(f"{page.title_of(attempt.spec)}: results")
    st.caption(
        f"Started {page.when(attempt.started_at)} ({page.profile.timezone}) · "
        f"{len(attempt.questions)} questions · {attempt.mode.label}"
    )
    late = state.pop("exam_flash", (None, None))[0] == "warning"
    if attempt.status is AttemptStatus.TIMED_OUT:
        st.warning(
            "Time ran out: the exam was submitted automatically at the deadline. "
            + (
                "Your last change came after it and was not saved."
                if late
                else "Answers given after it are not counted."
            ),
            icon=":material/timer_off:",
        )
    with st.container(key="exam_scores"):
        cols = st.columns(4)
        cols[0].metric(
            "Scaled score (est.)",
            result.scaled,
            delta=f"{result.scaled - PASS_SCALED:+d} vs {PASS_SCALED}",
            delta_color="normal",
            help=SCALE_NOTE,
            border=True,
        )
        cols[1].metric(
            "Result (estimate)",
            "Pass" if result.passed else "Fail",
            delta=f"pass line {PASS_SCALED}",
            delta_color="off",
            delta_arrow="off",
            help=f"Pass at {PASS_SCALED} on the real exam; this is an estimate.",
            border=True,
        )
        cols[2].metric(
            "Raw score",
            f"{result.correct} / {result.total}",
            delta=f"{result.raw:.0%} correct",
            delta_color="off",
            delta_arrow="off",
            border=True,
            help="Multiple-response questions count only when every correct option "
            "and nothing else is chosen. Unanswered questions count as wrong.",
        )
        limit = (attempt.deadline - attempt.started_at) if attempt.deadline is not None else None
        cols[3].metric(
            "Time",
            clock(result.elapsed),
            delta=f"of {clock(limit)}" if limit else "untimed",
            delta_color="off",
            delta_arrow="off",
            border=True,
            help="Average per question: " + duration(result.mean_time_per_question.total_seconds() * 1000),
        )
    st.caption(
        f"{result.answered} of {result.total} answered · "
        f"{duration(result.mean_time_per_question.total_seconds() * 1000)} per question on "
        "average. " + SCALE_NOTE + " The real exam also has 15 unscored questions you cannot tell apart."
    )
    if attempt.cards_marked:
        n = attempt.cards_marked
        st.info(
            f"**{n} {'card' if n == 1 else 'cards'} moved up in your study queue**: the cards "
            "behind the questions you got wrong are due now (or first among new cards).",
            icon=":material/event_repeat:",
        )
    elif result.wrong_cards and attempt.cards_marked == 0:
        st.caption(
            "The cards behind your wrong answers are already due, suspended or not in "
            "your collection, so none had to move."
        )

    by_domain, by_topic = st.tabs(
        [":material/category: By exam domain", ":material/topic: By topic (weakest first)"]
    )
    with by_domain:
        chart, table = st.columns(2, vertical_alignment="center")
        chart.plotly_chart(
            exam_charts.breakdown_chart(result.by_domain, "By exam domain"), key="exam_chart_domain"
        )
        with table:
            breakdown_table(result.by_domain, "Domain", "exam_table_domain")
        st.caption("The real exam is compensatory: there is no pass mark per domain.")
    with by_topic:
        st.plotly_chart(
            exam_charts.breakdown_chart(result.by_topic, "By topic (weakest first)"), key="exam_chart_topic"
        )
        breakdown_table(result.by_topic, "Topic", "exam_table_topic")

    st.subheader("Every question")
    counts = {k: len(result.filtered(k)) for k in FILTER_LABELS}
    which = (
        st.segmented_control(
            "Show",
            list(FILTER_LABELS),
            default="all",
            key="exam_filter",
            format_func=lambda k: f"{FILTER_LABELS[k]} ({counts[k]})",
        )
        or "all"
    )
    items = result.filtered(which)
    if not items:
        st.info(
            f"No {FILTER_LABELS[which].lower()} questions in this attempt.", icon=":material/filter_alt_off:"
        )
    for item in items:
        question_review(page, attempt, item)
    st.button("Back to exam practice", key="exam_back", icon=":material/arrow_back:", on_click=go_home)


def question_review(page: ExamPage, attempt: Attempt, item: ExamQuestionResult) -> None:
    """One question of the results, folded: the verdict in the label, the explanations inside."""
    q = item.question
    # The verdict is a word and a colour, so it does not rely on colour alone.
    if item.correct:
        icon, verdict = ":material/check_circle:", ":green[correct]"
    elif item.answered:
        icon, verdict = ":material/cancel:", ":red[incorrect]"
    else:
        icon, verdict = ":material/radio_button_unchecked:", ":orange[unanswered]"
    flag = " · flagged" if item.flagged else ""
    stem = " ".join(q.stem.split())
    label = f"**{item.position + 1}.** {verdict}{flag} · {stem[:110]}{'…' if len(stem) > 110 else ''}"
    with st.expander(label, icon=icon, key=f"exam_review_{item.position}"):
        st.caption(
            f"{q.domain_title} · {q.topic_title} · time on this question "
            f"{duration(item.time_ms)}"
            + ("" if q.id in page.bank.questions else " · no longer in the question bank (shown as it was)")
        )
        st.markdown(q.stem)
        st.markdown(
            f"*{choose_text(q)}* Your answer: **{letters(item.chosen)}** · "
            f"correct answer: **{letters(q.answer)}**"
        )
        option_explanations(q, item.chosen)
        question_extras(q)
        report_box(page, q, attempt.id, f"res_{attempt.id}_{item.position}")
