# ruff: noqa: F811 - the room fixture imported from test_workshops is used as an argument
"""Joining while a question is open (review defect 32): the late joiner gets that question at
once with the time that is left, and speed points count from when it appeared on their screen,
as the README says. On SQLite and PostgreSQL, with time passed in as in test_workshops.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_workshops import at, room, started  # noqa: F401 - fixture
from trainer.workshops import answers, errors, model, rooms


def test_a_late_joiner_gets_the_open_question_with_the_time_left(room):
    engine, info, _secret = room  # 20 seconds a question
    started(room)  # the first question opened at 0 s
    late, _token = rooms.join(engine, info.code, "Late", now=at(16))
    state = rooms.room_state(engine, info.id, participant_id=late.id, now=at(16))
    assert state.phase is model.RoomPhase.QUESTION_OPEN and state.room.current == 0
    assert state.question is not None and state.question.id == "q0"
    assert state.remaining == timedelta(seconds=4) and state.mine is None
    receipt = answers.submit_answer(engine, late.id, 0, [1], now=at(17), shown_at=at(16))
    assert receipt.correct and receipt.points == 975  # timed from 16 s: 1 of 20 s, not 17
    with pytest.raises(errors.AnswerRejected):
        answers.submit_answer(engine, late.id, 0, [1], now=at(18))  # once per question


def test_a_late_joiner_cannot_answer_after_the_time_left(room):
    engine, info, _secret = room
    started(room)
    late, _token = rooms.join(engine, info.code, "Late", now=at(16))
    with pytest.raises(errors.AnswerRejected):
        answers.submit_answer(engine, late.id, 0, [1], now=at(21), shown_at=at(16))
