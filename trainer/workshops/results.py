"""What a room's answers add up to: the leaderboard, team scores, how one question's answers
spread over its options, a participant's own results, and the follow-up of their mistakes in
spaced repetition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from trainer.study.queue import Study
from trainer.workshops.access import ANSWERS, PARTICIPANTS
from trainer.workshops.errors import NotAParticipant
from trainer.workshops.model import Distribution, RoomQuestionResult, Standing, TeamScore
from trainer.workshops.rooms import get_room


def leaderboard(engine: Engine, room_id: int) -> list[Standing]:
    """Everyone in the room by points (ties share a rank: 1, 2, 2, 4)."""
    points = func.coalesce(func.sum(ANSWERS.c.points), 0)
    correct = func.coalesce(func.sum(case((ANSWERS.c.correct, 1), else_=0)), 0)
    query = (
        select(
            PARTICIPANTS.c.id,
            PARTICIPANTS.c.name,
            PARTICIPANTS.c.name_key,
            PARTICIPANTS.c.team,
            points.label("points"),
            correct.label("correct"),
            func.count(ANSWERS.c.id).label("answered"),
        )
        .select_from(PARTICIPANTS.outerjoin(ANSWERS, ANSWERS.c.participant_id == PARTICIPANTS.c.id))
        .where(PARTICIPANTS.c.room_id == room_id)
        .group_by(PARTICIPANTS.c.id, PARTICIPANTS.c.name, PARTICIPANTS.c.name_key, PARTICIPANTS.c.team)
        .order_by(points.desc(), PARTICIPANTS.c.name_key)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    standings: list[Standing] = []
    rank = 0
    for i, r in enumerate(rows):
        if i == 0 or int(r.points) != standings[-1].points:
            rank = i + 1
        standings.append(Standing(rank, r.id, r.name, r.team, int(r.points), int(r.correct), int(r.answered)))
    return standings


def team_scores(engine: Engine, room_id: int, standings: Sequence[Standing] | None = None) -> list[TeamScore]:
    """Each team's score: the average of its members' points (Kahoot's team mode)."""
    room = get_room(engine, room_id)
    standings = leaderboard(engine, room_id) if standings is None else standings
    members: dict[str, list[int]] = {t: [] for t in room.teams}
    for s in standings:
        if s.team in members:
            members[s.team].append(s.points)
    scored = sorted(
        ((t, pts) for t, pts in members.items() if pts),
        key=lambda tp: (-sum(tp[1]) / len(tp[1]), room.teams.index(tp[0])),
    )
    result: list[TeamScore] = []
    for i, (team, pts) in enumerate(scored):
        avg = sum(pts) / len(pts)
        rank = result[-1].rank if result and abs(result[-1].points - avg) < 1e-9 else i + 1
        result.append(TeamScore(rank, team, len(pts), avg, sum(pts)))
    return result


def distribution(engine: Engine, room_id: int, question_index: int) -> Distribution:
    """How the answers to one question spread over the options."""
    room = get_room(engine, room_id)
    question = room.questions[question_index]
    with engine.connect() as conn:
        rows = conn.execute(
            select(ANSWERS.c.chosen, ANSWERS.c.correct).where(
                ANSWERS.c.room_id == room_id, ANSWERS.c.question_index == question_index
            )
        ).all()
    counts = [0] * len(question.options)
    for r in rows:
        for i in r.chosen:
            if 0 <= i < len(counts):
                counts[i] += 1
    return Distribution(question_index, tuple(counts), len(rows), sum(1 for r in rows if r.correct))


def my_results(engine: Engine, participant_id: int) -> list[RoomQuestionResult]:
    """A participant's answer to every question put to the room (None where they did not answer);
    questions left unasked when the host ended early are not listed."""
    with engine.connect() as conn:
        room_id = conn.execute(
            select(PARTICIPANTS.c.room_id).where(PARTICIPANTS.c.id == participant_id)
        ).scalar()
        if room_id is None:
            raise NotAParticipant("You are not in this room.")
        answers = {
            a.question_index: a
            for a in conn.execute(select(ANSWERS).where(ANSWERS.c.participant_id == participant_id)).all()
        }
    room = get_room(engine, room_id)
    results = []
    for i, q in enumerate(room.questions[: room.asked]):
        a = answers.get(i)
        results.append(
            RoomQuestionResult(
                i,
                q,
                tuple(a.chosen) if a else None,
                bool(a and a.correct),
                a.points if a else 0,
                a.elapsed_ms if a else None,
            )
        )
    return results


def mistake_cards(results: Sequence[RoomQuestionResult]) -> list[str]:
    """The cards behind the questions answered wrong, without repeats."""
    return list(
        dict.fromkeys(c for r in results if r.chosen is not None and not r.correct for c in r.question.cards)
    )


def add_mistakes_to_study(
    engine: Engine, participant_id: int, study: Study, now: datetime | None = None
) -> int:
    """Bring forward, in ``study`` (one profile's :class:`~trainer.study.queue.Study`), the cards
    behind the questions this participant got wrong. Returns how many cards moved. A seat bound
    to a signed-in person's profile adds to that profile only."""
    with engine.connect() as conn:
        owner = conn.execute(
            select(PARTICIPANTS.c.profile_id).where(PARTICIPANTS.c.id == participant_id)
        ).scalar()
    if owner is not None and owner != study.profile.id:
        raise NotAParticipant("These answers belong to someone else's seat; add your own mistakes.")
    return study.mark_for_review(mistake_cards(my_results(engine, participant_id)), now=now)
