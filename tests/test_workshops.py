"""Workshop rooms: the rules, scoring, teams and concurrency, on SQLite and on PostgreSQL.

Time is passed in (``now=``) so every rule about the timer is tested exactly.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from tests.conftest import postgres_schema_url
from trainer.content.model import Bank, Domain, Option, Question, Reference
from trainer.store.engine import make_engine
from trainer.store.tables import CardState
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.workshops import (
    analysis,
    answers,
    errors,
    host_actions,
    model,
    naming,
    results,
    rooms,
    scoring,
    sources,
)
from trainer.workshops.access import ANSWERS, ROOMS

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
DOCS = (Reference("Docs", "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"),)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def question(
    i: int, kind: str = "single", topic: str = "alpha", domain=Domain.DEVELOPMENT, cards=("a1",), concepts=()
) -> Question:
    n = 4 if kind == "single" else 5
    return Question(
        id=f"q{i}",
        stem=f"Stem {i}?",
        type=kind,
        options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(n)),
        answer=(1,) if kind == "single" else (1, 3),
        domain=domain,
        difficulty=2,
        topic=topic,
        cards=cards,
        concepts=concepts,
        references=DOCS,
    )


QUESTIONS = [question(0), question(1, cards=("a2",)), question(2, "multiple", cards=("b1",))]


@pytest.fixture
def room(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=20, title="Team sync", now=T0)
    return engine, info, secret


def started(room, names=("Ana",)):
    engine, info, secret = room
    people = [rooms.join(engine, info.code, n, now=T0)[0] for n in names]
    host_actions.start(engine, info.id, secret, now=at(0))
    return people


def stored_answers(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ANSWERS)).scalar_one()


# -- rooms and codes --------------------------------------------------------------------------------


def test_a_room_gets_a_short_unambiguous_code_and_a_hashed_secret(room):
    engine, info, secret = room
    assert len(info.code) == naming.CODE_LENGTH and set(info.code) <= set(naming.CODE_ALPHABET)
    assert not set("IO01L") & set(naming.CODE_ALPHABET)
    assert info.phase is model.RoomPhase.LOBBY and info.total == 3 and info.current == -1
    assert len(secret) >= 40
    with engine.connect() as conn:
        row = conn.execute(select(ROOMS)).one()
    assert secret not in " ".join(str(v) for v in row)  # only its hash is stored
    assert row.host_secret_hash != secret and len(row.host_secret_hash) == 64


def test_join_codes_are_unique_among_open_rooms_and_freed_at_the_end(engine, monkeypatch):
    codes = iter(["AAAAA", "AAAAA", "BBBBB", "AAAAA"])
    monkeypatch.setattr(naming, "new_join_code", lambda: next(codes))
    first, secret = rooms.create_room(engine, QUESTIONS)
    second, _ = rooms.create_room(engine, QUESTIONS)
    assert (first.code, second.code) == ("AAAAA", "BBBBB")  # the clash was redrawn
    host_actions.end(engine, first.id, secret)
    third, third_secret = rooms.create_room(engine, QUESTIONS)
    assert third.code == "AAAAA"  # an ended room's code can be used again
    # The host link finds the right room among those that had the code.
    assert rooms.host_room(engine, "aaaaa", secret).id == first.id
    assert rooms.host_room(engine, "AAAAA", third_secret).id == third.id
    assert rooms.find_room(engine, "aa-aaa").id == third.id


def test_room_settings_are_validated(engine):
    with pytest.raises(errors.WorkshopError, match="at least one question"):
        rooms.create_room(engine, [])
    with pytest.raises(errors.WorkshopError, match="timer"):
        rooms.create_room(engine, QUESTIONS, seconds=2)
    with pytest.raises(errors.WorkshopError, match="two teams"):
        rooms.create_room(engine, QUESTIONS, teams=["Solo"])
    with pytest.raises(errors.WorkshopError, match="Two teams"):
        rooms.create_room(engine, QUESTIONS, teams=["Red", "red "])
    with pytest.raises(errors.WorkshopError, match="Scoring"):
        rooms.create_room(engine, QUESTIONS, scoring="fastest")
    with pytest.raises(errors.WorkshopError, match="at most 120 characters; this one has 121"):
        rooms.create_room(engine, QUESTIONS, title="T" * 121)  # refused, not trimmed


def test_questions_are_chosen_from_a_topic_concept_domain_or_by_hand():
    qs = [
        question(1, topic="alpha", concepts=("base",)),
        question(2, topic="beta"),
        question(3, topic="alpha", domain=Domain.SECURITY),
        question(4, topic="beta"),
    ]
    bank = Bank(questions={q.id: q for q in qs})
    pick = sources.select_questions
    assert {q.id for q in pick(bank, sources.Source("topic", "alpha"), 10)} == {"q1", "q3"}
    assert [q.id for q in pick(bank, sources.Source("concept", "base"), 10)] == ["q1"]
    assert [q.id for q in pick(bank, sources.Source("domain", "security"), 10)] == ["q3"]
    by_hand = sources.Source("questions", question_ids=("q4", "q1"))
    assert [q.id for q in pick(bank, by_hand, 1)] == ["q4", "q1"]  # all of them, in order
    assert len(pick(bank, sources.Source("topic", "beta"), 1, seed=3)) == 1
    assert pick(bank, sources.Source("topic", "beta"), 2, seed=3) == pick(
        bank, sources.Source("topic", "beta"), 2, seed=3
    )
    with pytest.raises(errors.WorkshopError, match="No questions"):
        pick(bank, sources.Source("topic", "gamma"), 5)
    with pytest.raises(errors.WorkshopError, match="Unknown question"):
        pick(bank, sources.Source("questions", question_ids=("nope",)), 5)


def test_the_snapshot_keeps_the_questions_as_they_were(room):
    engine, info, _ = room
    again = rooms.get_room(engine, info.id)
    assert again.questions[2].answer == (1, 3) and again.questions[2].choose == 2
    assert again.questions[0].references == DOCS and again.questions[1].cards == ("a2",)
    assert again.questions[0].domain_title == "Development with AWS services"


# -- joining -----------------------------------------------------------------------------------------------


def test_a_duplicate_display_name_is_refused_with_a_clear_message(room):
    engine, info, _ = room
    rooms.join(engine, info.code, "Ana Lopez")
    with pytest.raises(errors.NameTaken, match="already called 'ana lopez'. Please choose another"):
        rooms.join(engine, info.code, "  ana   lopez ")
    assert [p.name for p in rooms.participants(engine, info.id)] == ["Ana Lopez"]


def test_display_names_are_cleaned_and_length_limited(room):
    engine, info, _ = room
    p, _ = rooms.join(engine, info.code, "  <b>Bob</b>\x07  ")
    assert p.name == "<b>Bob</b>"  # kept as typed (pages escape it), control characters dropped
    with pytest.raises(errors.InvalidName, match="at most 24"):
        rooms.join(engine, info.code, "x" * 25)
    with pytest.raises(errors.InvalidName, match="Enter a display name"):
        rooms.join(engine, info.code, "   ")


def test_a_wrong_code_and_an_ended_room_get_the_same_answer(room):
    """The review's oracle: "has ended" and "no open room" were different messages."""
    engine, info, secret = room
    with pytest.raises(errors.RoomNotFound, match="Enter the join code"):
        rooms.join(engine, "", "Ana")
    with pytest.raises(errors.RoomNotFound) as unknown:
        rooms.join(engine, "zzzz-zzzz", "Ana")
    host_actions.end(engine, info.id, secret)
    with pytest.raises(errors.RoomNotFound) as ended:
        rooms.join(engine, info.code, "Ana")
    assert str(unknown.value) == "No open room has the code ZZZZ-ZZZZ. Check the code on the host's screen."
    assert str(ended.value) == str(unknown.value).replace("ZZZZ-ZZZZ", naming.display_code(info.code))
    with pytest.raises(errors.RoomNotFound) as found:
        rooms.find_room(engine, info.code)
    assert str(found.value) == str(ended.value)


def test_a_seat_token_rejoins_after_a_reload_once(room):
    engine, info, _ = room
    p, seat = rooms.join(engine, info.code, "Ana")
    again, fresh = rooms.rejoin(engine, info.code.lower(), seat)
    assert again == p and fresh != seat
    with pytest.raises(errors.NotAParticipant):
        rooms.rejoin(engine, info.code, seat)  # used: swapped for the fresh one
    assert rooms.rejoin(engine, info.code, fresh)[0] == p
    with pytest.raises(errors.NotAParticipant):
        rooms.rejoin(engine, info.code, seat + "x")
    with pytest.raises(errors.NotAParticipant):
        rooms.rejoin(engine, "ZZZZZ", seat)


def test_late_joiners_can_enter_between_questions(room):
    engine, info, secret = room
    started(room)
    host_actions.reveal(engine, info.id, secret, now=at(5))
    late, _ = rooms.join(engine, info.code, "Late")
    host_actions.next_question(engine, info.id, secret, now=at(10))
    assert answers.submit_answer(engine, late.id, 1, [1], now=at(11)).correct


# -- the host secret ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        host_actions.start,
        host_actions.reveal,
        host_actions.next_question,
        host_actions.pause,
        host_actions.resume,
        host_actions.end,
    ],
)
def test_host_actions_need_the_secret(room, action):
    engine, info, secret = room
    _, seat = rooms.join(engine, info.code, "Mallory")
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for wrong in (None, "", tampered, seat, secret.upper() if secret.upper() != secret else secret + "x"):
        with pytest.raises(errors.HostOnly, match="Only the host"):
            action(engine, info.id, wrong, now=at(0))
    assert rooms.get_room(engine, info.id).revision == 0  # nothing changed


def test_a_tampered_host_link_is_refused_and_reports_need_the_secret(room):
    engine, info, secret = room
    assert rooms.host_room(engine, info.code, secret).id == info.id
    for wrong in (None, secret[:-2], secret + "x"):
        with pytest.raises(errors.HostOnly):
            rooms.host_room(engine, info.code, wrong)
    with pytest.raises(errors.HostOnly):
        analysis.report(engine, info.id, "guess")
    with pytest.raises(errors.HostOnly):
        analysis.answers_csv(engine, info.id, None)


# -- the flow and the timer ------------------------------------------------------------------------------


def test_start_needs_someone_and_questions_follow_the_host(room):
    engine, info, secret = room
    with pytest.raises(errors.WrongPhase, match="Nobody has joined"):
        host_actions.start(engine, info.id, secret, now=at(0))
    (ana,) = started(room)
    state = rooms.room_state(engine, info.id, ana.id, now=at(5))
    assert state.phase is model.RoomPhase.QUESTION_OPEN and state.room.current == 0
    assert state.remaining == timedelta(seconds=15) and not state.time_up
    with pytest.raises(errors.WrongPhase, match="already started"):
        host_actions.start(engine, info.id, secret, now=at(1))
    with pytest.raises(errors.WrongPhase, match="Reveal the answer before moving on"):
        host_actions.next_question(engine, info.id, secret, now=at(1))
    host_actions.reveal(engine, info.id, secret, now=at(6))
    with pytest.raises(errors.WrongPhase, match="no open question"):
        host_actions.reveal(engine, info.id, secret, now=at(7))
    for i in (1, 2):
        room_now = host_actions.next_question(engine, info.id, secret, now=at(10 * i))
        assert room_now.current == i and room_now.deadline == at(10 * i + 20)
        host_actions.reveal(engine, info.id, secret, now=at(10 * i + 5))
    finished = host_actions.next_question(engine, info.id, secret, now=at(40))  # after the last: the end
    assert finished.phase is model.RoomPhase.FINISHED and finished.finished_at == at(40)
    with pytest.raises(errors.WrongPhase, match="already ended"):
        host_actions.end(engine, info.id, secret)


def test_speed_scoring_follows_kahoots_formula(room):
    engine, info, secret = room
    a, b, c, d = started(room, ("A", "B", "C", "D"))
    assert answers.submit_answer(engine, a.id, 0, [1], now=at(0.3)).points == 1000  # under 0.5 s
    assert answers.submit_answer(engine, b.id, 0, [1], now=at(2)).points == 950  # 1000(1 - 2/20/2)
    assert answers.submit_answer(engine, c.id, 0, [1], now=at(20)).points == 500  # the slowest: 500
    wrong = answers.submit_answer(engine, d.id, 0, [2], now=at(1))
    assert (wrong.correct, wrong.points, wrong.elapsed_ms) == (False, 0, 1000)
    assert scoring.points_for(True, 7, 20, "speed") == 825  # round(1000 * (1 - 0.175))
    assert scoring.points_for(True, 1, 40, "speed") == 988  # 987.5 rounds half up
    assert scoring.points_for(True, 99, 20, "speed") == 500  # clamped to the timer
    assert scoring.points_for(True, 15, 20, "accuracy") == 1000
    assert scoring.points_for(False, 0.1, 20, "accuracy") == 0


def test_accuracy_scoring_ignores_speed(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=30, scoring="accuracy")
    fast, _ = rooms.join(engine, info.code, "Fast")
    slow, _ = rooms.join(engine, info.code, "Slow")
    host_actions.start(engine, info.id, secret, now=at(0))
    answers.submit_answer(engine, fast.id, 0, [1], now=at(0.2))
    answers.submit_answer(engine, slow.id, 0, [1], now=at(29))
    board = results.leaderboard(engine, info.id)
    assert [(s.rank, s.points) for s in board] == [(1, 1000), (1, 1000)]  # a shared first place


def test_a_second_answer_to_the_same_question_is_rejected(room):
    engine, info, _ = room
    (ana,) = started(room)
    answers.submit_answer(engine, ana.id, 0, [2], now=at(1))
    with pytest.raises(errors.AlreadyAnswered, match="one answer per question"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(2))
    assert stored_answers(engine) == 1
    mine = rooms.room_state(engine, info.id, ana.id, now=at(3)).mine
    assert mine is not None and mine.chosen == (2,)  # the first stays


def test_an_answer_after_the_timer_is_rejected(room):
    engine, info, _ = room
    ana, bob = started(room, ("Ana", "Bob"))
    with pytest.raises(errors.TooLate, match="Time is up"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(21))
    # Within the grace for the network: accepted, timed at the timer's end.
    assert answers.submit_answer(engine, bob.id, 0, [1], now=at(20.4)).points == 500
    assert stored_answers(engine) == 1
    state = rooms.room_state(engine, info.id, now=at(21))
    assert state.time_up and state.remaining == timedelta(0) and state.should_reveal


def test_answers_are_taken_only_while_the_question_is_open(room):
    engine, info, secret = room
    ana, _ = rooms.join(engine, info.code, "Ana", now=T0)
    with pytest.raises(errors.QuestionClosed, match="closed"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(0))  # lobby
    host_actions.start(engine, info.id, secret, now=at(0))
    with pytest.raises(errors.QuestionClosed, match="closed"):
        answers.submit_answer(engine, ana.id, 1, [1], now=at(1))  # not the open question
    host_actions.pause(engine, info.id, secret, now=at(2))
    with pytest.raises(errors.QuestionClosed, match="paused"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(3))
    host_actions.reveal(engine, info.id, secret, now=at(4))
    with pytest.raises(errors.QuestionClosed, match="closed"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(5))
    host_actions.end(engine, info.id, secret, now=at(6))
    with pytest.raises(errors.QuestionClosed, match="ended"):
        answers.submit_answer(engine, ana.id, 0, [1], now=at(7))
    with pytest.raises(errors.NotAParticipant):
        answers.submit_answer(engine, 987654, 0, [1], now=at(7))
    assert stored_answers(engine) == 0


def test_pause_freezes_the_clock_and_the_pause_does_not_count(room):
    engine, info, secret = room
    (ana,) = started(room)
    host_actions.pause(engine, info.id, secret, now=at(5))
    paused = rooms.room_state(engine, info.id, now=at(50))
    assert paused.phase is model.RoomPhase.PAUSED and paused.remaining == timedelta(seconds=15)
    with pytest.raises(errors.WrongPhase):
        host_actions.pause(engine, info.id, secret, now=at(51))
    resumed = host_actions.resume(engine, info.id, secret, now=at(65))
    assert resumed.deadline == at(80) and resumed.opened_at == at(60)
    receipt = answers.submit_answer(engine, ana.id, 0, [1], now=at(70))
    assert receipt.elapsed_ms == 10_000 and receipt.points == 750
    with pytest.raises(errors.WrongPhase, match="not paused"):
        host_actions.resume(engine, info.id, secret, now=at(71))
    with pytest.raises(errors.WrongPhase, match="already up"):
        host_actions.pause(engine, info.id, secret, now=at(80))


def test_multiple_response_is_all_or_nothing_and_must_choose_n(room):
    engine, info, secret = room
    ana, bob = started(room, ("Ana", "Bob"))
    for i in (0, 1):
        host_actions.reveal(engine, info.id, secret, now=at(30 * i + 25))
        host_actions.next_question(engine, info.id, secret, now=at(30 * i + 30))
    with pytest.raises(errors.InvalidAnswer, match="Choose 2 options"):
        answers.submit_answer(engine, ana.id, 2, [1], now=at(61))
    with pytest.raises(errors.InvalidAnswer, match="not one of the options"):
        answers.submit_answer(engine, ana.id, 2, [1, 9], now=at(61))
    assert answers.submit_answer(engine, ana.id, 2, [3, 1], now=at(61)).correct
    assert not answers.submit_answer(engine, bob.id, 2, [1, 2], now=at(61)).correct
    dist = results.distribution(engine, info.id, 2)
    assert dist.counts == (0, 2, 1, 1, 0) and (dist.answers, dist.correct) == (2, 1)
    assert dist.share_correct == 0.5


# -- leaderboard and teams -----------------------------------------------------------------------------


def test_leaderboard_ranks_share_ties(room):
    engine, info, _ = room
    a, b, c, d = started(room, ("Dee", "Cal", "Bea", "Abe"))
    answers.submit_answer(engine, a.id, 0, [1], now=at(2))  # 950
    answers.submit_answer(engine, b.id, 0, [1], now=at(2))  # 950
    answers.submit_answer(engine, c.id, 0, [1], now=at(20))  # 500
    board = results.leaderboard(engine, info.id)
    assert [(s.rank, s.name, s.points, s.correct, s.answered) for s in board] == [
        (1, "Cal", 950, 1, 1),
        (1, "Dee", 950, 1, 1),
        (3, "Bea", 500, 1, 1),
        (4, "Abe", 0, 0, 0),
    ]


def test_teams_are_balanced_and_scored_by_the_members_average(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=20, teams=["Red", "Blue"])
    assert info.teams == ("Red", "Blue")
    r1, _ = rooms.join(engine, info.code, "R1", team="red")
    assert r1.team == "Red"
    auto = [rooms.join(engine, info.code, f"P{i}")[0].team for i in range(3)]
    assert auto == ["Blue", "Red", "Blue"]  # the smallest team; on a tie the first
    with pytest.raises(errors.WorkshopError, match="no team 'Green'"):
        rooms.join(engine, info.code, "G", team="Green")
    host_actions.start(engine, info.id, secret, now=at(0))
    people = {p.name: p for p in rooms.participants(engine, info.id)}
    answers.submit_answer(engine, people["R1"].id, 0, [1], now=at(0.1))  # Red: 1000
    answers.submit_answer(engine, people["P1"].id, 0, [1], now=at(20))  # Red: 500
    answers.submit_answer(engine, people["P0"].id, 0, [1], now=at(2))  # Blue: 950
    teams = results.team_scores(engine, info.id)
    assert [(t.rank, t.team, t.members, t.points, t.total) for t in teams] == [
        (1, "Red", 2, 750.0, 1500),
        (2, "Blue", 2, 475.0, 950),
    ]


# -- results, study queue, report -------------------------------------------------------------------------


def test_own_results_and_mistakes_go_to_the_study_queue(engine, small_bank):
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=20)
    ana, _ = rooms.join(engine, info.code, "Ana")
    host_actions.start(engine, info.id, secret, now=at(0))
    answers.submit_answer(engine, ana.id, 0, [2], now=at(1))  # wrong: card a1
    host_actions.reveal(engine, info.id, secret, now=at(5))
    host_actions.next_question(engine, info.id, secret, now=at(10))
    answers.submit_answer(engine, ana.id, 1, [1], now=at(11))  # right: card a2
    host_actions.end(engine, info.id, secret, now=at(20))  # question 3 (card b1) never asked
    mine = results.my_results(engine, ana.id)
    # Review defect 18: the unasked question is neither answered nor missed.
    assert rooms.get_room(engine, info.id).asked == 2
    assert [(r.chosen, r.correct) for r in mine] == [((2,), False), ((1,), True)]
    assert results.mistake_cards(mine) == ["a1"]

    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(small_bank, sorted(small_bank.cards))
    assert results.add_mistakes_to_study(engine, ana.id, study) == 1
    with engine.connect() as conn:
        first = conn.execute(
            select(col(CardState.card_id))
            .where(col(CardState.profile_id) == profile.id)
            .order_by(col(CardState.position))
            .limit(1)
        ).scalar_one()
    assert first == "a1"  # at the front of the new-card queue


def test_report_and_csv_cover_every_answer(room):
    engine, info, secret = room
    people = started(room, ("=cmd|calc", "Bo", "Cy", "Di"))
    for p, option in zip(people, (1, 1, 2, 0), strict=True):
        answers.submit_answer(engine, p.id, 0, [option], now=at(4))
    host_actions.reveal(engine, info.id, secret, now=at(10))
    host_actions.next_question(engine, info.id, secret, now=at(11))
    for p, option in zip(people, (1, 2, 2, 2), strict=True):
        answers.submit_answer(engine, p.id, 1, [option], now=at(13))
    host_actions.end(engine, info.id, secret, now=at(20))

    rep = analysis.report(engine, info.id, secret)
    assert (rep.participants, rep.respondents, rep.answers) == (4, 4, 8)
    first, second = rep.items  # question 3 was never asked: no figures (review defect 18)
    assert (first.stats.n, first.stats.correct, first.stats.p) == (4, 2, 0.5)
    # Totals 2, 1, 0, 0: item 0 right for totals 2 and 1 (M_p 1.5), wrong for 0 and 0 (M_q 0),
    # S_t = sqrt(.6875) = 0.8291562, p = .5: 1.5 / 0.8291562 * .5 = 0.9045340
    assert first.stats.r_pb == pytest.approx(0.9045340, abs=1e-6)
    assert second.stats.p == 0.25 and "too_hard" in second.stats.flag_codes
    assert first.question.id == "q0"

    rows = list(csv.DictReader(io.StringIO(analysis.answers_csv(engine, info.id, secret))))
    assert len(rows) == 8 and list(rows[0]) == analysis.CSV_COLUMNS
    assert rows[0]["participant"] == "'=cmd|calc"  # not a spreadsheet formula
    assert {
        (r["question"], r["chosen"], r["correct"], r["time_s"], r["points"])
        for r in rows
        if r["participant"] == "Bo"
    } == {("1", "B", "yes", "4.000", "900"), ("2", "C", "no", "2.000", "0")}


def test_room_state_for_polling(room):
    engine, info, secret = room
    ana, bob = started(room, ("Ana", "Bob"))
    answers.submit_answer(engine, ana.id, 0, [1], now=at(3))
    state = rooms.room_state(engine, info.id, participant_id=ana.id, now=at(4))
    assert (state.participants, state.answered) == (2, 1)
    assert state.mine == model.MyAnswer(0, (1,), True, 925, 3000)
    assert rooms.room_state(engine, info.id, participant_id=bob.id, now=at(4)).mine is None
    assert not state.should_reveal
    answers.submit_answer(engine, bob.id, 0, [0], now=at(5))
    assert rooms.room_state(engine, info.id, now=at(6)).should_reveal  # everyone has answered
    live = rooms.room_state(engine, info.id)  # the real clock (the database's on PostgreSQL)
    assert live.now.tzinfo is not None and live.now > T0


# -- concurrency ------------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def threaded_engine(request, tmp_path):
    """A pooled engine many threads can share (in-memory SQLite shares one connection)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'threads.db'}")
        yield engine
        engine.dispose()
        return
    with postgres_schema_url() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_concurrent_duplicate_answers_land_once(threaded_engine):
    engine = threaded_engine
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=600)
    people = [rooms.join(engine, info.code, f"P{i}")[0] for i in range(4)]
    host_actions.start(engine, info.id, secret)
    go = threading.Barrier(24)
    outcomes: list[str] = []

    def send(pid: int) -> None:
        go.wait()
        try:
            answers.submit_answer(engine, pid, 0, [1])
            outcomes.append("ok")
        except errors.AlreadyAnswered:
            outcomes.append("dup")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=send, args=(people[i % 4].id,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["dup"] * 20 + ["ok"] * 4
    assert stored_answers(engine) == 4


def test_a_reveal_racing_answers_never_lets_one_in_afterwards(threaded_engine):
    engine = threaded_engine
    info, secret = rooms.create_room(engine, QUESTIONS, seconds=600)
    people = [rooms.join(engine, info.code, f"P{i}")[0] for i in range(12)]
    host_actions.start(engine, info.id, secret)
    go = threading.Barrier(13)
    accepted: list[int] = []

    def send(pid: int) -> None:
        go.wait()
        try:
            answers.submit_answer(engine, pid, 0, [1])
            accepted.append(pid)
        except errors.QuestionClosed:
            pass

    threads = [threading.Thread(target=send, args=(p.id,)) for p in people]
    for t in threads:
        t.start()
    go.wait()
    host_actions.reveal(engine, info.id, secret)
    revealed = results.distribution(engine, info.id, 0).answers  # read right after the reveal
    for t in threads:
        t.join()
    assert stored_answers(engine) == len(accepted) == revealed
