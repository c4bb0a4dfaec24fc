"""Exam practice page: timed mock exams, review mode, drills; results, history and readiness.

The attempt on screen is named in the URL (``?attempt=ID``), so a refresh shows it again; with
no attempt named, an exam in progress is resumed automatically. Everything else is in the
database (see ``trainer.exams``): a refresh, a closed tab or a server restart loses nothing, and
the deadline is enforced there, not by the countdown shown here.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pandas as pd
import streamlit as st

from trainer.charts import exams as charts_exam
from trainer.content.model import Domain
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.exams.attempts import (
    FULL_MOCK,
    PASS_RAW_ANCHOR,
    PASS_SCALED,
    SHORT_MOCK,
    Attempt,
    ExamClosed,
    ExamError,
    ExamMode,
    Exams,
    ExamSpec,
    QuestionResult,
    Status,
    candidates,
    describe,
    missed_question_ids,
    plan,
    readiness,
    report_problem,
    score_question,
    weakest_topics,
)
from trainer.store.types import utcnow
from trainer.study.queue import settings_for
from trainer.ui import common

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
SCALE_NOTE = (
    "The scaled score is an **estimate**: AWS does not publish how it converts raw scores to its "
    f"100–1000 scale. Here {PASS_RAW_ANCHOR:.0%} correct maps to the {PASS_SCALED} pass line, "
    "0 % to 100 and 100 % to 1000, linearly in between."
)
FILTER_LABELS = {"all": "All", "incorrect": "Incorrect", "correct": "Correct", "flagged": "Flagged"}

state = st.session_state
st.title(":material/timer: Exam practice")
content = common.bank()
common.show_skipped_files(content)
profile = common.require_profile()
common.sidebar_profile(profile)
exams = Exams(common.engine(), profile.id)
ZONE = settings_for(profile).zone


# -- small helpers ------------------------------------------------------------------------------------


def clock(delta: timedelta | None) -> str:
    seconds = max(0, int((delta or timedelta(0)).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def duration(ms: float) -> str:
    seconds = int(round(ms / 1000))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def letters(indexes) -> str:
    return ", ".join(LETTERS[i] for i in indexes) or "no answer"


def when(value) -> str:
    """A date and time in the learner's time zone (Profile & settings)."""
    return value.astimezone(ZONE).strftime("%a %d %b %Y, %H:%M") if value else ""


def title_of(spec: ExamSpec) -> str:
    """The attempt's label, with topic and concept names from the bank where it still has them."""
    if spec.kind == "topic" and spec.topic:
        return f"Drill · {content.topic_title(spec.topic)}"
    if spec.kind == "concept" and spec.concept in content.concepts:
        return f"Drill · {content.concepts[spec.concept].name}"
    return describe(spec)


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


def flash(kind: str, message: str) -> None:
    """A message shown on the next run (callbacks run before the page is drawn)."""
    state["exam_flash"] = (kind, message)


def show_flash() -> None:
    kind, message = state.pop("exam_flash", (None, None))
    if kind == "error":
        st.error(message, icon=":material/error:")
    elif kind == "warning":
        st.warning(message, icon=":material/timer_off:")


# -- time spent per question ------------------------------------------------------------------------


def visit(attempt_id: int, position: int) -> None:
    """Count the time spent on each question: close the previous visit when the question changes."""
    now = time.time()
    current = state.get("exam_visit")
    if current and (current[0], current[1]) != (attempt_id, position):
        exams.add_time(current[0], current[1], int((now - current[2]) * 1000))
        current = None
    if not current:
        state["exam_visit"] = (attempt_id, position, now)


def take_visit_ms() -> int:
    """Milliseconds since the current visit began (or since the last answer), restarting it."""
    current = state.get("exam_visit")
    if not current:
        return 0
    now = time.time()
    state["exam_visit"] = (current[0], current[1], now)
    return int((now - current[2]) * 1000)


def close_visit() -> None:
    current = state.pop("exam_visit", None)
    if current:
        exams.add_time(current[0], current[1], int((time.time() - current[2]) * 1000))


# -- callbacks (run before the page is drawn) ------------------------------------------------------


def widget_key(attempt_id: int, position: int) -> str:
    return f"exam_{attempt_id}_q{position}"


def save(attempt_id: int, position: int, chosen: list[int], lock: bool = False) -> None:
    try:
        exams.answer(attempt_id, position, chosen, time_ms=take_visit_ms(), lock=lock)
    except ExamClosed as exc:
        flash("warning", str(exc))
    except ExamError as exc:
        flash("error", str(exc))


def on_radio(attempt_id: int, position: int) -> None:
    value = state.get(widget_key(attempt_id, position))
    save(attempt_id, position, [] if value is None else [value])


def chosen_boxes(attempt_id: int, position: int, count: int) -> list[int]:
    key = widget_key(attempt_id, position)
    return [i for i in range(count) if state.get(f"{key}_o{i}")]


def on_checkbox(attempt_id: int, position: int, count: int) -> None:
    save(attempt_id, position, chosen_boxes(attempt_id, position, count))


def go_to(attempt_id: int, position: int) -> None:
    exams.goto(attempt_id, position)
    state.pop("exam_confirm", None)


def toggle_flag(attempt_id: int, position: int, flagged: bool) -> None:
    try:
        exams.flag(attempt_id, position, flagged)
    except ExamError as exc:
        flash("warning", str(exc))


# -- pieces shared by the exam and the results ------------------------------------------------------


def choose_text(q: QuestionSnapshot) -> str:
    return f"Choose {NUMBER_WORDS.get(q.choose, q.choose)}." if q.multiple else "Choose one."


def option_explanations(q: QuestionSnapshot, chosen) -> None:
    """Every option with its explanation: the key in green, a wrong choice in red."""
    chosen = set(chosen)
    for i, option in enumerate(q.options):
        is_key, picked = i in q.answer, i in chosen
        if is_key:
            mark = ":green[:material/check_circle:]"
            text = f":green[**{LETTERS[i]}. {option.text}**]"
        elif picked:
            mark = ":red[:material/cancel:]"
            text = f":red[**{LETTERS[i]}. {option.text}**]"
        else:
            mark = ":gray[:material/radio_button_unchecked:]"
            text = f"**{LETTERS[i]}. {option.text}**"
        notes = []
        if picked:
            notes.append("your choice")
        if is_key:
            notes.append("correct answer")
        suffix = f" · *{', '.join(notes)}*" if notes else ""
        st.markdown(f"{mark} {text}{suffix}  \n{option.explanation}")


def report_box(q: QuestionSnapshot, attempt_id: int | None, key: str) -> None:
    """'Report a problem with this question': a small form stored with the question id."""
    with st.popover("Report a problem with this question", icon=":material/report:",
                    key=f"report_pop_{key}"):
        with st.form(f"report_form_{key}", clear_on_submit=True, border=False):
            text = st.text_area("What is wrong with this question?", key=f"report_text_{key}",
                                max_chars=2000,
                                placeholder="e.g. option C is also correct because…")
            if st.form_submit_button("Send report", icon=":material/send:"):
                try:
                    report_problem(common.engine(), q.id, text, profile_id=profile.id,
                                   attempt_id=attempt_id)
                except ExamError as exc:
                    st.error(str(exc))
                else:
                    st.toast("Thanks: your report was saved for the content maintainers.",
                             icon=":material/check:")
        st.caption(f"Question id: `{q.id}`")


def question_extras(q: QuestionSnapshot) -> None:
    common.render_correction(q)  # type: ignore[arg-type]  (QuestionSnapshot duck-types Question)
    common.render_references(q)  # type: ignore[arg-type]
    common.explainer_link(q)  # type: ignore[arg-type]


# -- the exam screen ------------------------------------------------------------------------------


def timer_bar(attempt: Attempt) -> None:
    """The top bar: where you are, how many are answered, and the time left (always visible)."""
    dark = getattr(getattr(st.context, "theme", None), "type", None) == "dark"
    # Sticky: the bar stays at the top while a long question or its explanations scroll. The
    # time comes first, away from the app menu that may sit at the top right.
    st.html("""<style>
      div[data-testid="stLayoutWrapper"]:has(> .st-key-exam_bar) {
        position: sticky; top: 0; z-index: 990; }
      .st-key-exam_bar { background: %s; }
    </style>""" % ("#0e1117" if dark else "#ffffff"))
    with st.container(key="exam_bar", border=True):
        timer, where, counts = st.columns([1.1, 2, 2.4], vertical_alignment="center")
        with timer:
            if attempt.deadline is None:
                st.markdown(":material/all_inclusive: untimed")
            else:
                countdown(attempt.deadline)
        where.markdown(f"**{title_of(attempt.spec)}** · question **{attempt.position + 1}** of "
                       f"{len(attempt.questions)}")
        answered = len(attempt.questions) - len(attempt.unanswered)
        counts.markdown(f":material/task_alt: {answered} answered · "
                        f":material/flag: {len(attempt.flagged)} flagged · "
                        f"{len(attempt.unanswered)} unanswered")


@st.fragment(run_every="1s")
def countdown(deadline) -> None:
    left = deadline - utcnow()
    if left <= timedelta(0):
        st.markdown(":red[:material/timer_off: **0:00**]")
        st.rerun(scope="app")  # the server submits the exam on the next run
    colour = "red" if left < timedelta(minutes=5) else "blue"
    with st.container(key="exam_timer"):
        st.markdown(f":{colour}[:material/timer: **{clock(left)}** left]",
                    help="The time limit counts from the start, even if you close the tab. "
                         "At zero the exam is submitted automatically.")


def navigator(attempt: Attempt) -> None:
    st.markdown("**Questions**")
    st.html(f"<style>.st-key-nav_{attempt.position} button "
            "{ outline: 3px solid #f97316; outline-offset: 1px; }</style>")
    with st.container(horizontal=True, key="exam_nav", gap="small"):
        for i, (q, a) in enumerate(zip(attempt.questions, attempt.answers)):
            icon = None
            if a.flagged:
                icon = ":material/flag:"
            elif a.locked:
                icon = ":material/check:" if score_question(a.chosen, q.answer) else ":material/close:"
            status = "answered" if a.answered else "unanswered"
            if a.flagged:
                status += ", flagged"
            st.button(str(i + 1), key=f"nav_{i}", icon=icon, width=58 if icon else 44,
                      type="primary" if a.answered else "secondary",
                      help=f"Question {i + 1}: {status}", on_click=go_to, args=(attempt.id, i))
    st.caption("Filled: answered · outlined: unanswered · :material/flag: flagged · "
               "orange ring: on screen")


def answer_widgets(attempt: Attempt, q: QuestionSnapshot, position: int, locked: bool) -> None:
    a = attempt.answers[position]
    key = widget_key(attempt.id, position)
    labels = [f"{LETTERS[i]}. {o.text}" for i, o in enumerate(q.options)]
    if q.multiple:
        st.markdown(f"**{choose_text(q)}**")
        for i, label in enumerate(labels):
            st.checkbox(label, value=i in a.chosen, key=f"{key}_o{i}", disabled=locked,
                        on_change=on_checkbox, args=(attempt.id, position, len(q.options)))
        picked = len(a.chosen)
        if picked > q.choose:
            st.warning(f"You have chosen {picked} options; this question asks for "
                       f"{NUMBER_WORDS.get(q.choose, q.choose)}. It is scored all or nothing.",
                       icon=":material/rule:")
    else:
        st.radio(choose_text(q), range(len(q.options)), format_func=lambda i: labels[i],
                 index=a.chosen[0] if a.chosen else None, key=key, disabled=locked,
                 on_change=on_radio, args=(attempt.id, position))


def exam_screen(attempt: Attempt) -> None:
    position = min(max(attempt.position, 0), len(attempt.questions) - 1)
    visit(attempt.id, position)
    timer_bar(attempt)
    show_flash()
    q, a = attempt.questions[position], attempt.answers[position]
    feedback = attempt.mode.immediate_feedback
    main, side = st.columns([3, 1.25], gap="medium")
    with main:
        with st.container(border=True, key="exam_question"):
            meta = f"Question {position + 1} of {len(attempt.questions)}"
            if feedback:  # a timed exam does not give away the domain or topic
                meta += f" · {q.domain_title} · {q.topic_title}"
            if a.flagged:
                meta += " · :orange[:material/flag: flagged for review]"
            st.caption(meta)
            st.markdown(q.stem)
            answer_widgets(attempt, q, position, locked=a.locked)
            if feedback and a.locked:
                if score_question(a.chosen, q.answer):
                    st.success("Correct.", icon=":material/check_circle:")
                else:
                    st.error(f"Not quite: the answer is **{letters(q.answer)}**; you chose "
                             f"{letters(a.chosen)}.", icon=":material/cancel:")
                option_explanations(q, a.chosen)
                question_extras(q)
            elif feedback:
                if st.button("Check answer", key="exam_check", type="primary",
                             icon=":material/fact_check:"):
                    chosen = (chosen_boxes(attempt.id, position, len(q.options)) if q.multiple
                              else list(a.chosen))
                    save(attempt.id, position, chosen, lock=True)
                    st.rerun()
        with st.container(horizontal=True, key="exam_moves"):
            st.button("Previous", key="exam_prev", icon=":material/arrow_back:",
                      disabled=position == 0, on_click=go_to, args=(attempt.id, position - 1))
            st.button("Remove flag" if a.flagged else "Flag for review", key="exam_flag",
                      icon=":material/flag:", type="tertiary" if a.flagged else "secondary",
                      on_click=toggle_flag, args=(attempt.id, position, not a.flagged))
            st.button("Next", key="exam_next", icon=":material/arrow_forward:", icon_position="right",
                      disabled=position >= len(attempt.questions) - 1,
                      on_click=go_to, args=(attempt.id, position + 1))
        report_box(q, attempt.id, f"exam_{attempt.id}_{position}")
    with side:
        navigator(attempt)
        submit_box(attempt)


def submit_box(attempt: Attempt) -> None:
    verb = "Submit exam" if attempt.mode is ExamMode.TIMED else "Finish"
    if state.get("exam_confirm") != attempt.id:
        if st.button(verb, key="exam_submit", type="primary", icon=":material/send:", width="stretch"):
            state["exam_confirm"] = attempt.id
            st.rerun()
        if st.button("Leave for now", key="exam_leave", icon=":material/logout:", width="stretch",
                     help="Back to the start screen. The exam stays in progress"
                          + (" and its timer keeps running." if attempt.deadline else ".")):
            close_visit()
            open_attempt(None)
        return
    unanswered, incomplete, flagged = attempt.unanswered, attempt.incomplete, attempt.flagged
    with st.container(border=True, key="exam_confirm_box"):
        st.markdown(f"**{'Submit the exam' if attempt.mode is ExamMode.TIMED else 'Finish'} now?** "
                    "Answers cannot change afterwards.")
        if st.button("Yes, submit", key="exam_submit_confirm", type="primary", width="stretch"):
            close_visit()
            state.pop("exam_confirm", None)
            exams.submit(attempt.id)
            st.rerun()
        if st.button("Keep working", key="exam_submit_cancel", width="stretch"):
            state.pop("exam_confirm", None)
            st.rerun()
        lines = []
        if unanswered:
            lines.append(f"**{len(unanswered)} unanswered** (they count as wrong): "
                         + ", ".join(str(p + 1) for p in unanswered[:20])
                         + (" …" if len(unanswered) > 20 else ""))
        if incomplete:
            lines.append(f"{len(incomplete)} with fewer options chosen than asked: "
                         + ", ".join(str(p + 1) for p in incomplete))
        if flagged:
            lines.append(f"{len(flagged)} flagged for review: " + ", ".join(str(p + 1) for p in flagged))
        st.markdown("\n".join(f"- {line}" for line in lines) if lines
                    else "Every question is answered.")


# -- the results screen -----------------------------------------------------------------------------


def breakdown_table(rows, label: str, key: str) -> None:
    frame = pd.DataFrame({label: [r.title for r in rows],
                          "Correct": [f"{r.correct}/{r.total}" for r in rows],
                          "%": [round(r.pct) for r in rows]})
    st.dataframe(frame, hide_index=True, key=key, column_config={
        label: st.column_config.TextColumn(label, width="medium"),
        "Correct": st.column_config.TextColumn("Correct", width="small"),
        "%": st.column_config.ProgressColumn("%", min_value=0, max_value=100, format="%d %%",
                                             width="small"),
    })


def results_screen(attempt: Attempt) -> None:
    result = attempt.result()
    timed = attempt.deadline is not None
    st.subheader(f"{title_of(attempt.spec)}: results")
    st.caption(f"Started {when(attempt.started_at)} ({profile.timezone}) · "
               f"{len(attempt.questions)} questions · {attempt.mode.title}")
    late = state.pop("exam_flash", (None, None))[0] == "warning"
    if attempt.status is Status.TIMED_OUT:
        st.warning("Time ran out: the exam was submitted automatically at the deadline. "
                   + ("Your last change came after it and was not saved."
                      if late else "Answers given after it are not counted."),
                   icon=":material/timer_off:")
    with st.container(key="exam_scores"):
        cols = st.columns(4)
        cols[0].metric("Scaled score (est.)", result.scaled,
                       delta=f"{result.scaled - PASS_SCALED:+d} vs {PASS_SCALED}",
                       delta_color="normal", help=SCALE_NOTE, border=True)
        cols[1].metric("Result (estimate)", "Pass" if result.passed else "Fail",
                       delta=f"pass line {PASS_SCALED}", delta_color="off", delta_arrow="off",
                       help=f"Pass at {PASS_SCALED} on the real exam; this is an estimate.",
                       border=True)
        cols[2].metric("Raw score", f"{result.correct} / {result.total}",
                       delta=f"{result.raw:.0%} correct", delta_color="off", delta_arrow="off",
                       border=True,
                       help="Multiple-response questions count only when every correct option "
                            "and nothing else is chosen. Unanswered questions count as wrong.")
        limit = (attempt.deadline - attempt.started_at) if timed else None
        cols[3].metric("Time", clock(result.elapsed),
                       delta=f"of {clock(limit)}" if limit else "untimed",
                       delta_color="off", delta_arrow="off", border=True,
                       help="Average per question: "
                            + duration(result.mean_time_per_question.total_seconds() * 1000))
    st.caption(f"{result.answered} of {result.total} answered · "
               f"{duration(result.mean_time_per_question.total_seconds() * 1000)} per question on "
               "average. " + SCALE_NOTE
               + " The real exam also has 15 unscored questions you cannot tell apart.")
    if attempt.cards_marked:
        n = attempt.cards_marked
        st.info(f"**{n} {'card' if n == 1 else 'cards'} moved up in your study queue**: the cards "
                "behind the questions you got wrong are due now (or first among new cards).",
                icon=":material/event_repeat:")
    elif result.wrong_cards and attempt.cards_marked == 0:
        st.caption("The cards behind your wrong answers are already due, suspended or not in "
                   "your collection, so none had to move.")

    by_domain, by_topic = st.tabs([":material/category: By exam domain",
                                   ":material/topic: By topic (weakest first)"])
    with by_domain:
        chart, table = st.columns(2, vertical_alignment="center")
        chart.plotly_chart(charts_exam.breakdown_chart(result.by_domain, "By exam domain"),
                           key="exam_chart_domain")
        with table:
            breakdown_table(result.by_domain, "Domain", "exam_table_domain")
        st.caption("The real exam is compensatory: there is no pass mark per domain.")
    with by_topic:
        st.plotly_chart(charts_exam.breakdown_chart(result.by_topic, "By topic (weakest first)"),
                        key="exam_chart_topic")
        breakdown_table(result.by_topic, "Topic", "exam_table_topic")

    st.subheader("Every question")
    counts = {k: len(result.filtered(k)) for k in FILTER_LABELS}
    which = st.segmented_control(
        "Show", list(FILTER_LABELS), default="all", key="exam_filter",
        format_func=lambda k: f"{FILTER_LABELS[k]} ({counts[k]})") or "all"
    items = result.filtered(which)
    if not items:
        st.info(f"No {FILTER_LABELS[which].lower()} questions in this attempt.",
                icon=":material/filter_alt_off:")
    for item in items:
        question_review(attempt, item)
    st.button("Back to exam practice", key="exam_back", icon=":material/arrow_back:",
              on_click=lambda: (st.query_params.pop("attempt", None), state.update(exam_home=True)))


def question_review(attempt: Attempt, item: QuestionResult) -> None:
    q = item.question
    if item.correct:
        icon, verdict = ":material/check_circle:", "correct"
    elif item.answered:
        icon, verdict = ":material/cancel:", "incorrect"
    else:
        icon, verdict = ":material/radio_button_unchecked:", "unanswered"
    flag = " · flagged" if item.flagged else ""
    stem = " ".join(q.stem.split())
    label = f"**{item.position + 1}.** {verdict}{flag} · {stem[:110]}{'…' if len(stem) > 110 else ''}"
    with st.expander(label, icon=icon, key=f"exam_review_{item.position}"):
        st.caption(f"{q.domain_title} · {q.topic_title} · time on this question "
                   f"{duration(item.time_ms)}"
                   + ("" if q.id in content.questions
                      else " · no longer in the question bank (shown as it was)"))
        st.markdown(q.stem)
        st.markdown(f"*{choose_text(q)}* Your answer: **{letters(item.chosen)}** · "
                    f"correct answer: **{letters(q.answer)}**")
        option_explanations(q, item.chosen)
        question_extras(q)
        report_box(q, attempt.id, f"res_{attempt.id}_{item.position}")


# -- the start screen ----------------------------------------------------------------------------


def resume_banner(current: Attempt | None) -> None:
    if current is None:
        return
    with st.container(border=True, key="exam_resume_box"):
        left = current.remaining()
        st.markdown(f":material/pending: **{title_of(current.spec)} in progress**: question "
                    f"{current.position + 1} of {len(current.questions)}, "
                    f"{len(current.questions) - len(current.unanswered)} answered"
                    + (f", **{clock(left)} left** (the clock kept running)." if left is not None else "."))
        with st.container(horizontal=True):
            if st.button("Resume", key="exam_resume", type="primary", icon=":material/play_arrow:"):
                open_attempt(current.id)
            if st.button("Abandon it", key="exam_abandon", icon=":material/delete:",
                         help="It will have no result and will not count in your history."):
                exams.abandon(current.id)
                st.rerun()


def spec_form(history) -> ExamSpec | None:
    mode = st.segmented_control("Mode", list(ExamMode), default=ExamMode.TIMED, key="exam_mode",
                                format_func=lambda m: m.title) or ExamMode.TIMED
    if mode is ExamMode.TIMED:
        st.caption("Exam conditions: no feedback until you submit, move freely between "
                   "questions, flag the ones to revisit. At zero it is submitted automatically.")
        length = st.radio("Length", ["full", "short"], key="exam_length", horizontal=True,
                          format_func=lambda k: {"full": "Full mock: 65 questions, 130 minutes",
                                                 "short": "Short: 20 questions, 30 minutes"}[k])
        return FULL_MOCK if length == "full" else SHORT_MOCK
    if mode is ExamMode.REVIEW:
        st.caption("Immediate feedback after each answer, with the explanation of every option. "
                   "Untimed; drawn across the domains like a mock.")
        n = st.slider("Questions", 5, 65, 20, step=5, key="exam_review_n")
        return ExamSpec(ExamMode.REVIEW, n, None, kind="review")
    st.caption("Questions from one area, with immediate feedback. Untimed.")
    by = st.segmented_control("Drill by", ["domain", "topic", "concept", "missed"], default="domain",
                              key="exam_drill_by",
                              format_func=lambda k: {"missed": "My missed questions"}.get(k, k.title())
                              ) or "domain"
    n = st.slider("At most", 5, 65, 20, step=5, key="exam_drill_n")
    if by == "domain":
        domain = st.selectbox("Domain", list(Domain), key="exam_drill_domain",
                              format_func=lambda d: f"{d.title} ({d.weight:.0%} of the exam)")
        return ExamSpec(ExamMode.DRILL, n, None, kind="domain", domain=domain.value)
    if by == "topic":
        topics = sorted({q.topic for q in content.questions.values()}, key=content.topic_title)
        topic = st.selectbox("Topic", topics, key="exam_drill_topic", format_func=content.topic_title)
        return ExamSpec(ExamMode.DRILL, n, None, kind="topic", topic=topic) if topic else None
    if by == "concept":
        used = {c for q in content.questions.values() for c in q.concepts}
        concepts = sorted(used, key=lambda c: content.concepts[c].name if c in content.concepts else c)
        concept = st.selectbox("Concept", concepts, key="exam_drill_concept",
                               format_func=lambda c: content.concepts[c].name if c in content.concepts else c)
        return ExamSpec(ExamMode.DRILL, n, None, kind="concept", concept=concept) if concept else None
    missed = [qid for qid in missed_question_ids(history) if qid in content.questions]
    st.caption("Questions you got wrong the last time you answered them in a finished attempt.")
    return ExamSpec(ExamMode.DRILL, n, None, kind="missed", question_ids=tuple(missed))


def start_screen() -> None:
    current = exams.current()
    resume_banner(current)
    history = exams.history()
    in_progress = current is not None
    with st.container(border=True, key="exam_start_box"):
        st.subheader("Start")
        spec = spec_form(history)
        pool = candidates(content, spec) if spec else []
        if spec and spec.weighted and pool:
            rows = plan(content, spec)
            mix = " · ".join(f"{r.domain.title} {r.planned}" for r in rows)
            st.caption(f"Domain mix: {mix} (DVA-C02 weights)")
            short = [r for r in rows if r.planned < r.ideal]
            if short:
                st.caption("The bank has too few " + ", ".join(
                    f"{r.domain.title} questions ({r.available} for {r.ideal})" for r in short)
                    + "; other domains make up the difference.")
        count = min(spec.length, len(pool)) if spec else 0
        if spec and 0 < count < spec.length:
            limit = spec.limit_for(count)
            st.caption(f"Only {len(pool)} questions fit this choice: this one has {count}"
                       + (f" and {int(limit.total_seconds() // 60)} minutes." if limit else "."))
        if spec and not pool:
            st.info("No question fits this choice yet." if spec.kind != "missed" else
                    "No missed questions: nothing answered wrong in your finished attempts.",
                    icon=":material/info:")
        if in_progress:
            st.caption("Finish or abandon the exam in progress to start another.")
        if st.button("Start", key="exam_start", type="primary", icon=":material/play_arrow:",
                     disabled=not pool or in_progress):
            try:
                attempt = exams.start(content, spec)
            except ExamError as exc:
                st.error(str(exc))
            else:
                open_attempt(attempt.id)
    history_section(history)


def history_section(history) -> None:
    st.subheader("History")
    if not history:
        st.info("No finished attempts yet. Your scores, trend and readiness appear here.",
                icon=":material/history:")
        return
    ready = readiness(history)
    left, right = st.columns([1, 2])
    with left:
        if ready:
            st.metric("Readiness (estimate)", ready.scaled,
                      delta=f"95 % range {ready.low}–{ready.high}", delta_color="off",
                      delta_arrow="off", help=SCALE_NOTE, border=True)
            st.caption(f"**{ready.verdict.capitalize()}.** Likely between {ready.low} and {ready.high}, "
                       f"from your last {ready.attempts} "
                       f"{ready.basis if ready.attempts > 1 else ready.basis[:-1]} "
                       f"({ready.questions} questions pooled). Pass line {PASS_SCALED}. "
                       "More questions narrow the interval.")
        else:
            st.caption("Sit a timed exam to get a readiness estimate.")
        weak = weakest_topics(history)
        if weak:
            st.markdown("**Weakest topics** (questions answered, all attempts)\n"
                        + "\n".join(f"- {w.title}: {w.correct}/{w.total} ({w.pct:.0f} %)"
                                     for w in weak))
            st.caption("To work on one: Start above → Drill → Topic.")
    with right:
        st.plotly_chart(charts_exam.trend_chart(history, ready), key="exam_chart_trend")
    recent = list(reversed(history))
    st.dataframe(pd.DataFrame({
        "#": [h.id for h in recent],
        "Finished": [when(h.submitted_at) for h in recent],
        "Exam": [title_of(h.spec) + (" (timed out)" if h.status is Status.TIMED_OUT else "") for h in recent],
        "Raw": [f"{h.correct}/{h.total} ({h.raw:.0%})" for h in recent],
        "Scaled (est.)": [h.scaled for h in recent],
        "Result (est.)": ["pass" if h.passed else "below 720" for h in recent],
        "Time": [clock(h.elapsed) for h in recent],
    }), hide_index=True, key="exam_history")
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    labels = {h.id: f"#{h.id} · {when(h.submitted_at)} · {title_of(h.spec)} · {h.scaled}" for h in recent}
    chosen = pick.selectbox("Review a past attempt", list(labels), key="exam_past",
                            format_func=labels.get)
    if go.button("Open results", key="exam_open", icon=":material/visibility:"):
        open_attempt(chosen)


# -- which screen -----------------------------------------------------------------------------------


def send_mistakes_to_study() -> None:
    """Wrong answers make the linked cards due soon (once per finished attempt)."""
    pending = exams.unmarked()
    if pending:
        study = common.study_for(profile)
        for attempt_id in pending:
            exams.follow_up(attempt_id, study.mark_for_review)


def attempt_from_url() -> int | None:
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
    attempt_id = attempt_from_url()
    send_mistakes_to_study()
    if attempt_id is None:
        start_screen()
        return
    try:
        attempt = exams.load(attempt_id)
    except ExamError as exc:
        st.error(f"{exc}" if attempt_id > 0 else "This link does not name an exam attempt.",
                 icon=":material/block:")
        if st.button("Back to exam practice", key="exam_back_error", icon=":material/arrow_back:"):
            open_attempt(None)
        return
    if attempt.status.finished and attempt.cards_marked is None:
        send_mistakes_to_study()
        attempt = exams.load(attempt_id)
    if attempt.is_open:
        state.pop("exam_home", None)
        exam_screen(attempt)
    elif attempt.status is Status.ABANDONED:
        st.info("This attempt was abandoned: it has no result.", icon=":material/delete:")
        if st.button("Back to exam practice", key="exam_back_abandoned", icon=":material/arrow_back:"):
            open_attempt(None)
    else:
        results_screen(attempt)


main()
