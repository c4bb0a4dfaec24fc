"""The cheap poll (issue 17) and speed points timed from the participant's screen (issue 16):
``trainer.workshops.live`` and its use by ``submit_answer``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from trainer.content.model import Domain, Option, Question
from trainer.store.engine import make_engine
from trainer.workshops import answers, host_actions, live, model, results, rooms, step_cache

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


QUESTIONS = [
    Question(
        id=f"q{i}",
        stem=f"Question {i}?",
        type="single",
        options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(4)),
        answer=(1,),
        domain=Domain.DEVELOPMENT,
        difficulty=2,
        topic="t",
    )
    for i in range(3)
]


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    yield engine
    engine.dispose()


def count_queries(engine):
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_one_pulse_read_serves_every_poll_of_the_process(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    rooms.join(engine, room.code, "Ana")
    seen = count_queries(engine)
    first = live.pulse(engine, room.id, max_age=60)
    for _ in range(200):  # 200 participants polling within the pulse's age
        assert live.pulse(engine, room.id, max_age=60) is first
    assert len(seen) == 1 and "questions" not in seen[0]  # one small query, no question JSON
    assert (first.phase, first.participants, first.revision) == (model.RoomPhase.LOBBY, 1, 0)


def test_a_change_made_on_this_server_is_seen_at_the_next_poll(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    before = live.pulse(engine, room.id, max_age=60)
    ana, _ = rooms.join(engine, room.code, "Ana")
    assert live.pulse(engine, room.id, max_age=60).participants == 1  # joining forgot the pulse
    host_actions.start(engine, room.id, secret)
    now = live.pulse(engine, room.id, max_age=60)
    assert now.phase is model.RoomPhase.QUESTION_OPEN and now.step != before.step
    answers.submit_answer(engine, ana.id, 0, [1])
    assert live.pulse(engine, room.id, max_age=60).answered == 1
    assert live.pulse(engine, room.id, max_age=60).should_reveal  # everyone answered


def test_another_servers_change_is_seen_within_the_pulse_age(engine, tmp_path):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    rooms.join(engine, room.code, "Ana")
    other = make_engine(str(engine.url))  # another server process, same database
    live.pulse(engine, room.id)
    host_actions.start(other, room.id, secret)
    assert live.pulse(engine, room.id, max_age=60).phase is model.RoomPhase.LOBBY  # still the cached one
    assert live.pulse(engine, room.id, max_age=0).phase is model.RoomPhase.QUESTION_OPEN
    other.dispose()


def test_points_are_timed_from_when_the_seat_was_shown_the_question(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    ana, _ = rooms.join(engine, room.code, "Ana", now=T0)
    bo, _ = rooms.join(engine, room.code, "Bo", now=T0)
    host_actions.start(engine, room.id, secret, now=at(0))
    opened = rooms.get_room(engine, room.id).opened_at
    assert opened is not None
    # Ana's page drew the question 3 s after the click (a slow poll), Bo's at once.
    shown_ana = live.mark_shown(ana.id, 0, opened, at(3))
    assert live.mark_shown(ana.id, 0, opened, at(9)) == shown_ana  # the first time counts
    shown_bo = live.mark_shown(bo.id, 0, opened, at(0))
    a = answers.submit_answer(engine, ana.id, 0, [1], now=at(7), shown_at=shown_ana)
    b = answers.submit_answer(engine, bo.id, 0, [1], now=at(4), shown_at=shown_bo)
    assert a.elapsed_ms == b.elapsed_ms == 4000 and a.points == b.points == 900  # same reading time


def test_a_shown_time_is_bounded_by_the_opening_and_the_deadline(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    ana, _ = rooms.join(engine, room.code, "Ana", now=T0)
    bo, _ = rooms.join(engine, room.code, "Bo", now=T0)
    host_actions.start(engine, room.id, secret, now=at(0))
    early = answers.submit_answer(engine, ana.id, 0, [1], now=at(2), shown_at=at(-30))
    assert early.elapsed_ms == 2000  # never before the question opened
    late = answers.submit_answer(engine, bo.id, 0, [1], now=at(20.2), shown_at=at(60))
    assert late.elapsed_ms == 200  # from the deadline at most: 20.2 s - 20 s (within the grace)


def test_the_shown_times_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(live, "SHOWN_MAX", 100)
    for i in range(250):
        live.mark_shown(10_000 + i, 0, T0, T0)
    assert live.shown_at(10_000 + 249, 0, T0) == T0
    assert live.shown_at(10_000, 0, T0) is None  # the oldest were dropped


# -- what every page of a process draws for one step (trainer.workshops.step_cache) ---------------------


def room_reads(seen: list[str]) -> int:
    """Reads of the room row with its questions' JSON (the pulse and the answer reads have none)."""
    return sum(1 for sql in seen if "questions" in sql)


def answer_reads(seen: list[str]) -> int:
    """Reads of one participant's own answer."""
    return sum(1 for sql in seen if "roomanswer.participant_id =" in sql)


def test_the_room_is_read_once_per_step_for_every_page_of_the_process(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    seats = [rooms.join(engine, room.code, f"P{i}")[0] for i in range(50)]
    host_actions.start(engine, room.id, secret)
    seen = count_queries(engine)
    for p in seats:  # the question just opened: every page draws it, no answer is read
        assert step_cache.room_state(engine, room.id, participant_id=p.id).mine is None
    assert room_reads(seen) == 1 and answer_reads(seen) == 0
    answers.submit_answer(engine, seats[0].id, 0, [1])
    seen.clear()
    states = [step_cache.room_state(engine, room.id, participant_id=p.id) for p in seats]
    assert room_reads(seen) == 0 and answer_reads(seen) == 50  # someone answered: each page asks
    assert {(s.room.revision, s.phase) for s in states} == {(1, model.RoomPhase.QUESTION_OPEN)}
    direct = rooms.room_state(engine, room.id, participant_id=seats[0].id)
    assert states[0].mine == direct.mine and states[0].mine is not None and states[1].mine is None
    assert (states[0].participants, states[0].answered) == (direct.participants, direct.answered) == (50, 1)
    assert states[0].room == direct.room
    host_actions.reveal(engine, room.id, secret)  # the next step is read once more
    seen.clear()
    assert step_cache.room_state(engine, room.id).phase is model.RoomPhase.REVEALED
    assert step_cache.room_state(engine, room.id).phase is model.RoomPhase.REVEALED
    assert room_reads(seen) == 1


def test_a_room_read_newer_than_the_pulse_brings_the_pulse_along(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    rooms.join(engine, room.code, "Ana")
    other = make_engine(str(engine.url))  # another server moves the room on
    stale = live.pulse(engine, room.id)
    host_actions.start(other, room.id, secret)
    step_cache.room_at(engine, room.id, 1)  # this process read the room after the change
    state = step_cache.room_state(engine, room.id)
    assert state.room.revision == 1 and state.phase is model.RoomPhase.QUESTION_OPEN
    assert live.pulse(engine, room.id).revision == 1 != stale.revision  # the page and its poll agree
    other.dispose()


def test_a_pulse_clock_moves_on_from_when_it_was_read(engine, monkeypatch):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    rooms.join(engine, room.code, "Ana")
    host_actions.start(engine, room.id, secret)
    pulse = live.pulse(engine, room.id, max_age=60)
    monkeypatch.setattr(live.time, "monotonic", lambda: pulse.read_at + 3)  # 3 s since the read
    assert pulse.clock() == pulse.now + timedelta(seconds=3)  # a countdown drawn now is not 3 s late


def test_revealed_results_are_computed_once_per_step(engine):
    room, secret = rooms.create_room(engine, QUESTIONS, seconds=20, teams=["Red", "Blue"])
    ana, _ = rooms.join(engine, room.code, "Ana", "Red")
    bo, _ = rooms.join(engine, room.code, "Bo", "Blue")
    opened = host_actions.start(engine, room.id, secret)
    with pytest.raises(ValueError):  # an open question's results can still change
        step_cache.revealed(engine, opened)
    answers.submit_answer(engine, ana.id, 0, [1])
    answers.submit_answer(engine, bo.id, 0, [2])
    shown = host_actions.reveal(engine, room.id, secret)
    seen = count_queries(engine)
    first = step_cache.revealed(engine, shown)
    queries = len(seen)
    assert all(step_cache.revealed(engine, shown) is first for _ in range(100)) and len(seen) == queries
    assert first.distribution == results.distribution(engine, room.id, 0)
    assert first.distribution is not None and first.distribution.counts[1:3] == (1, 1)
    assert list(first.standings) == results.leaderboard(engine, room.id)
    assert [t.team for t in first.teams] == ["Red", "Blue"]  # Ana was right
    host_actions.next_question(engine, room.id, secret)
    answers.submit_answer(engine, bo.id, 1, [1])
    second = step_cache.revealed(engine, host_actions.reveal(engine, room.id, secret))
    assert second.revision > first.revision and second.standings[0].name == "Ana"
    assert second.distribution is not None and second.distribution.question_index == 1
    finished = host_actions.end(engine, room.id, secret)
    final = step_cache.revealed(engine, finished)
    assert final.distribution is None and list(final.standings) == results.leaderboard(engine, room.id)
