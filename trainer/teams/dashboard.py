"""What a team remembers: every member's predicted recall on every concept, who is behind and why,
and the team's weakest concepts.

A cell is the mean FSRS retrievability of the concept's cards for that member — today and, when
the team has an exam date, at the start of the exam day — with a card never studied counted as 0,
as the Exam plan's forecast counts it (:mod:`trainer.study.recall_forecast`): unseen cards show
as gaps instead of being averaged away.

It is computed set-based, for a whole team at once: **one query** reads every member's card
states (timestamps as seconds since the epoch, so no Python datetime per row), then numpy puts
recall in a members × cards matrix and multiplies it by the cards × concepts incidence matrix.
Retrievability is py-fsrs's formula, vectorised: ``(1 + factor · days / S) ** decay`` with whole
elapsed days, ``decay = −w20`` of the member's own parameters. 200 members × 60 concepts take a
few tens of milliseconds (benchmarks/team_dashboard.py).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import fsrs
import numpy as np
from sqlalchemy import Float, and_, cast, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from trainer.access.permissions import Actor
from trainer.content.model import Bank
from trainer.store.enums import MemoryState, StudyQueue
from trainer.store.tables import CardState, table_of
from trainer.store.types import utcnow
from trainer.study.exam_date import exam_start
from trainer.teams.guard import MEMBERS, PROFILES, require_lead, require_member
from trainer.teams.membership import get_team
from trainer.teams.model import TeamInfo

_CS = table_of(CardState)
DAY_S = 86_400.0
DEFAULT_DECAY = -float(fsrs.scheduler.DEFAULT_PARAMETERS[20])
# The anonymous aggregate is shown to learners only for teams this large: with two members, "the
# team's average" and your own number give away the other person's.
MIN_FOR_AGGREGATE = 3


@dataclass(frozen=True)
class BehindRules:
    """When a member counts as behind; each rule that fires is one reason on the page."""

    readiness: float = 0.6  # mean predicted recall over all cards (on exam day when set)
    never_started_share: float = 0.5  # share of the cards never studied
    overdue_cards: int = 30  # reviews waiting past their due time


@dataclass(frozen=True)
class MemberStanding:
    profile_id: int
    name: str
    readiness: float  # mean predicted recall of all cards (exam day when set, else today)
    never_started: int
    overdue: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConceptStanding:
    concept: str
    name: str
    mean: float  # the team's mean predicted recall (exam day when set, else today)
    cards: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class TeamDashboard:
    team: TeamInfo
    at: datetime
    members: tuple[tuple[int, str], ...]  # (profile id, name), in row order
    concepts: tuple[str, ...]
    concept_names: tuple[str, ...]
    cards: np.ndarray  # per concept: cards behind each cell
    recall_today: np.ndarray  # members × concepts
    recall_exam: np.ndarray | None  # members × concepts, when the team has an exam date
    studied: np.ndarray  # members × concepts: cards studied
    standings: tuple[MemberStanding, ...] = field(default=())

    @property
    def headline(self) -> np.ndarray:
        """The recall the page ranks by: on exam day when there is one, else today."""
        return self.recall_exam if self.recall_exam is not None else self.recall_today

    @property
    def behind(self) -> list[MemberStanding]:
        return sorted((s for s in self.standings if s.reasons), key=lambda s: s.readiness)

    def weakest(self, bank: Bank, count: int = 5) -> list[ConceptStanding]:
        """The concepts with the lowest team mean, with their cards and questions."""
        if not self.members or not self.concepts:
            return []
        means = self.headline.mean(axis=0)
        picked = np.argsort(means, kind="stable")[:count]
        result = []
        for j in picked:
            cid = self.concepts[j]
            result.append(
                ConceptStanding(
                    concept=cid,
                    name=self.concept_names[j],
                    mean=float(means[j]),
                    cards=tuple(c.id for c in bank.cards.values() if cid in c.concepts),
                    questions=tuple(q.id for q in bank.questions.values() if cid in q.concepts),
                )
            )
        return result


def _epoch(column: ColumnElement, dialect: str) -> ColumnElement:
    """Seconds since 1970 for a timestamp column, in the database (no datetime per row)."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", column), Float)
    return (func.julianday(column) - 2440587.5) * DAY_S


def concept_matrix(bank: Bank) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Concept ids and names (by topic, then name), card ids, and the cards × concepts 0/1 matrix;
    concepts without cards are left out."""
    topic_rank = {t: i for i, t in enumerate(bank.topics)}
    used = {c for card in bank.cards.values() for c in card.concepts if c in bank.concepts}
    concepts = sorted(
        used, key=lambda c: (topic_rank.get(bank.concepts[c].topic, 999), bank.concepts[c].name.casefold())
    )
    column = {c: j for j, c in enumerate(concepts)}
    cards = list(bank.cards)
    matrix = np.zeros((len(cards), len(concepts)), dtype=np.float64)
    for i, cid in enumerate(cards):
        for c in bank.cards[cid].concepts:
            if c in column:
                matrix[i, column[c]] = 1.0
    return concepts, [bank.concepts[c].name for c in concepts], cards, matrix


def _member_rows(conn: Connection, team_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(
                PROFILES.c.id,
                PROFILES.c.name,
                PROFILES.c.fsrs_parameters,
                PROFILES.c.day_starts_at,
                PROFILES.c.timezone,
            )
            .join(MEMBERS, MEMBERS.c.profile_id == PROFILES.c.id)
            .where(MEMBERS.c.team_id == team_id, ~MEMBERS.c.facilitator)
            .order_by(PROFILES.c.name)
        ).all()
    )


def _card_states(conn: Connection, team_id: int, now: datetime) -> list[Any]:
    """The one query: every member's studied cards, with recall inputs and whether overdue."""
    dialect = conn.dialect.name
    overdue = and_(_CS.c.queue.in_((StudyQueue.REVIEW, StudyQueue.LEARN)), _CS.c.due < now)
    return list(
        conn.execute(
            select(
                _CS.c.profile_id,
                _CS.c.card_id,
                _CS.c.stability,
                _epoch(_CS.c.last_review, dialect),
                overdue,
            )
            .join(MEMBERS, MEMBERS.c.profile_id == _CS.c.profile_id)
            .where(
                MEMBERS.c.team_id == team_id,
                ~MEMBERS.c.facilitator,
                ~_CS.c.retired,
                _CS.c.state != MemoryState.NEW,
            )
        ).all()
    )


def _recall(stability: np.ndarray, last: np.ndarray, decay: np.ndarray, at: np.ndarray) -> np.ndarray:
    """py-fsrs's retrievability for arrays: whole elapsed days, 0 without a review."""
    factor = 0.9 ** (1.0 / decay) - 1.0
    days = np.floor(np.maximum(at - last, 0.0) / DAY_S)
    valid = (stability > 0) & np.isfinite(last)
    safe = np.where(valid, stability, 1.0)
    return np.where(valid, (1.0 + factor * days / safe) ** decay, 0.0)


def compute(
    conn: Connection, team: TeamInfo, bank: Bank, now: datetime, rules: BehindRules | None = None
) -> TeamDashboard:
    """The dashboard of a team (no permission check: see :func:`team_dashboard`)."""
    rules = rules or BehindRules()
    concepts, names, card_ids, incidence = concept_matrix(bank)
    people = _member_rows(conn, team.id)
    rows = _card_states(conn, team.id, now)
    m, n = len(people), len(card_ids)
    row_of = {int(p.id): i for i, p in enumerate(people)}
    col_of = {cid: j for j, cid in enumerate(card_ids)}
    decay = np.array(
        [
            -float(p.fsrs_parameters[20])
            if p.fsrs_parameters and len(p.fsrs_parameters) > 20
            else DEFAULT_DECAY
            for p in people
        ]
    )
    exam_at = None
    if team.exam_date is not None:
        exam_at = np.array(
            [
                exam_start(team.exam_date, int(p.day_starts_at), ZoneInfo(p.timezone)).timestamp()
                for p in people
            ]
        )
    keep = [(row_of[r[0]], col_of[r[1]], r[2], r[3], r[4]) for r in rows if r[1] in col_of]
    today = np.zeros((m, n))
    exam = np.zeros((m, n)) if exam_at is not None else None
    seen = np.zeros((m, n))
    overdue: np.ndarray = np.zeros(m)
    if keep:
        pi = np.fromiter((k[0] for k in keep), dtype=np.int64, count=len(keep))
        ci = np.fromiter((k[1] for k in keep), dtype=np.int64, count=len(keep))
        stab = np.array([k[2] if k[2] is not None else np.nan for k in keep], dtype=np.float64)
        last = np.array([k[3] if k[3] is not None else np.nan for k in keep], dtype=np.float64)
        late = np.array([bool(k[4]) for k in keep])
        stab = np.nan_to_num(stab, nan=0.0)
        today[pi, ci] = _recall(stab, last, decay[pi], np.full(len(keep), now.timestamp()))
        if exam is not None and exam_at is not None:
            exam[pi, ci] = _recall(stab, last, decay[pi], exam_at[pi])
        seen[pi, ci] = 1.0
        overdue = np.bincount(pi, weights=late.astype(np.float64), minlength=m)
    cards = incidence.sum(axis=0)
    per_concept = np.where(cards > 0, cards, 1.0)
    recall_today = today @ incidence / per_concept
    recall_exam = exam @ incidence / per_concept if exam is not None else None
    studied = seen @ incidence
    headline = exam if exam is not None else today
    readiness = headline.mean(axis=1) if n else np.zeros(m)
    never = n - seen.sum(axis=1)
    standings = []
    for i, p in enumerate(people):
        reasons = []
        when = "on exam day" if exam is not None else "today"
        if readiness[i] < rules.readiness:
            reasons.append(
                f"predicted recall {when} is {readiness[i]:.0%}, below the team's {rules.readiness:.0%} goal"
            )
        if n and never[i] / n > rules.never_started_share:
            reasons.append(f"{int(never[i])} of {n} cards never started")
        if overdue[i] >= rules.overdue_cards:
            reasons.append(f"{int(overdue[i])} reviews overdue")
        standings.append(
            MemberStanding(
                int(p.id), p.name, float(readiness[i]), int(never[i]), int(overdue[i]), tuple(reasons)
            )
        )
    return TeamDashboard(
        team=team,
        at=now,
        members=tuple((int(p.id), p.name) for p in people),
        concepts=tuple(concepts),
        concept_names=tuple(names),
        cards=cards,
        recall_today=recall_today,
        recall_exam=recall_exam,
        studied=studied,
        standings=tuple(standings),
    )


def team_dashboard(
    engine: Engine,
    actor: Actor | None,
    team_id: int,
    bank: Bank,
    now: datetime | None = None,
    rules: BehindRules | None = None,
) -> TeamDashboard:
    """The facilitator's dashboard; refused (AccessDenied) unless the actor leads this team."""
    now = (now or utcnow()).astimezone(UTC)
    team = get_team(engine, team_id)
    with engine.connect() as conn:
        require_lead(conn, actor, team_id)
        return compute(conn, team, bank, now, rules)


@dataclass(frozen=True)
class TeamAggregate:
    """What a learner may see of their team: the team's mean per concept next to their own,
    and no one else's numbers."""

    team: TeamInfo
    members: int
    concepts: tuple[str, ...]
    concept_names: tuple[str, ...]
    team_mean: np.ndarray
    mine: np.ndarray | None  # the learner's own row (None when they are not a learner in it)


def team_aggregate(
    engine: Engine,
    actor: Actor | None,
    team_id: int,
    profile_id: int,
    bank: Bank,
    now: datetime | None = None,
) -> TeamAggregate | None:
    """The anonymous aggregate for a member; None when the team does not share it or is too
    small for it to be anonymous (fewer than :data:`MIN_FOR_AGGREGATE` learners)."""
    now = (now or utcnow()).astimezone(UTC)
    team = get_team(engine, team_id)
    with engine.connect() as conn:
        require_member(conn, actor, team_id, profile_id)
        if not team.share_aggregate:
            return None
        board = compute(conn, team, bank, now)
    if len(board.members) < MIN_FOR_AGGREGATE:
        return None
    ids = [pid for pid, _ in board.members]
    mine = board.headline[ids.index(profile_id)] if profile_id in ids else None
    return TeamAggregate(
        team, len(ids), board.concepts, board.concept_names, board.headline.mean(axis=0), mine
    )


CSV_HEADER = (
    "member",
    "concept_id",
    "concept",
    "predicted_recall_today",
    "predicted_recall_on_exam_day",
    "cards",
    "cards_studied",
)


def to_csv(board: TeamDashboard) -> str:
    """One row per member and concept (recall as 0-1 with three decimals; exam day empty
    without an exam date)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for i, (_pid, name) in enumerate(board.members):
        for j, cid in enumerate(board.concepts):
            exam = "" if board.recall_exam is None else f"{board.recall_exam[i, j]:.3f}"
            writer.writerow(
                [
                    name,
                    cid,
                    board.concept_names[j],
                    f"{board.recall_today[i, j]:.3f}",
                    exam,
                    int(board.cards[j]),
                    int(board.studied[i, j]),
                ]
            )
    return out.getvalue()
