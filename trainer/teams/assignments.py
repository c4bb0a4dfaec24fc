"""Assignments: cards or questions a facilitator asks a team to do by a due date.

The items are chosen by concept, by topic or by hand, and stored as ids (with a label of how they
were chosen), so later content changes do not change what was asked. Progress is read from what
members did anyway, after the assignment was made — no separate "assignment mode":

* a **card** counts as done once the member has reviewed it; the score is the share of those
  reviews not rated Again;
* a **question** counts as done once answered in study (a scenario question), in an exam or
  drill, or in a workshop the member joined signed in; the score is the share answered right.

Past the due date an unfinished assignment is *shown* as overdue, to the member and to the
facilitator; nothing nags (no e-mail, no blocking dialog).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import case, delete, func, select, union
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.content.model import Bank
from trainer.store.enums import ReviewKind
from trainer.store.statements import writing
from trainer.store.tables import (
    Assignment,
    ExamAnswer,
    ExamAttempt,
    ReviewLog,
    RoomAnswer,
    RoomParticipant,
    table_of,
)
from trainer.store.types import utcnow
from trainer.study.exam_plan import MAX_DAYS_AHEAD
from trainer.teams.guard import MEMBERS, PROFILES, require_lead
from trainer.teams.membership import TEAMS
from trainer.teams.model import TeamError

ASSIGNMENTS = table_of(Assignment)
_LOG = table_of(ReviewLog)
_ANSWERS = table_of(ExamAnswer)
_ATTEMPTS = table_of(ExamAttempt)
_ROOM_ANSWERS = table_of(RoomAnswer)
_SEATS = table_of(RoomParticipant)
TITLE_MAX = 120
MAX_ITEMS = 200


class AssignmentKind(StrEnum):
    CARDS = "cards"
    QUESTIONS = "questions"

    @property
    def label(self) -> str:
        return "Cards" if self is AssignmentKind.CARDS else "Questions"


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    team_id: int
    team_name: str
    title: str
    kind: AssignmentKind
    item_ids: tuple[str, ...]
    source_label: str
    due_date: date
    created_at: datetime

    def overdue(self, today: date) -> bool:
        return today > self.due_date


@dataclass(frozen=True)
class MemberProgress:
    profile_id: int
    name: str
    done: int  # items done (reviewed or answered) since the assignment was made
    total: int
    answers: int
    correct: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def score(self) -> float | None:
        return self.correct / self.answers if self.answers else None


def choose_items(
    bank: Bank,
    kind: AssignmentKind,
    concepts: Sequence[str] = (),
    topic: str | None = None,
    item_ids: Sequence[str] = (),
) -> tuple[tuple[str, ...], str]:
    """The ids an assignment holds and a label for how they were chosen (one of the three ways)."""
    pool: dict[str, Any] = dict(bank.cards if kind is AssignmentKind.CARDS else bank.questions)
    if item_ids:
        unknown = [i for i in item_ids if i not in pool]
        if unknown:
            raise TeamError(f"Unknown {kind.value}: {', '.join(unknown[:5])}.")
        ids = tuple(dict.fromkeys(item_ids))
        label = f"{len(ids)} hand-picked {kind.value}"
    elif concepts:
        missing = [c for c in concepts if c not in bank.concepts]
        if missing:
            raise TeamError(f"Unknown concept: {', '.join(missing[:5])}.")
        ids = tuple(i for i, item in pool.items() if set(item.concepts) & set(concepts))
        names = [bank.concepts[c].name for c in concepts]
        label = "Concept · " + ", ".join(names) if len(names) <= 3 else f"{len(names)} concepts"
    elif topic:
        if topic not in bank.topics:
            raise TeamError(f"Unknown topic: {topic}.")
        ids = tuple(i for i, item in pool.items() if item.topic == topic)
        label = f"Topic · {bank.topic_title(topic)}"
    else:
        raise TeamError(f"Choose {kind.value} by concept, by topic or by hand.")
    if not ids:
        raise TeamError(f"No {kind.value} match this choice; choose another.")
    if len(ids) > MAX_ITEMS:
        raise TeamError(
            f"An assignment can hold at most {MAX_ITEMS} {kind.value}; this choice has {len(ids)}."
        )
    return ids, label


def create_assignment(
    engine: Engine,
    actor: Actor | None,
    team_id: int,
    kind: AssignmentKind | str,
    item_ids: Sequence[str],
    due_date: date,
    today: date,
    title: str = "",
    source_label: str = "",
) -> AssignmentInfo:
    """Assign items (see :func:`choose_items`) to the team, due by ``due_date`` (today or later)."""
    kind = AssignmentKind(kind)
    if not item_ids:
        raise TeamError(f"Choose at least one of the {kind.value}.")
    if due_date < today:
        raise TeamError("Choose a due date from today on.")
    if (due_date - today).days > MAX_DAYS_AHEAD:
        raise TeamError(f"Choose a due date within {MAX_DAYS_AHEAD // 365} years.")
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:  # refused, not trimmed: the team sees what the facilitator typed
        raise TeamError(
            f"An assignment title can be at most {TITLE_MAX} characters; this one has {len(title)}. "
            "Shorten it and try again."
        )
    title = title or source_label[:TITLE_MAX] or kind.label
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        inserted = conn.execute(
            ASSIGNMENTS.insert().values(
                team_id=team_id,
                title=title,
                kind=kind.value,
                item_ids=list(item_ids),
                source={"label": source_label},
                due_date=due_date,
                created_at=utcnow(),
            )
        ).inserted_primary_key
    assert inserted is not None
    return get_assignment(engine, int(inserted[0]))


def _info(row: Any) -> AssignmentInfo:
    return AssignmentInfo(
        id=int(row.id),
        team_id=int(row.team_id),
        team_name=row.team_name,
        title=row.title,
        kind=AssignmentKind(row.kind),
        item_ids=tuple(row.item_ids or ()),
        source_label=str((row.source or {}).get("label", "")),
        due_date=row.due_date,
        created_at=row.created_at,
    )


_WITH_TEAM = select(ASSIGNMENTS, TEAMS.c.name.label("team_name")).join(
    TEAMS, TEAMS.c.id == ASSIGNMENTS.c.team_id
)


def get_assignment(engine: Engine, assignment_id: int) -> AssignmentInfo:
    with engine.connect() as conn:
        row = conn.execute(_WITH_TEAM.where(ASSIGNMENTS.c.id == assignment_id)).first()
    if row is None:
        raise TeamError("That assignment no longer exists.")
    return _info(row)


def team_assignments(engine: Engine, actor: Actor | None, team_id: int) -> list[AssignmentInfo]:
    """A team's assignments, soonest due first (leading the team only)."""
    with engine.connect() as conn:
        require_lead(conn, actor, team_id)
        rows = conn.execute(
            _WITH_TEAM.where(ASSIGNMENTS.c.team_id == team_id).order_by(
                ASSIGNMENTS.c.due_date, ASSIGNMENTS.c.id
            )
        ).all()
    return [_info(r) for r in rows]


def delete_assignment(engine: Engine, actor: Actor | None, assignment_id: int) -> None:
    info = get_assignment(engine, assignment_id)
    with writing(engine) as conn:
        require_lead(conn, actor, info.team_id)
        conn.execute(delete(ASSIGNMENTS).where(ASSIGNMENTS.c.id == assignment_id))


def _progress(engine: Engine, info: AssignmentInfo, profile_ids: Sequence[int]) -> dict[int, MemberProgress]:
    """Each profile's progress on one assignment: one query over the review log (and, for
    questions, the exam and workshop answers too)."""
    items = list(info.item_ids)
    since = info.created_at
    passed = case((_LOG.c.rating > 1, 1), else_=0)
    if info.kind is AssignmentKind.CARDS:
        query = (
            select(_LOG.c.profile_id, _LOG.c.card_id.label("item"), passed.label("ok"))
            .where(_LOG.c.profile_id.in_(profile_ids), _LOG.c.card_id.in_(items), _LOG.c.reviewed_at >= since)
            .subquery()
        )
    else:
        # One row per answer, whatever the branch: a scenario question logs a row per linked
        # card, and a workshop answer is in the room and (for started cards) in the log at the
        # same instant, so the union is on (profile, question, when, right) and drops repeats.
        studied = select(
            _LOG.c.profile_id,
            _LOG.c.question_id.label("item"),
            _LOG.c.reviewed_at.label("at"),
            passed.label("ok"),
        ).where(
            _LOG.c.profile_id.in_(profile_ids),
            _LOG.c.kind == ReviewKind.QUESTION,
            _LOG.c.question_id.in_(items),
            _LOG.c.reviewed_at >= since,
        )
        examined = (
            select(
                _ATTEMPTS.c.profile_id,
                _ANSWERS.c.question_id.label("item"),
                _ANSWERS.c.answered_at.label("at"),
                case((_ANSWERS.c.correct, 1), else_=0).label("ok"),
            )
            .join(_ATTEMPTS, _ATTEMPTS.c.id == _ANSWERS.c.attempt_id)
            .where(
                _ATTEMPTS.c.profile_id.in_(profile_ids),
                _ANSWERS.c.question_id.in_(items),
                _ANSWERS.c.correct.is_not(None),
                _ANSWERS.c.answered_at >= since,
            )
        )
        workshop = (
            select(
                _SEATS.c.profile_id,
                _ROOM_ANSWERS.c.question_id.label("item"),
                _ROOM_ANSWERS.c.answered_at.label("at"),
                case((_ROOM_ANSWERS.c.correct, 1), else_=0).label("ok"),
            )
            .join(_SEATS, _SEATS.c.id == _ROOM_ANSWERS.c.participant_id)
            .where(
                _SEATS.c.profile_id.in_(profile_ids),
                _ROOM_ANSWERS.c.question_id.in_(items),
                _ROOM_ANSWERS.c.answered_at >= since,
            )
        )
        query = union(studied, examined, workshop).subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            select(query.c.profile_id, query.c.item, func.count(), func.sum(query.c.ok)).group_by(
                query.c.profile_id, query.c.item
            )
        ).all()
        names = dict(
            conn.execute(select(PROFILES.c.id, PROFILES.c.name).where(PROFILES.c.id.in_(profile_ids))).all()
        )
    done: dict[int, int] = defaultdict(int)
    answers: dict[int, int] = defaultdict(int)
    correct: dict[int, int] = defaultdict(int)
    for pid, _item, count, ok in rows:
        done[pid] += 1
        answers[pid] += int(count)
        correct[pid] += int(ok or 0)
    total = len(items)
    return {
        pid: MemberProgress(
            pid, names.get(pid, "?"), min(done[pid], total), total, answers[pid], correct[pid]
        )
        for pid in profile_ids
    }


def team_progress(engine: Engine, actor: Actor | None, assignment_id: int) -> list[MemberProgress]:
    """Completion and score per learner of the team (leading the team only), least done first."""
    info = get_assignment(engine, assignment_id)
    with engine.connect() as conn:
        require_lead(conn, actor, info.team_id)
        learners = [
            int(p)
            for p in conn.execute(
                select(MEMBERS.c.profile_id).where(MEMBERS.c.team_id == info.team_id, ~MEMBERS.c.facilitator)
            ).scalars()
        ]
    progress = _progress(engine, info, learners)
    return sorted(progress.values(), key=lambda p: (p.done / max(1, p.total), p.name.casefold()))


def my_assignments(
    engine: Engine, actor: Actor | None, profile_id: int
) -> list[tuple[AssignmentInfo, MemberProgress]]:
    """The profile's own assignments from every team it learns in, with its progress on each:
    unfinished first, soonest due first. With sign-in on, one's own profile only."""
    require_profile(engine, actor, profile_id)
    with engine.connect() as conn:
        rows = conn.execute(
            _WITH_TEAM.join(MEMBERS, MEMBERS.c.team_id == ASSIGNMENTS.c.team_id).where(
                MEMBERS.c.profile_id == profile_id, ~MEMBERS.c.facilitator
            )
        ).all()
    result = []
    for row in rows:
        info = _info(row)
        result.append((info, _progress(engine, info, [profile_id])[profile_id]))
    result.sort(key=lambda pair: (pair[1].complete, pair[0].due_date, pair[0].id))
    return result
