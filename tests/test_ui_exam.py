"""The Exam practice page through AppTest: start, answer, flag, navigate, submit, review,
resume after a refresh, automatic submission at the deadline, and a tampered attempt id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.content.loader import load_bank
from trainer.content.snapshot import LETTERS
from trainer.exams.attempts import Exams
from trainer.exams.records import Attempt
from trainer.exams.rules import SHORT_MOCK, AttemptStatus, ExamMode, ExamSpec
from trainer.store.engine import get_engine
from trainer.store.tables import CardState, ExamAttempt, QuestionReport
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile, list_profiles

APP = str(ROOT / "app.py")
PAGE = "trainer/ui/exam.py"
REPORTS = "trainer/ui/reports.py"
DOMAINS = ("development", "security", "deployment", "troubleshooting")
REF = "      - {title: Docs, url: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html'}"


def question_yaml(qid: str, domain: str, topic: str, multiple: bool = False, card: str = "a1") -> str:
    n = 5 if multiple else 4
    options = "\n".join(
        f"      - {{text: '{qid} option {i}', explanation: 'Why {qid} option {i}.'}}" for i in range(n)
    )
    return (
        f"  - id: {qid}\n    stem: 'Stem of {qid}: which option?'\n"
        f"    type: {'multiple' if multiple else 'single'}\n    options:\n{options}\n"
        f"    answer: {'[0, 2]' if multiple else 1}\n    domain: {domain}\n    difficulty: 2\n"
        f"    topic: {topic}\n    cards: [{card}]\n    references:\n{REF}\n"
    )


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    """Eight questions, two per domain, one of them multiple-response; one profile."""
    text = "questions:\n" + "".join(
        question_yaml(
            f"q-{d}-{i}",
            d,
            "alpha" if i == 0 else "beta",
            multiple=(d == "security" and i == 1),
            card="a2" if i else "b2",
        )
        for d in DOMAINS
        for i in range(2)
    )
    write_content("questions.yaml", text)
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    create_profile(get_engine(file_db), "Ana")
    return file_db


def new_page(url: str | None = None, attempt: int | str | None = None, script: str = PAGE) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(script)
    if attempt is not None:
        at.query_params["attempt"] = str(attempt)
    at.run()
    assert not at.exception, at.exception
    return at


def store(url: str, name: str = "Ana") -> Exams:
    engine = get_engine(url)
    profile = next(p for p in list_profiles(engine) if p.name == name)
    assert profile.id is not None
    return Exams(engine, profile.id)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def answer(at: AppTest, attempt, position: int, right: bool) -> AppTest:
    """Answer the question at ``position`` (on screen) right or wrong through its widgets."""
    q = attempt.questions[position]
    key = f"exam_{attempt.id}_q{position}"
    if q.multiple:
        picks = list(q.answer) if right else [q.answer[0]]
        for i in picks:
            at.checkbox(key=f"{key}_o{i}").check().run()
    else:
        wrong = next(i for i in range(len(q.options)) if i not in q.answer)
        at.radio(key=key).set_value(q.answer[0] if right else wrong).run()
    assert not at.exception, at.exception
    return at


def text_of(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    )


def start_short_exam(url: str) -> tuple[AppTest, Attempt]:
    at = new_page()
    assert at.segmented_control(key="exam_mode").value == ExamMode.TIMED
    at.radio(key="exam_length").set_value("short").run()
    assert "The bank has 8 question(s) for this choice, so this exam has 8 instead of 20" in text_of(at)
    click(at, "exam_start")
    attempt = store(url).current()
    assert attempt is not None and len(attempt.questions) == 8
    return at, attempt


def test_start_answer_flag_navigate_submit_and_review(isolated):
    at, attempt = start_short_exam(isolated)
    assert at.query_params["attempt"] == [str(attempt.id)] or at.query_params["attempt"] == str(attempt.id)
    assert "question **1** of 8" in text_of(at)
    assert "left" in text_of(at)  # the countdown
    assert not at.success and not at.error  # a timed exam gives no feedback
    singles = [i for i, q in enumerate(attempt.questions) if not q.multiple]
    multi = next(i for i, q in enumerate(attempt.questions) if q.multiple)
    first, second = singles[0], singles[1]
    click(at, f"nav_{first}")  # the navigator jumps straight to a question
    assert f"question **{first + 1}** of 8" in text_of(at)
    answer(at, attempt, first, right=True)
    click(at, "exam_flag")
    click(at, f"nav_{second}")
    answer(at, attempt, second, right=False)
    click(at, f"nav_{multi}")
    assert "Choose two." in text_of(at)
    answer(at, attempt, multi, right=True)
    if multi < 7:
        click(at, "exam_next")
        assert f"question **{multi + 2}** of 8" in text_of(at)
        click(at, "exam_prev")
    saved = store(isolated).load(attempt.id)
    assert saved.answers[first].chosen == attempt.questions[first].answer
    assert saved.answers[first].flagged and saved.flagged == [first]
    assert saved.answers[second].chosen and saved.answers[second].chosen != attempt.questions[second].answer
    assert saved.answers[multi].chosen == attempt.questions[multi].answer
    assert at.button(key=f"nav_{first}").proto.type == "primary"  # answered buttons are filled
    assert at.button(key=f"nav_{singles[2]}").proto.type == "secondary"
    click(at, "exam_submit")
    box = text_of(at)
    assert "**5 unanswered**" in box and "1 flagged for review" in box
    click(at, "exam_submit_cancel")
    assert store(isolated).current() is not None
    click(at, "exam_submit")
    click(at, "exam_submit_confirm")
    done = store(isolated).load(attempt.id)
    assert done.status is AttemptStatus.SUBMITTED
    # Results: estimate labelled, pass line, breakdowns, every question listed.
    labels = [m.label for m in at.metric]
    assert "Scaled score (est.)" in labels and "Raw score" in labels
    assert any(m.label == "Raw score" and m.value == "2 / 8" for m in at.metric)
    assert "does not publish" in text_of(at)
    assert "1 card moved up in your study queue" in text_of(at)  # the wrong answer's card
    assert len(at.get("plotly_chart")) == 2
    assert len(at.expander) == 8
    at.segmented_control(key="exam_filter").set_value("flagged").run()
    assert len(at.expander) == 1 and "flagged" in at.expander[0].label
    # Wrong answers and unanswered questions are listed apart (review defect 25), and each row
    # says its verdict in a word as well as a colour.
    at.segmented_control(key="exam_filter").set_value("incorrect").run()
    assert len(at.expander) == 1 and ":red[incorrect]" in at.expander[0].label
    at.segmented_control(key="exam_filter").set_value("unanswered").run()
    assert len(at.expander) == 5 and all(":orange[unanswered]" in e.label for e in at.expander)
    at.segmented_control(key="exam_filter").set_value("correct").run()
    assert len(at.expander) == 2
    review = text_of(at)
    assert "correct answer" in review and "Why q-" in review  # every option's explanation
    # Wrong answers made their cards due soon in spaced repetition.
    with get_engine(isolated).connect() as conn:
        cards = CardState.__table__  # type: ignore[attr-defined]  # SQLModel sets it at class creation
        rows: dict[str, int] = dict(conn.execute(select(cards.c.card_id, cards.c.position)).all())
    assert rows[attempt.questions[second].cards[0]] < 0
    # Back to the start screen: history with the trend chart and readiness.
    click(at, "exam_back")
    assert any(m.label == "Readiness (estimate)" for m in at.metric)
    assert len(at.get("plotly_chart")) == 1


def test_refresh_and_restart_resume_where_it_was(isolated):
    at, attempt = start_short_exam(isolated)
    single = next(i for i, q in enumerate(attempt.questions) if not q.multiple)
    click(at, f"nav_{single}")
    answer(at, attempt, single, right=True)
    click(at, "nav_3" if single != 3 else "nav_4")
    # A refresh (or a server restart): a new session, no URL parameter.
    again = new_page()
    assert f"question **{4 if single != 3 else 5}** of 8" in text_of(again)
    click(again, f"nav_{single}")
    assert again.radio(key=f"exam_{attempt.id}_q{single}").value == attempt.questions[single].answer[0]
    reloaded = store(isolated).load(attempt.id)
    assert reloaded.started_at == attempt.started_at and reloaded.is_open
    # Leaving keeps the exam; the start screen offers to resume it.
    click(again, "exam_leave")
    assert again.button(key="exam_resume") and "in progress" in text_of(again)
    assert again.button(key="exam_start").disabled
    click(again, "exam_resume")
    assert f"question **{single + 1}** of 8" in text_of(again)


def test_time_out_submits_automatically(isolated):
    at, attempt = start_short_exam(isolated)
    single = next(i for i, q in enumerate(attempt.questions) if not q.multiple)
    click(at, f"nav_{single}")
    answer(at, attempt, single, right=True)
    # Move the attempt into the past: its deadline has passed.
    with get_engine(isolated).begin() as conn:
        attempts = ExamAttempt.__table__  # type: ignore[attr-defined]
        conn.execute(
            update(attempts)
            .where(attempts.c.id == attempt.id)
            .values(started_at=utcnow() - timedelta(minutes=40), deadline=utcnow() - timedelta(minutes=10))
        )
    answer(at, attempt, single, right=False)  # a change after the deadline: refused
    assert "Time ran out" in text_of(at) and "was not saved" in text_of(at)
    done = store(isolated).load(attempt.id)
    assert done.status is AttemptStatus.TIMED_OUT
    assert done.answers[single].chosen == attempt.questions[single].answer  # the late change was not saved
    assert any(m.label == "Raw score" and m.value == "1 / 8" for m in at.metric)
    # A tab closed during an exam, reopened after the deadline: the result is shown at once.
    second = store(isolated).start(load_bank(), SHORT_MOCK, seed=3, now=utcnow() - timedelta(hours=1))
    again = new_page()
    assert "Time ran out" in text_of(again) and "Short mock: results" in [h.value for h in again.subheader]
    assert store(isolated).load(second.id).status is AttemptStatus.TIMED_OUT
    assert again.query_params["attempt"] in (str(second.id), [str(second.id)])


def test_review_mode_gives_feedback_after_each_answer(isolated):
    at = new_page()
    at.segmented_control(key="exam_mode").set_value(ExamMode.REVIEW).run()
    click(at, "exam_start")
    attempt = store(isolated).current()
    assert attempt is not None
    assert "untimed" in text_of(at)
    q = attempt.questions[0]
    answer(at, attempt, 0, right=False)
    assert not at.success and not at.error  # nothing until checked
    click(at, "exam_check")
    assert at.error and "the answer is" in at.error[0].value
    assert "Why" in text_of(at) and "your choice" in text_of(at)
    assert store(isolated).load(attempt.id).answers[0].locked
    # A checked answer is final, and its options are not greyed out (review defect 7): no
    # answer widgets are left, the choice is said in words and each option carries its mark.
    key = f"exam_{attempt.id}_q0"
    assert not [w for w in [*at.radio, *at.checkbox] if str(w.key).startswith(key)]
    chosen = store(isolated).load(attempt.id).answers[0].chosen
    yours, key_letters = (", ".join(LETTERS[i] for i in picks) for picks in (chosen, q.answer))
    assert f"the answer is **{key_letters}**; you chose {yours}." in at.error[0].value
    assert any(f"{LETTERS[chosen[0]]}. " in m.value and "your choice" in m.value for m in at.markdown)
    click(at, "exam_submit")
    click(at, "exam_submit_confirm")
    assert any(m.label == "Raw score" and m.value == "0 / 8" for m in at.metric)


def test_drill_of_missed_questions(isolated):
    s = store(isolated)
    attempt = s.start(load_bank(), ExamSpec(ExamMode.REVIEW, 8, None, "review"), seed=1)
    q = attempt.questions[2]
    s.answer(attempt.id, 2, [next(i for i in range(len(q.options)) if i not in q.answer)], lock=True)
    s.submit(attempt.id)
    at = new_page()
    at.segmented_control(key="exam_mode").set_value(ExamMode.DRILL).run()
    at.segmented_control(key="exam_drill_by").set_value("missed").run()
    click(at, "exam_start")
    drill = s.current()
    assert drill is not None
    assert [x.id for x in drill.questions] == [q.id]


def test_report_a_problem_and_the_reports_page(isolated):
    at, attempt = start_short_exam(isolated)
    key = f"exam_{attempt.id}_0"
    at.text_area(key=f"report_text_{key}").input("Option C is also correct.")
    at.button(key=f"FormSubmitter:report_form_{key}-Send report").click().run()
    assert not at.exception
    assert any("report was saved" in t.value for t in at.toast)
    with get_engine(isolated).connect() as conn:
        row = conn.execute(select(QuestionReport.__table__)).one()  # type: ignore[attr-defined]
    assert row.question_id == attempt.questions[0].id and row.attempt_id == attempt.id
    page = new_page(script=REPORTS)
    assert attempt.questions[0].id in text_of(page) and "Option C is also correct." in text_of(page)
    page.button(key=f"report_resolve_{row.id}").click().run()
    assert any("No open reports" in i.value for i in page.info)


def test_tampered_attempt_ids_get_a_clear_message(isolated):
    engine = get_engine(isolated)
    other = store(isolated, create_profile(engine, "Bo").name)
    theirs = other.start(load_bank(), SHORT_MOCK, seed=1)
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(PAGE)
    at.session_state["profile_id"] = store(isolated).profile_id
    at.query_params["attempt"] = str(theirs.id)
    at.run()
    assert not at.exception
    assert any("belongs to another profile" in e.value for e in at.error)
    assert other.load(theirs.id).is_open  # untouched
    at.query_params["attempt"] = "not-a-number"
    at.run()
    assert any("does not name an exam attempt" in e.value for e in at.error)
    at.query_params["attempt"] = "99999"
    at.run()
    assert any("no exam attempt number 99999" in e.value for e in at.error)
    click(at, "exam_back_error")
    assert at.button(key="exam_start")


def test_length_choice_is_kept_after_a_short_mock(isolated):
    """Review defect 25: the start screen forgot "Short" after the exam screen replaced it."""
    at, attempt = start_short_exam(isolated)
    store(isolated).submit(attempt.id)
    at.run()
    click(at, "exam_back")
    assert at.radio(key="exam_length").value == "short"


def test_attempt_stays_on_the_exam_page(isolated):
    """Review defect 31: ``?attempt=`` leaked into other pages' URLs."""
    at, attempt = start_short_exam(isolated)
    assert at.query_params["attempt"] in ([str(attempt.id)], str(attempt.id))
    at.switch_page("trainer/ui/library.py").run()
    assert "attempt" not in at.query_params


def test_an_answer_the_disk_refuses_is_a_plain_message_and_try_again_keeps_going(isolated, boundary_failures):
    # Answers are saved in the widgets' callbacks, which Streamlit runs outside the page: a failing
    # write there once reached Streamlit's own traceback (boundary.guarded keeps it for the page).
    import sqlite3

    from sqlalchemy import event

    at, attempt = start_short_exam(isolated)
    engine = get_engine(isolated)

    def full_disk(_conn, _cursor, statement, *_rest):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", full_disk)
    try:
        answer(at, attempt, 0, right=True)
    finally:
        event.remove(engine, "before_cursor_execute", full_disk)
    message = "\n".join(e.value for e in at.error)
    assert "its disk is full" in message and "request id" in message
    assert "INSERT" not in message and "sqlite3" not in message
    assert store(isolated).current().answers[0].chosen == ()  # nothing was saved
    assert len(boundary_failures) == 1 and "on_radio" in boundary_failures[0].getMessage()
    boundary_failures.clear()
    next(b for b in at.button if b.label == "Try again").click().run()
    assert not at.error and not at.exception
    answer(at, attempt, 0, right=True)
    assert store(isolated).current().answers[0].chosen == tuple(attempt.questions[0].answer)
