"""Races: the same action from several sessions at the same moment has exactly one winner and
loses nothing. Threads start together at a barrier, each with its own connection, on a SQLite
file (WAL, as the app runs it) and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from trainer.content.graph import introduction_order
from trainer.content.model import Bank, Domain, Option, Question, Reference
from trainer.exams.attempts import IN_PROGRESS_ALREADY, Exams
from trainer.exams.rules import SHORT_MOCK, AttemptStatus, ExamError
from trainer.store.engine import make_engine
from trainer.store.tables import CardState, ExamAttempt, ReviewLog, RoomAnswer, table_of
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating
from trainer.workshops import answers, errors, host_actions, rooms
from trainer.workshops.model import Receipt

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DOCS = (Reference("Docs", "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"),)


def race(sessions: int, action: Callable[[int], Any]) -> list[Any]:
    """Run ``action(i)`` in ``sessions`` threads released together; results or exceptions."""
    go = threading.Barrier(sessions)
    results: list[Any] = [None] * sessions

    def run(i: int) -> None:
        go.wait()
        try:
            results[i] = action(i)
        except Exception as exc:  # noqa: BLE001 - the tests inspect every outcome
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def count(engine: Engine, model: type, *where: Any) -> int:
    table = table_of(model)
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


@pytest.fixture
def db(empty_db_url) -> Engine:
    """A database with its own connection per thread (a file, not a shared in-memory one)."""
    engine = make_engine(empty_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def bank(small_bank) -> Bank:
    def question(i: int, cards: tuple[str, ...]) -> Question:
        return Question(
            id=f"q{i}",
            stem=f"Stem {i}?",
            type="single",
            options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(4)),
            answer=(1,),
            domain=Domain.DEVELOPMENT,
            difficulty=2,
            topic="alpha",
            cards=cards,
            concepts=(),
            references=DOCS,
        )

    small_bank.questions.update({f"q{i}": question(i, (card,)) for i, card in enumerate(("a1", "a2", "b1"))})
    return small_bank


# -- d. one exam in progress per profile ----------------------------------------------------------


def test_starting_an_exam_from_eight_sessions_at_once_makes_one_attempt(db, bank):
    profile = create_profile(db, "Ana")
    outcomes = race(8, lambda i: Exams(db, profile.id).start(bank, SHORT_MOCK, seed=i, now=NOW))
    started = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(started) == 1, outcomes
    assert all(isinstance(o, ExamError) and str(o) == IN_PROGRESS_ALREADY for o in refused), refused
    attempts = table_of(ExamAttempt).c
    assert count(db, ExamAttempt) == 1
    assert count(db, ExamAttempt, attempts.status == AttemptStatus.IN_PROGRESS) == 1
    assert Exams(db, profile.id).current(NOW).id == started[0].id


# -- e. the first sync of a profile ----------------------------------------------------------------


@pytest.mark.parametrize("trial", range(3))
def test_first_sessions_of_a_profile_syncing_at_once_all_succeed(db, bank, trial):
    profile = create_profile(db, f"New learner {trial}")
    order = introduction_order(bank)
    outcomes = race(6, lambda i: Study(db, profile).sync(bank, order))
    assert outcomes == [None] * 6  # no IntegrityError from the unique constraint
    cards = table_of(CardState).c
    assert count(db, CardState, cards.profile_id == profile.id) == len(bank.cards)


# -- f. an exam's follow-up is one transaction ---------------------------------------------------


def finished_exam_with_mistakes(engine: Engine, bank: Bank) -> tuple[Exams, int, Study]:
    profile = create_profile(engine, "Bea")
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    exams = Exams(engine, profile.id)
    attempt = exams.start(bank, SHORT_MOCK, seed=1, now=NOW)
    for position, q in enumerate(attempt.questions):  # every answer wrong
        exams.answer(attempt.id, position, [(q.answer[0] + 1) % len(q.options)], now=NOW)
    exams.submit(attempt.id, NOW + timedelta(minutes=2))
    return exams, attempt.id, study


def test_the_follow_up_of_an_exam_from_six_sessions_at_once_runs_once(db, bank):
    exams, attempt_id, study = finished_exam_with_mistakes(db, bank)
    outcomes = race(6, lambda i: exams.follow_up(attempt_id, study.mark_for_review))
    moved = [o for o in outcomes if o is not None]
    assert len(moved) == 1 and not isinstance(moved[0], Exception), outcomes
    assert moved[0] == 3  # a1, a2 and b1, each linked to one missed question
    assert exams.load(attempt_id).cards_marked == moved[0]
    assert exams.unmarked() == []


def test_a_follow_up_that_fails_half_way_leaves_nothing_behind(db, bank):
    exams, attempt_id, study = finished_exam_with_mistakes(db, bank)

    def breaks_after_moving(card_ids, now=None, *, conn=None):
        study.mark_for_review(card_ids, now, conn=conn)
        raise RuntimeError("the server went away")

    with pytest.raises(RuntimeError):
        exams.follow_up(attempt_id, breaks_after_moving)
    assert exams.unmarked() == [attempt_id]  # not claimed: the next visit tries again
    cards = table_of(CardState).c
    assert count(db, CardState, cards.position < 0) == 0  # and no card moved
    assert exams.follow_up(attempt_id, study.mark_for_review) == 3


# -- a workshop answer sent twice ---------------------------------------------------------------------


def test_a_workshop_answer_sent_from_two_sessions_at_once_is_stored_once(db, bank):
    questions = list(bank.questions.values())
    for _ in range(3):
        info, secret = rooms.create_room(db, questions, seconds=600, now=NOW)
        person, _ = rooms.join(db, info.code, "Carol", now=NOW)
        host_actions.start(db, info.id, secret, now=NOW)
        outcomes = race(
            2,
            lambda i, p=person.id: answers.submit_answer(
                db, p, 0, [i % 2 + 1], now=NOW + timedelta(seconds=1)
            ),
        )
        accepted = [o for o in outcomes if isinstance(o, Receipt)]
        refused = [o for o in outcomes if isinstance(o, errors.AlreadyAnswered)]
        assert (len(accepted), len(refused)) == (1, 1), outcomes
        stored = table_of(RoomAnswer).c
        assert count(db, RoomAnswer, stored.participant_id == person.id) == 1
        mine = rooms.room_state(db, info.id, participant_id=person.id).mine
        # Session 0 chose the key (option 1), session 1 option 2: the stored one is the winner's.
        assert mine is not None and mine.chosen == ((1,) if accepted[0].correct else (2,))


# -- the same card answered from two devices (lost updates) -----------------------------------------


def test_one_card_rated_from_eight_sessions_at_once_keeps_every_rating(db, bank):
    """The review's R5 (hammer_study.py same): 8 sessions rate one card 10 times each. Before,
    SQLite kept 56 of 160 ratings in the card's state and PostgreSQL 14 of 240; every rating
    must now be accepted, logged and counted in the card's repetitions."""
    profile = create_profile(db, "Cy")
    Study(db, profile).sync(bank, introduction_order(bank))

    def rate_ten_times(i: int) -> int:
        study = Study(db, profile)
        for k in range(10):
            study.answer("a1", Rating(k % 4 + 1), NOW + timedelta(minutes=k, seconds=i))
        return 10

    outcomes = race(8, rate_ten_times)
    assert outcomes == [10] * 8, outcomes  # none refused, none failed
    logs = table_of(ReviewLog).c
    assert count(db, ReviewLog, logs.card_id == "a1", logs.profile_id == profile.id) == 80
    assert Study(db, profile).memory("a1").reps == 80  # the card counts every logged answer


def test_a_card_question_and_card_ratings_at_once_keep_every_rating(db, bank):
    """A scenario question (which rates its linked cards in one transaction) racing plain
    ratings of the same cards: every rating reaches the card's state, and nothing deadlocks."""
    profile = create_profile(db, "Dee")
    study = Study(db, profile)
    study.sync(bank, introduction_order(bank))
    for card in ("a1", "a2", "b1"):
        study.answer(card, Rating.GOOD, NOW)
    two_cards = replace(bank.questions["q0"], id="q-two", cards=("b1", "a1"))

    def act(i: int) -> int:
        mine = Study(db, profile)
        for k in range(5):
            when = NOW + timedelta(minutes=k + 1, seconds=i)
            if i % 2:
                mine.answer_question(two_cards, [1], when)
            else:
                mine.answer("a1", Rating.GOOD, when)
        return 5

    assert race(6, act) == [5] * 6
    logs = table_of(ReviewLog).c
    for card in ("a1", "b1"):
        logged = count(db, ReviewLog, logs.card_id == card, logs.profile_id == profile.id)
        assert Study(db, profile).memory(card).reps == logged
    assert count(db, ReviewLog, logs.card_id == "a1") == 1 + 30  # 15 ratings + 15 questions


# -- the workshop participant cap ---------------------------------------------------------------------


def test_a_room_near_its_cap_takes_exactly_its_cap_under_concurrent_joins(db, bank, monkeypatch):
    """The review's join_race.py: a room pre-filled to 10 below its cap, then 30 joins at once.
    Before, the count and the insert were not atomic and the cap was exceeded by 7 to 9."""
    monkeypatch.setattr(rooms, "MAX_PARTICIPANTS", 20)
    info, _ = rooms.create_room(db, list(bank.questions.values()), teams=["Red", "Blue"], now=NOW)
    for i in range(10):
        rooms.join(db, info.code, f"Early {i}", now=NOW)
    outcomes = race(30, lambda i: rooms.join(db, info.code, f"Late {i}", now=NOW))
    joined = [o for o in outcomes if isinstance(o, tuple)]
    full = [o for o in outcomes if isinstance(o, errors.RoomFull)]
    assert (len(joined), len(full)) == (10, 20), outcomes
    people = rooms.participants(db, info.id)
    assert len(people) == 20
    sizes = [sum(p.team == t for p in people) for t in ("Red", "Blue")]
    assert sizes == [10, 10]  # the balancing saw every earlier join too


def test_one_name_joined_from_many_sessions_at_once_is_taken_once(db, bank):
    info, _ = rooms.create_room(db, list(bank.questions.values()), now=NOW)
    outcomes = race(12, lambda i: rooms.join(db, info.code, "Alice" if i % 2 else "alice ", now=NOW))
    assert sum(isinstance(o, tuple) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, errors.NameTaken) for o in outcomes if not isinstance(o, tuple))
