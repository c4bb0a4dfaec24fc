"""Getting into a workshop room (issue 17): join-code guessing is rate-limited across servers, a
browser session holds one seat, seat and host links work once, and no secret waits in a URL.

On SQLite and PostgreSQL; time is passed in (``now=``).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from trainer.content.model import Domain, Option, Question, Reference
from trainer.store.engine import make_engine
from trainer.store.tables import HostLink, JoinAttempt, table_of
from trainer.workshops import errors, host_actions, links, naming, rooms, throttle
from trainer.workshops.model import SEAT_TOKEN_TTL
from trainer.workshops.throttle import Visitor

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
DOCS = (Reference("Docs", "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"),)
QUESTIONS = [
    Question(
        id=f"q{i}",
        stem=f"Stem {i}?",
        type="single",
        options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(4)),
        answer=(1,),
        domain=Domain.DEVELOPMENT,
        difficulty=2,
        topic="alpha",
        cards=("a1",),
        concepts=(),
        references=DOCS,
    )
    for i in range(2)
]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def rows(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table_of(model))).scalar_one()


@pytest.fixture
def room(engine):
    info, secret = rooms.create_room(engine, QUESTIONS, now=T0)
    return engine, info, secret


# -- guessing join codes -------------------------------------------------------------------------------


def test_codes_are_long_enough_for_the_rate_limit_and_easy_to_type():
    assert naming.CODE_LENGTH == 8 and len(naming.CODE_ALPHABET) == 31
    assert len(naming.CODE_ALPHABET) ** naming.CODE_LENGTH > 2**39  # was 31**5, 24.8 bits
    per_day = throttle.ADDRESS_LIMIT * (timedelta(days=1) / throttle.WINDOW)
    assert per_day * 50 / len(naming.CODE_ALPHABET) ** naming.CODE_LENGTH < 1e-5  # 50 open rooms
    code = naming.new_join_code()
    assert naming.normalise_code(naming.display_code(code).lower()) == code
    assert naming.display_code("ABCDEFGH") == "ABCD-EFGH"


def test_wrong_codes_from_one_session_are_refused_with_a_wait(room):
    """The review's brute.py: 240 guesses in 30 s from one session, never throttled."""
    engine, info, _ = room
    guesser = Visitor(session="tab-1")
    for i in range(throttle.SESSION_LIMIT):
        with pytest.raises(errors.RoomNotFound):
            rooms.find_room(engine, f"ZZZZZZZ{naming.CODE_ALPHABET[i]}", guesser, now=at(i))
    with pytest.raises(errors.TooManyAttempts, match=r"wait 55 s") as refused:
        rooms.find_room(engine, info.code, guesser, now=at(5))  # even the right code, while over
    assert refused.value.wait_seconds == 55  # the first wrong code leaves the window at 60 s
    with pytest.raises(errors.TooManyAttempts):
        rooms.join(engine, info.code, "Ana", now=at(30), visitor=guesser)
    assert rooms.find_room(engine, info.code, guesser, now=at(61)).id == info.id
    # Another session at the same moment was never limited.
    assert rooms.find_room(engine, info.code, Visitor(session="tab-2"), now=at(5)).id == info.id


def test_the_address_limit_counts_every_session_of_one_address(room):
    engine, info, _ = room
    for i in range(throttle.ADDRESS_LIMIT):
        with pytest.raises(errors.RoomNotFound):
            rooms.find_room(engine, "ZZZZZZZZ", Visitor(session=f"s{i}", address="203.0.113.9"), now=at(1))
    with pytest.raises(errors.TooManyAttempts):
        rooms.find_room(engine, info.code, Visitor(session="fresh", address="203.0.113.9"), now=at(2))
    other = Visitor(session="fresh", address="198.51.100.4")
    assert rooms.find_room(engine, info.code, other, now=at(2)).id == info.id


def test_right_codes_are_not_counted_so_a_classroom_behind_one_address_joins(room):
    engine, info, _ = room
    for i in range(120):
        person, _ = rooms.join(engine, info.code, f"P{i}", now=at(1), visitor=Visitor(f"s{i}", "10.0.0.1"))
        assert person.room_id == info.id
    assert rows(engine, JoinAttempt) == 0


def test_attempts_older_than_the_window_are_pruned(room):
    engine, _, _ = room
    for i in range(3):
        with pytest.raises(errors.RoomNotFound):
            rooms.find_room(engine, "ZZZZZZZZ", Visitor("a", "10.0.0.2"), now=at(i))
    assert rows(engine, JoinAttempt) == 6  # one per session, one per address
    with pytest.raises(errors.RoomNotFound):
        rooms.find_room(engine, "ZZZZZZZZ", Visitor("b"), now=at(120))
    assert rows(engine, JoinAttempt) == 1


def test_the_limit_holds_across_server_processes(empty_db_url):
    """Two engines (two app servers) take 40 wrong codes from one address at once: exactly the
    address's 30 are counted and looked up, the other 10 told to wait."""
    servers = [make_engine(empty_db_url) for _ in range(2)]
    go = threading.Barrier(40)
    outcomes: list[Any] = [None] * 40

    def guess(i: int) -> None:
        go.wait()
        try:
            rooms.find_room(servers[i % 2], f"ZZZZ{i:04d}", Visitor(f"s{i}", "192.0.2.7"), now=at(1))
        except errors.WorkshopError as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    waits = [o for o in outcomes if isinstance(o, errors.TooManyAttempts)]
    wrong = [o for o in outcomes if type(o) is errors.RoomNotFound]
    assert (len(wrong), len(waits)) == (throttle.ADDRESS_LIMIT, 40 - throttle.ADDRESS_LIMIT), outcomes
    for server in servers:
        server.dispose()


# -- seats per browser session ------------------------------------------------------------------------


def test_one_browser_session_holds_one_seat(room):
    """The review: one client joined 5 names and answered each question 5 times."""
    engine, info, _ = room
    tab = Visitor("tab-1", "10.0.0.3")
    first, _ = rooms.join(engine, info.code, "Ana", now=at(1), visitor=tab)
    for name in ("Bob", "Cy", "Dee", "Eve"):
        again, seat = rooms.join(engine, info.code, name, now=at(2), visitor=tab)
        assert again == first  # the seat it holds, under its first name
        assert rooms.rejoin(engine, info.code, seat, tab, now=at(3))[0] == first
    neighbour, _ = rooms.join(engine, info.code, "Bob", now=at(4), visitor=Visitor("tab-2", "10.0.0.3"))
    assert [p.name for p in rooms.participants(engine, info.id)] == ["Ana", "Bob"]
    assert neighbour.id != first.id


def test_the_host_can_allow_several_seats_per_browser(engine):
    info, _ = rooms.create_room(engine, QUESTIONS, seats_per_browser=3, now=T0)
    shared = Visitor("kiosk")
    for name in ("Ana", "Bob", "Cy"):
        rooms.join(engine, info.code, name, now=at(1), visitor=shared)
    with pytest.raises(errors.SeatLimit, match="holds 3 seats"):
        rooms.join(engine, info.code, "Dee", now=at(2), visitor=shared)
    with pytest.raises(errors.WorkshopError, match="Seats per browser"):
        rooms.create_room(engine, QUESTIONS, seats_per_browser=0)


def test_a_reload_reclaims_the_seat_with_a_one_time_token(room):
    engine, info, _ = room
    person, seat = rooms.join(engine, info.code, "Ana", now=at(1), visitor=Visitor("tab-1"))
    reloaded = Visitor("tab-1-after-reload")  # a reload is a new browser session
    again, fresh = rooms.rejoin(engine, info.code, seat, reloaded, now=at(2))
    assert again == person and fresh != seat
    with pytest.raises(errors.NotAParticipant, match="already used or has expired"):
        rooms.rejoin(engine, info.code, seat, Visitor("someone-with-the-log"), now=at(3))
    # The seat moved to the reloaded session: joining again there gives it back.
    assert rooms.join(engine, info.code, "Other", now=at(4), visitor=reloaded)[0] == person
    with pytest.raises(errors.NotAParticipant, match="expired"):
        _, late = rooms.rejoin(engine, info.code, fresh, reloaded, now=at(5))
        rooms.rejoin(engine, info.code, late, reloaded, now=at(6) + SEAT_TOKEN_TTL)


# -- host links -----------------------------------------------------------------------------------------


def test_a_host_link_opens_the_console_once_and_holds_no_secret(room):
    engine, info, secret = room
    with pytest.raises(errors.HostOnly):
        links.issue_host_link(engine, info.id, "guess", now=at(1))
    token = links.issue_host_link(engine, info.id, secret, now=at(1))
    with engine.connect() as conn:
        stored = " ".join(str(v) for v in conn.execute(select(table_of(HostLink))).one())
    assert token not in stored and secret not in stored
    opened, got = links.open_host_link(engine, info.code.lower(), token, now=at(2))
    assert (opened.id, got) == (info.id, secret)
    assert host_actions.end(engine, info.id, got, now=at(2)).phase.value == "finished"
    with pytest.raises(errors.HostOnly, match="already used or has expired"):
        links.open_host_link(engine, info.code, token, now=at(3))
    assert rows(engine, HostLink) == 0


def test_an_expired_or_misdirected_host_link_is_refused_and_spent(room):
    engine, info, secret = room
    other, _ = rooms.create_room(engine, QUESTIONS, now=T0)
    old = links.issue_host_link(engine, info.id, secret, now=at(0))
    with pytest.raises(errors.HostOnly):
        links.open_host_link(engine, info.code, old, now=at(1) + links.HOST_LINK_TTL)
    wrong_room = links.issue_host_link(engine, info.id, secret, now=at(0))
    with pytest.raises(errors.HostOnly):
        links.open_host_link(engine, other.code, wrong_room, now=at(1))
    with pytest.raises(errors.HostOnly):
        links.open_host_link(engine, info.code, wrong_room, now=at(2))  # spent by the wrong try
    for token in (None, "", "x" * 32):
        with pytest.raises(errors.HostOnly):
            links.open_host_link(engine, info.code, token, now=at(3))


def test_the_host_page_tells_a_guesser_nothing_about_codes(room):
    engine, info, secret = room
    with pytest.raises(errors.HostOnly) as unknown:
        rooms.host_room(engine, "ZZZZZZZZ", "guess")
    with pytest.raises(errors.HostOnly) as wrong:
        rooms.host_room(engine, info.code, "guess")
    assert str(unknown.value) == str(wrong.value)
    assert rooms.host_room(engine, info.code, secret).id == info.id
