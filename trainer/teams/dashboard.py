"""What a team remembers: every member's predicted recall on every concept, who is behind and why,
and the team's weakest concepts.

A cell is the mean FSRS retrievability of the concept's cards for that member — today and, when
the team has an exam date, at the start of the exam day — with a card never studied counted as 0,
as the Exam plan's forecast counts it (:mod:`trainer.study.recall_forecast`): unseen cards show
as gaps instead of being averaged away.

It is computed set-based, for a whole team at once, in **one query** over every member's card
states: each studied card's retrievability (py-fsrs's formula, ``(1 + factor · days / S) ** decay``
with whole elapsed days and ``decay = −w20`` of the member's own parameters) is computed once per
card state in a materialised CTE, today and at the member's exam-day start, then joined to the
card → concept map (a VALUES list; a pseudo-concept of all cards gives each member's totals in
the same pass) and summed per member and concept. numpy turns the ~12 000 sums into the members ×
concepts matrices. 200 members × 60 concepts (96 000 card states) take about 0.3 s on
PostgreSQL on a busy two-core machine (benchmarks/team_dashboard.py).
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
from sqlalchemy import Float, Integer, String, and_, case, column, func, literal, select, values
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


def _epoch(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Seconds since 1970 for a timestamp column, in the database (no datetime per row).
    SQLite's julianday is rounded to the millisecond so whole days stay whole."""
    if dialect == "postgresql":
        return func.date_part("epoch", column)  # double precision (EXTRACT gives slow numeric)
    return func.round((func.julianday(column) - 2440587.5) * DAY_S, 3)


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


def _recall_sql(
    factor: ColumnElement[Any], decay: ColumnElement[Any], at: Any, last: ColumnElement[Any]
) -> ColumnElement[Any]:
    """py-fsrs's retrievability in SQL: whole elapsed days, ``(1 + factor · days / S) ** decay``."""
    days = func.floor(case((at > last, at - last), else_=0.0) / DAY_S)
    return func.power(1.0 + factor * days / _CS.c.stability, decay)


ALL_CARDS = -1  # the pseudo-concept every card also belongs to: per-member totals in the same query


@dataclass(frozen=True)
class _Learner:
    """What the query needs of one member, worked out in Python once per member (not per row)."""

    profile_id: int
    decay: float  # −w20 of their fitted FSRS parameters, else the default
    exam_at: float  # seconds since 1970 of their exam day's start; 0 without a team exam date

    @property
    def factor(self) -> float:
        return 0.9 ** (1.0 / self.decay) - 1.0


def _cells(
    conn: Connection, now: datetime, card_concepts: list[tuple[str, int]], learners: list[_Learner]
) -> list[Any]:
    """The one query: for every member and concept (and :data:`ALL_CARDS`), the sum of predicted
    recall today and on exam day, the cards studied and the reviews overdue. The members and the
    card → concept map travel as two small VALUES lists, joined in the database."""
    dialect = conn.dialect.name
    mapping = (
        values(column("card_id", String), column("concept", Integer), name="card_concept")
        .data(card_concepts)
        .cte("card_concept")
    )
    members = (
        values(
            column("profile_id", Integer),
            column("decay", Float),
            column("factor", Float),
            column("exam_at", Float),
            name="learner",
        )
        .data([(p.profile_id, p.decay, p.factor, p.exam_at) for p in learners])
        .cte("learner")
    )
    last = _epoch(_CS.c.last_review, dialect)
    moment = literal(now.timestamp(), Float)
    overdue = case(
        (and_(_CS.c.queue.in_((StudyQueue.REVIEW, StudyQueue.LEARN)), _CS.c.due < now), 1), else_=0
    )
    # Recall once per card state (materialised), then summed per concept: a card in two concepts
    # is not computed twice.
    per_card = (
        select(
            _CS.c.profile_id,
            _CS.c.card_id,
            _recall_sql(members.c.factor, members.c.decay, moment, last).label("today"),
            _recall_sql(members.c.factor, members.c.decay, members.c.exam_at, last).label("exam"),
            overdue.label("overdue"),
        )
        .select_from(_CS)
        .join(members, members.c.profile_id == _CS.c.profile_id)
        .where(
            ~_CS.c.retired,
            _CS.c.state != MemoryState.NEW,
            _CS.c.stability > 0,
            _CS.c.last_review.is_not(None),
        )
        .cte("per_card")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(
            per_card.c.profile_id,
            mapping.c.concept,
            func.sum(per_card.c.today),
            func.count(),
            func.sum(per_card.c.overdue),
            func.sum(per_card.c.exam),
        )
        .select_from(per_card)
        .join(mapping, mapping.c.card_id == per_card.c.card_id)
        .group_by(per_card.c.profile_id, mapping.c.concept)
    )
    return list(conn.execute(query).all())


def compute(
    conn: Connection, team: TeamInfo, bank: Bank, now: datetime, rules: BehindRules | None = None
) -> TeamDashboard:
    """The dashboard of a team (no permission check: see :func:`team_dashboard`)."""
    rules = rules or BehindRules()
    concepts, names, card_ids, incidence = concept_matrix(bank)
    people = _member_rows(conn, team.id)
    m, n, k = len(people), len(card_ids), len(concepts)
    column_of = {c: j for j, c in enumerate(concepts)}
    pairs = [(cid, ALL_CARDS) for cid in card_ids]
    pairs += [(cid, column_of[c]) for cid in card_ids for c in bank.cards[cid].concepts if c in column_of]
    exam_at = bool(team.exam_date)
    learners = [
        _Learner(
            int(p.id),
            -float(p.fsrs_parameters[20])
            if p.fsrs_parameters and len(p.fsrs_parameters) > 20
            else DEFAULT_DECAY,
            exam_start(team.exam_date, int(p.day_starts_at), ZoneInfo(p.timezone)).timestamp()
            if team.exam_date
            else 0.0,
        )
        for p in people
    ]
    rows = _cells(conn, now, pairs, learners) if people and pairs else []
    row_of = {int(p.id): i for i, p in enumerate(people)}
    # Column k holds the per-member totals (ALL_CARDS).
    sums_today = np.zeros((m, k + 1))
    sums_exam = np.zeros((m, k + 1))
    studied_all = np.zeros((m, k + 1))
    overdue_all = np.zeros((m, k + 1))
    for row in rows:
        i = row_of[int(row[0])]
        j = k if row[1] == ALL_CARDS else int(row[1])
        sums_today[i, j] = float(row[2] or 0.0)
        studied_all[i, j] = float(row[3])
        overdue_all[i, j] = float(row[4] or 0)
        if exam_at:
            sums_exam[i, j] = float(row[5] or 0.0)
    cards = incidence.sum(axis=0)
    per_concept = np.where(cards > 0, cards, 1.0)
    recall_today = sums_today[:, :k] / per_concept
    recall_exam = sums_exam[:, :k] / per_concept if exam_at else None
    studied = studied_all[:, :k]
    headline_sums = sums_exam[:, k] if exam_at else sums_today[:, k]
    readiness = headline_sums / n if n else np.zeros(m)
    never = n - studied_all[:, k]
    overdue = overdue_all[:, k]
    standings = []
    when = "on exam day" if exam_at else "today"
    for i, p in enumerate(people):
        reasons = []
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
