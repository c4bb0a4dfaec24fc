"""Workshops with sign-in on (issue 15): a signed-in participant's seat and answers are their
profile's, guests join only when the host allows, and only the room's host (or a maintainer)
can use its host secret or links; each refusal is plain and changes nothing. SQLite and
PostgreSQL; time is passed in (``now=``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.test_workshops import QUESTIONS, T0, at
from trainer.access.identity import Identity
from trainer.access.permissions import GUEST, AccessDenied, Actor
from trainer.access.roles import Role
from trainer.content.graph import introduction_order
from trainer.store.tables import (
    HostLink,
    ReviewLog,
    Room,
    RoomAnswer,
    RoomParticipant,
    TeamMember,
    table_of,
)
from trainer.store.types import utcnow
from trainer.study import accounts, profiles
from trainer.study.queue import Study
from trainer.study.scheduling import Rating
from trainer.teams import assignments, membership
from trainer.workshops import analysis, answers, errors, history, host_actions, links, results, rooms
from trainer.workshops.access import NOT_THE_HOST
from trainer.workshops.throttle import Visitor

ISSUER = "http://127.0.0.1:9999"
FAY = Actor(Role.FACILITATOR, Identity("fay-3", ISSUER, "fay@example.com", "Fay Host"))
GIL = Actor(Role.FACILITATOR, Identity("gil-4", ISSUER, "gil@example.com", "Gil Other"))
ANA = Actor(Role.MAINTAINER, Identity("ana-1", ISSUER, "ana@example.com", "Ana Silva"))
BEN = Actor(Role.LEARNER, Identity("ben-2", ISSUER, "ben@example.com", "Ben Ode"))
CAT = Actor(Role.LEARNER, Identity("cat-5", ISSUER, "cat@example.com", "Cat Learner"))
PHONE, LAPTOP = Visitor("phone-session", "10.0.0.7"), Visitor("laptop-session", "10.0.0.8")


def snapshot(engine) -> dict[str, object]:
    """Everything a refused action must leave as it was."""
    with engine.connect() as conn:
        counts = {
            t.__name__: conn.execute(select(func.count()).select_from(table_of(t))).scalar_one()
            for t in (Room, RoomParticipant, RoomAnswer, HostLink, ReviewLog)
        }
        rooms_now = conn.execute(
            select(table_of(Room).c.id, table_of(Room).c.phase, table_of(Room).c.revision).order_by("id")
        ).all()
        seats = conn.execute(
            select(table_of(RoomParticipant).c.id, table_of(RoomParticipant).c.seat_hash).order_by("id")
        ).all()
    return {**counts, "rooms": [tuple(r) for r in rooms_now], "seats": [tuple(s) for s in seats]}


@pytest.fixture
def bens_study(engine, small_bank):
    """Ben has signed in before and studied card a1 (so a1 is started; a2 and b1 are not)."""
    ben = accounts.profile_for_identity(engine, BEN.identity)
    study = Study(engine, ben, actor=BEN)
    study.sync(small_bank, introduction_order(small_bank))
    study.answer("a1", Rating.GOOD, T0 - timedelta(days=3))
    return study


@pytest.fixture
def fays_room(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, title="Sync", now=T0, actor=FAY)
    return engine, info, secret


# -- a signed-in participant's seat and answers ----------------------------------------------------


def test_a_signed_in_participants_answers_go_to_their_own_profile(fays_room, bens_study):
    engine, info, secret = fays_room
    ben = bens_study.profile
    seat, _ = rooms.join(engine, info.code, "Benny", now=T0, visitor=PHONE, actor=BEN)
    assert seat.profile_id == ben.id
    host_actions.start(engine, info.id, secret, now=at(1), actor=FAY)
    answers.submit_answer(engine, seat.id, 0, [1], now=at(3))  # right; its card a1 is started
    log = table_of(ReviewLog)
    with engine.connect() as conn:
        rows = conn.execute(select(log).where(log.c.kind == "question")).all()
        stored = conn.execute(select(table_of(RoomAnswer))).one()
    assert [(r.profile_id, r.card_id, r.rating, r.question_id) for r in rows] == [(ben.id, "a1", 3, "q0")]
    assert rows[0].reviewed_at == stored.answered_at and rows[0].duration_ms == stored.elapsed_ms
    assert stored.question_id == "q0"
    assert bens_study.memory("a1").last_review == at(3)  # the card's schedule moved on
    # A wrong answer to a question whose card Ben never started leaves his study alone.
    host_actions.reveal(engine, info.id, secret, now=at(5), actor=FAY)
    host_actions.next_question(engine, info.id, secret, now=at(6), actor=FAY)
    answers.submit_answer(engine, seat.id, 1, [0], now=at(8))
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(log).where(log.c.kind == "question")).scalar() == 1
        )
    assert bens_study.memory("a2").reps == 0
    # Joining again from another device gives back the same seat, name and points.
    again, _ = rooms.join(engine, info.code, "Another name", now=at(9), visitor=LAPTOP, actor=BEN)
    assert (again.id, again.name) == (seat.id, "Benny")
    # His Profile page lists the workshop with his score and place.
    (taken,) = history.profile_workshops(engine, ben.id, actor=BEN)
    assert (taken.code, taken.title, taken.name, taken.asked, taken.answered, taken.correct) == (
        info.code,
        "Sync",
        "Benny",
        2,
        2,
        1,
    )
    assert taken.rank == 1 and taken.participants == 1 and taken.points > 0
    # Nobody else may read it, and a guest has no profile at all.
    for other in (CAT, GUEST):
        with pytest.raises(AccessDenied):
            history.profile_workshops(engine, ben.id, actor=other)


def test_workshop_answers_count_toward_a_questions_assignment(engine, bens_study):
    ben = bens_study.profile
    accounts.profile_for_identity(engine, FAY.identity)
    team = membership.create_team(engine, "Cohort", FAY)
    membership.join_with_link(engine, membership.new_join_link(engine, FAY, team.id), ben.id, BEN)
    today = utcnow().date()
    assigned = assignments.create_assignment(
        engine, FAY, team.id, "questions", ["q0", "q1"], today + timedelta(days=7), today
    )
    # On the clock (an assignment counts what is done after it was made).
    info, secret = rooms.create_room(engine, QUESTIONS, actor=FAY)
    seat, _ = rooms.join(engine, info.code, "Ben", actor=BEN)
    host_actions.start(engine, info.id, secret, actor=FAY)
    answers.submit_answer(engine, seat.id, 0, [1])
    (progress,) = assignments.team_progress(engine, FAY, assigned.id)
    # One answer, although it is both in the room and (its card started) in the review log.
    assert (progress.done, progress.total, progress.answers, progress.correct) == (1, 2, 1, 1)


def test_the_mistakes_of_anothers_seat_cannot_be_added_to_ones_study(fays_room, bens_study, small_bank):
    engine, info, secret = fays_room
    seat, _ = rooms.join(engine, info.code, "Ben", now=T0, actor=BEN)
    cat = accounts.profile_for_identity(engine, CAT.identity)
    cats_study = Study(engine, cat, actor=CAT)
    cats_study.sync(small_bank, introduction_order(small_bank))
    with pytest.raises(errors.NotAParticipant, match="someone else's seat"):
        results.add_mistakes_to_study(engine, seat.id, cats_study)


def test_a_signed_in_participants_seat_link_opens_only_for_them(fays_room, bens_study):
    engine, info, _ = fays_room
    _, token = rooms.join(engine, info.code, "Ben", now=T0, visitor=PHONE, actor=BEN)
    before = snapshot(engine)
    for stranger in (CAT, GUEST):
        with pytest.raises(errors.NotAParticipant, match="belongs to someone else"):
            rooms.rejoin(engine, info.code, token, LAPTOP, now=at(5), actor=stranger)
    assert snapshot(engine) == before  # the token still works, for Ben
    seat, _ = rooms.rejoin(engine, info.code, token, LAPTOP, now=at(6), actor=BEN)
    assert seat.profile_id == bens_study.profile.id


def test_deleting_a_profile_leaves_its_workshop_answers_anonymous(fays_room, engine):
    _, info, secret = fays_room
    # Local mode (deleting is offered there): a seat bound earlier, and a team membership.
    ben = accounts.profile_for_identity(engine, BEN.identity)
    seat, _ = rooms.join(engine, info.code, "Ben", now=T0, actor=BEN)
    host_actions.start(engine, info.id, secret, now=at(1), actor=FAY)
    answers.submit_answer(engine, seat.id, 0, [1], now=at(3))
    team = membership.create_team(engine, "Cohort", FAY)
    membership.join_with_link(engine, membership.new_join_link(engine, FAY, team.id), ben.id, BEN)
    profiles.delete_profile(engine, ben.id)
    with engine.connect() as conn:
        assert conn.execute(select(table_of(RoomParticipant).c.profile_id)).scalar_one() is None
        assert conn.execute(select(func.count()).select_from(table_of(RoomAnswer))).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(table_of(TeamMember))).scalar_one() == 1  # Fay
    assert [s.points > 0 for s in results.leaderboard(engine, info.id)] == [True]


# -- guests --------------------------------------------------------------------------------------------


def test_guests_join_only_when_the_host_allows_them(engine):
    closed, _ = rooms.create_room(engine, QUESTIONS, now=T0, actor=FAY)  # signed-in default: no guests
    assert closed.allow_guests is False
    before = snapshot(engine)
    with pytest.raises(errors.GuestsNotAllowed, match="for signed-in participants: sign in first"):
        rooms.join(engine, closed.code, "Visitor", now=T0, visitor=PHONE, actor=GUEST)
    assert snapshot(engine) == before
    open_, _ = rooms.create_room(engine, QUESTIONS, now=T0, actor=FAY, allow_guests=True)
    guest, _ = rooms.join(engine, open_.code, "Visitor", now=T0, visitor=PHONE, actor=GUEST)
    assert guest.profile_id is None
    # Local mode has no guests to tell apart: everyone joins with a name, as before.
    local, _ = rooms.create_room(engine, QUESTIONS, now=T0)
    assert local.allow_guests is True and local.host_profile_id is None


def test_a_guests_answers_belong_to_the_room_only(engine, bens_study):
    info, secret = rooms.create_room(engine, QUESTIONS, now=T0, actor=FAY, allow_guests=True)
    guest, _ = rooms.join(engine, info.code, "Visitor", now=T0, actor=GUEST)
    host_actions.start(engine, info.id, secret, now=at(1), actor=FAY)
    answers.submit_answer(engine, guest.id, 0, [1], now=at(3))
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(table_of(ReviewLog))).scalar_one() == 1
        )  # Ben's own
    assert history.profile_workshops(engine, bens_study.profile.id, actor=BEN) == []


# -- host actions need the host --------------------------------------------------------------------------


def test_the_room_records_its_host_and_only_they_or_a_maintainer_run_it(fays_room):
    engine, info, secret = fays_room
    fay = accounts.bound_profile(engine, FAY.identity)
    assert fay is not None and info.host_profile_id == fay.id
    rooms.join(engine, info.code, "Ben", now=T0, actor=BEN)
    token = links.issue_host_link(engine, info.id, secret, now=T0, actor=FAY)
    before = snapshot(engine)
    # Gil, another facilitator, holds Fay's secret (seen in a screen share) and her link.
    replays = {
        "open the console": lambda: rooms.host_room(engine, info.code, secret, actor=GIL),
        "start": lambda: host_actions.start(engine, info.id, secret, now=at(1), actor=GIL),
        "end": lambda: host_actions.end(engine, info.id, secret, now=at(1), actor=GIL),
        "make a host link": lambda: links.issue_host_link(engine, info.id, secret, now=at(1), actor=GIL),
        "open her host link": lambda: links.open_host_link(engine, info.code, token, now=at(1), actor=GIL),
        "read the report": lambda: analysis.report(engine, info.id, secret, actor=GIL),
        "download the answers": lambda: analysis.answers_csv(engine, info.id, secret, actor=GIL),
    }
    for what, replay in replays.items():
        with pytest.raises(errors.NotTheHost) as refused:
            replay()
        assert str(refused.value) == NOT_THE_HOST, what
    # A learner with the secret is refused by role first.
    with pytest.raises(AccessDenied, match="Hosting a workshop needs the facilitator role"):
        host_actions.start(engine, info.id, secret, now=at(1), actor=BEN)
    assert snapshot(engine) == before  # nothing moved, and Fay's link is still there for her
    # Fay herself, and a maintainer stepping in, can.
    assert links.open_host_link(engine, info.code, token, now=at(2), actor=FAY)[1] == secret
    assert host_actions.start(engine, info.id, secret, now=at(2), actor=FAY).current == 0
    assert host_actions.reveal(engine, info.id, secret, now=at(3), actor=ANA).phase.value == "revealed"


@pytest.mark.parametrize("actor", [FAY, ANA], ids=["host", "maintainer"])
def test_a_forged_or_replayed_secret_is_refused_and_nothing_changes(fays_room, actor):
    engine, info, secret = fays_room
    rooms.join(engine, info.code, "Ben", now=T0, actor=BEN)
    token = links.issue_host_link(engine, info.id, secret, now=T0, actor=FAY)
    links.open_host_link(engine, info.code, token, now=at(1), actor=FAY)  # the link is used once
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    before = snapshot(engine)
    with pytest.raises(errors.HostOnly, match="host secret is missing or does not match"):
        host_actions.start(engine, info.id, forged, now=at(2), actor=actor)
    with pytest.raises(errors.HostOnly, match="missing or does not match"):
        rooms.host_room(engine, info.code, forged, actor=actor)
    with pytest.raises(errors.HostOnly, match="already used or has expired"):
        links.open_host_link(engine, info.code, token, now=at(2), actor=actor)  # replayed
    assert snapshot(engine) == before


def test_a_room_from_local_mode_is_run_by_a_maintainer_once_sign_in_is_on(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, now=T0)  # made before sign-in
    rooms.join(engine, info.code, "Ben", now=T0)
    before = snapshot(engine)
    with pytest.raises(errors.NotTheHost):
        host_actions.start(engine, info.id, secret, now=at(1), actor=FAY)
    assert snapshot(engine) == before
    assert host_actions.start(engine, info.id, secret, now=at(1), actor=ANA).current == 0
    # Local mode itself: the secret alone, as before.
    assert host_actions.reveal(engine, info.id, secret, now=at(2)).phase.value == "revealed"
