"""What every page of a process draws for one step of a room, read from the database once.

A step is a revision of the room row: every change to that row is a host action, and every host
action bumps ``revision`` (:mod:`trainer.workshops.host_actions`). When the host opens a question,
every participant's page draws it within a poll of each other; if each read the room in full
(its row with every question's JSON, turned into snapshots), a room of 200 would read and parse
it 200 times at the same moment, and the last page would show the question late. So:

* :func:`room_state` builds a page's :class:`~trainer.workshops.model.RoomState` from the shared
  pulse (:func:`trainer.workshops.live.pulse`: the counts and the clock) and the room as of the
  pulse's revision, read once per revision for the whole process; only the participant's own
  answer to the current question is read per page (one small query, and none while the pulse
  counts no answers to it);
* :func:`revealed` gives the answer distribution, the leaderboard and the team scores of a
  revealed question (or of the finished room), which no answer can change until the next
  revision (answers are accepted only while the question is open, and only at the revision they
  were checked at): computed once per revision, not once per participant.

Like the pulse, nothing here is the truth: it is the database's, read at most once per revision
by each server process, so several servers still share one room.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine

from trainer.workshops import live, results
from trainer.workshops.access import ANSWERS, ROOMS, room_info
from trainer.workshops.errors import RoomNotFound
from trainer.workshops.model import (
    Distribution,
    MyAnswer,
    RoomInfo,
    RoomPhase,
    RoomState,
    Standing,
    TeamScore,
)

# Revealed steps kept per process: the last few of every room running on it.
REVEALED_MAX = 64


@dataclass(frozen=True)
class Revealed:
    """A revealed question's (or a finished room's) results, the same for every page."""

    revision: int
    distribution: Distribution | None  # None once the room is finished
    standings: tuple[Standing, ...]
    teams: tuple[TeamScore, ...]  # empty unless the room has teams


_lock = threading.Lock()
_rooms: dict[tuple[int, int], tuple[Engine, RoomInfo]] = {}
_room_locks: dict[tuple[int, int], threading.Lock] = {}
_revealed: OrderedDict[tuple[int, int, int], Revealed] = OrderedDict()


def _read_room(engine: Engine, room_id: int) -> RoomInfo:
    with engine.connect() as conn:
        row = conn.execute(select(ROOMS).where(ROOMS.c.id == room_id)).first()
    if row is None:
        raise RoomNotFound("That room does not exist.")
    return room_info(row)


def room_at(engine: Engine, room_id: int, revision: int) -> RoomInfo:
    """The room as of ``revision`` (or a later one, if it moved on meanwhile): read once per
    revision by one caller while the other pages of this process wait for it."""
    key = (id(engine), room_id)
    with _lock:
        held = _rooms.get(key)
        if held is not None and held[0] is engine and held[1].revision >= revision:
            return held[1]
        room_lock = _room_locks.setdefault(key, threading.Lock())
    with room_lock:
        with _lock:
            held = _rooms.get(key)
        if held is not None and held[0] is engine and held[1].revision >= revision:
            return held[1]  # read by another page while this one waited
        info = _read_room(engine, room_id)
        with _lock:
            _rooms[key] = (engine, info)
        return info


def my_answer(engine: Engine, participant_id: int, question_index: int) -> MyAnswer | None:
    with engine.connect() as conn:
        a = conn.execute(
            select(ANSWERS).where(
                ANSWERS.c.participant_id == participant_id, ANSWERS.c.question_index == question_index
            )
        ).first()
    return (
        None if a is None else MyAnswer(a.question_index, tuple(a.chosen), a.correct, a.points, a.elapsed_ms)
    )


def room_state(engine: Engine, room_id: int, participant_id: int | None = None) -> RoomState:
    """What a page draws the room from, as :func:`trainer.workshops.rooms.room_state` but from the
    shared pulse and the room read once per revision; the clock is the pulse's, moved on to now."""
    pulse = live.pulse(engine, room_id)
    info = room_at(engine, room_id, pulse.revision)
    if info.revision > pulse.revision:  # the room moved on since the pulse was read
        live.forget(engine, room_id)
        pulse = live.pulse(engine, room_id)
        info = room_at(engine, room_id, pulse.revision)
    mine = None
    # Nobody has answered a question just opened: the moment every page draws it at once reads
    # no answers at all. (An answer made on this server forgets the pulse, so the page of the
    # participant who made it never sees a count from before it.)
    nobody = pulse.revision == info.revision and pulse.answered == 0
    if participant_id is not None and info.current >= 0 and not nobody:
        mine = my_answer(engine, participant_id, info.current)
    return RoomState(
        room=info, now=pulse.clock(), participants=pulse.participants, answered=pulse.answered, mine=mine
    )


def revealed(engine: Engine, room: RoomInfo) -> Revealed:
    """The results on screen after a reveal (or at the end): computed once per revision."""
    if room.phase not in (RoomPhase.REVEALED, RoomPhase.FINISHED):
        raise ValueError("results are fixed only once a question is revealed or the room finished")
    key = (id(engine), room.id, room.revision)
    with _lock:
        done = _revealed.get(key)
    if done is not None:
        return done
    standings = results.leaderboard(engine, room.id)
    done = Revealed(
        room.revision,
        results.distribution(engine, room.id, room.current) if room.phase is RoomPhase.REVEALED else None,
        tuple(standings),
        tuple(results.team_scores(engine, room.id, standings)) if room.teams else (),
    )
    with _lock:
        _revealed[key] = done
        while len(_revealed) > REVEALED_MAX:
            _revealed.popitem(last=False)
    return done
