"""Exam practice: mock exams drawn to the DVA-C02 domain weights and scored like the real exam.

Three modes:

* **Timed** — real-exam conditions: a full mock (65 questions, 130 minutes) or a short one
  (20 questions, 30 minutes); no feedback until the end; free movement, flags; submitted by the
  learner or automatically when the time runs out.
* **Review** — immediate feedback after each answer, with every option's explanation.
* **Drill** — questions from one domain, topic or concept, or the learner's missed questions;
  immediate feedback as in review mode.

Multiple-response questions are scored all-or-nothing, as on the real exam.

Everything about an attempt lives in the database from the first second: the question set is
drawn once (seeded) and stored as a JSON snapshot (stems, options in the order shown, keys,
explanations, references), so an attempt survives a refresh, a closed tab or a server restart,
and its result can still be reviewed after the content changed or a question was removed.
Every answer is written at once. The time limit is counted from ``started_at``: an attempt past
its deadline is submitted automatically the next time it is touched, and answers given after
the deadline are refused.

This module never imports Streamlit; the page is ``trainer/ui/exam.py``.
"""

from __future__ import annotations

import json
import math
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.engine import Connection, Engine

from trainer.content.model import Bank, Domain, Question
from trainer.content.snapshot import QuestionSnapshot, dump_snapshots, load_snapshots
from trainer.store.tables import ExamAnswer, ExamAttempt, QuestionReport
from trainer.store.types import as_utc, utcnow

_ATT = ExamAttempt.__table__
_ANS = ExamAnswer.__table__
_REP = QuestionReport.__table__

# -- the real exam's numbers ----------------------------------------------------------------------

MIN_SCALED = 100
MAX_SCALED = 1000
PASS_SCALED = 720
# The raw share correct that the estimate maps to 720. AWS does not publish its scaling (it
# equates forms of different difficulty); 72 % is the rule of thumb candidates quote.
PASS_RAW_ANCHOR = 0.72
MAX_REPORT_CHARS = 2000
# Time spent on one visit of a question is capped, so a tab left open overnight does not count.
MAX_VISIT_MS = 30 * 60 * 1000


class ExamError(ValueError):
    """Something the learner asked for that cannot be done; the message says why, in plain words."""


class ExamNotFound(ExamError):
    pass


class ExamForbidden(ExamError):
    """The attempt belongs to another profile."""


class ExamClosed(ExamError):
    """The attempt is no longer in progress (submitted, timed out or abandoned)."""


class ExamMode(str, Enum):
    TIMED = "timed"
    REVIEW = "review"
    DRILL = "drill"

    @property
    def title(self) -> str:
        return {"timed": "Timed exam", "review": "Review mode", "drill": "Drill"}[self.value]

    @property
    def immediate_feedback(self) -> bool:
        """Review and drill show the key after each answer; a timed exam only at the end."""
        return self is not ExamMode.TIMED


class Status(str, Enum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    TIMED_OUT = "timed_out"  # submitted automatically at the deadline
    ABANDONED = "abandoned"

    @property
    def finished(self) -> bool:
        return self in (Status.SUBMITTED, Status.TIMED_OUT)


@dataclass(frozen=True)
class ExamSpec:
    """What to draw and how to run it. ``minutes=None`` means untimed."""

    mode: ExamMode = ExamMode.TIMED
    length: int = 65
    minutes: int | None = 130
    kind: str = "full"  # full, short, review, domain, topic, concept, missed
    domain: str | None = None
    topic: str | None = None
    concept: str | None = None
    question_ids: tuple[str, ...] = ()
    shuffle_options: bool = True

    @property
    def weighted(self) -> bool:
        """Drawn across all domains to the DVA-C02 weights (not a drill of one area)."""
        return not (self.domain or self.topic or self.concept or self.question_ids)

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.minutes) if self.minutes else None

    def limit_for(self, count: int) -> timedelta | None:
        """The time limit for an exam of ``count`` questions: the spec's limit, shortened in
        proportion (to the next whole minute) when the bank cannot fill the requested length."""
        if not self.minutes:
            return None
        if count >= self.length:
            return timedelta(minutes=self.minutes)
        return timedelta(minutes=max(1, math.ceil(self.minutes * count / self.length)))

    def to_json(self) -> str:
        data = asdict(self)
        data["mode"] = self.mode.value
        data["question_ids"] = list(self.question_ids)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> "ExamSpec":
        data = json.loads(text)
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in data.items() if k in known}
        data["mode"] = ExamMode(data.get("mode", "timed"))
        data["question_ids"] = tuple(data.get("question_ids") or ())
        return cls(**data)


FULL_MOCK = ExamSpec(ExamMode.TIMED, 65, 130, kind="full")
SHORT_MOCK = ExamSpec(ExamMode.TIMED, 20, 30, kind="short")


def describe(spec: ExamSpec, count: int | None = None) -> str:
    """A short label for an attempt: 'Full mock', 'Drill · topic Lambda concurrency'..."""
    names = {"full": "Full mock", "short": "Short mock", "review": "Review mode",
             "missed": "Drill · missed questions"}
    if spec.kind in names:
        return names[spec.kind]
    if spec.kind == "domain" and spec.domain:
        try:
            return f"Drill · {Domain(spec.domain).title}"
        except ValueError:
            return f"Drill · {spec.domain}"
    what = spec.topic or spec.concept or spec.domain or ""
    return f"Drill · {what}" if what else spec.mode.title


# -- the question snapshot --------------------------------------------------------------------------


# -- assembly ----------------------------------------------------------------------------------------


def allocate(n: int, capacity: dict[Domain, int],
             weights: dict[Domain, float] | None = None) -> dict[Domain, int]:
    """How many questions to draw from each domain: ``n`` split by the domain weights with the
    largest-remainder method, capped by what each domain has.

    A domain that cannot fill its share gives everything it has, and the shortfall is shared
    among the others, again by weight ("borrowing"). Ties in the remainders go to the heavier
    domain. The total is ``min(n, sum(capacity))``.
    """
    weights = weights or {d: d.weight for d in Domain}
    order = list(Domain)
    alloc = {d: 0 for d in capacity}
    remaining = max(0, min(n, sum(capacity.values())))
    open_ = [d for d in order if capacity.get(d, 0) > 0]
    quotas: dict[Domain, float] = {}
    while open_ and remaining:
        total_weight = sum(weights[d] for d in open_) or float(len(open_))
        quotas = {d: remaining * (weights[d] or 0) / total_weight if total_weight else 0
                  for d in open_}
        full = [d for d in open_ if quotas[d] >= capacity[d]]
        if not full:
            break
        for d in full:  # these domains give all they have; share the rest among the others
            alloc[d] = capacity[d]
            remaining -= capacity[d]
            open_.remove(d)
    if open_ and remaining:
        floors = {d: int(quotas[d]) for d in open_}
        for d in open_:
            alloc[d] = floors[d]
        left = remaining - sum(floors.values())
        by_remainder = sorted(open_, key=lambda d: (-(quotas[d] - floors[d]), -weights[d], order.index(d)))
        for d in by_remainder[:left]:
            alloc[d] += 1
    return alloc


def candidates(bank: Bank, spec: ExamSpec) -> list[Question]:
    """The questions an exam of this spec may draw from, sorted by id (for seeded draws)."""
    pool = sorted(bank.questions.values(), key=lambda q: q.id)
    if spec.question_ids:
        wanted = set(spec.question_ids)
        pool = [q for q in pool if q.id in wanted]
    if spec.domain:
        pool = [q for q in pool if q.domain.value == spec.domain]
    if spec.topic:
        pool = [q for q in pool if q.topic == spec.topic]
    if spec.concept:
        pool = [q for q in pool if spec.concept in q.concepts]
    return pool


@dataclass(frozen=True)
class DomainPlan:
    domain: Domain
    ideal: int  # the share at the real weights
    planned: int  # what the bank allows
    available: int


def plan(bank: Bank, spec: ExamSpec) -> list[DomainPlan]:
    """Per domain: the ideal count at the DVA-C02 weights, what will be drawn, what the bank has."""
    pool = candidates(bank, spec)
    capacity = {d: sum(1 for q in pool if q.domain == d) for d in Domain}
    ideal = allocate(spec.length, {d: spec.length for d in Domain})
    planned = allocate(spec.length, capacity)
    return [DomainPlan(d, ideal[d], planned[d], capacity[d]) for d in Domain]


def assemble(bank: Bank, spec: ExamSpec, seed: int) -> list[QuestionSnapshot]:
    """Draw the questions of an attempt: deterministic for a given bank, spec and seed.

    A weighted exam takes each domain's share (see :func:`allocate`); a drill samples its pool.
    No question appears twice. The order of the questions and, if ``spec.shuffle_options``, the
    order of each question's options are shuffled with the same seed; the snapshot keeps the
    mapping to the original option order.
    """
    rng = random.Random(seed)
    pool = candidates(bank, spec)
    if spec.weighted:
        by_domain = {d: [q for q in pool if q.domain == d] for d in Domain}
        counts = allocate(spec.length, {d: len(qs) for d, qs in by_domain.items()})
        chosen = [q for d in Domain for q in rng.sample(by_domain[d], counts[d])]
    else:
        chosen = rng.sample(pool, min(spec.length, len(pool)))
    rng.shuffle(chosen)
    result = []
    for q in chosen:
        order = list(range(len(q.options)))
        if spec.shuffle_options:
            rng.shuffle(order)
        result.append(QuestionSnapshot.from_question(q, bank.topic_title(q.topic), order))
    return result


# -- scoring ------------------------------------------------------------------------------------------


def score_question(chosen: Iterable[int], key: Iterable[int]) -> bool:
    """All or nothing, as on the real exam: exactly the correct options, no more, no fewer."""
    chosen = set(chosen)
    return bool(chosen) and chosen == set(key)


def scaled_score(raw: float, anchor: float = PASS_RAW_ANCHOR) -> int:
    """An ESTIMATE of the scaled score (100–1000) for a raw share correct (0–1).

    AWS does not publish how it turns raw scores into scaled scores: it equates exam forms of
    different difficulty, and 15 of the 65 questions are unscored. This estimate is a linear
    map in two pieces meeting at ``anchor``: 0 % → 100, ``anchor`` → 720 (the pass line),
    100 % → 1000. The result is rounded down, so a raw score below the anchor never shows 720.
    """
    raw = min(1.0, max(0.0, float(raw)))
    if raw <= anchor:
        value = MIN_SCALED + raw / anchor * (PASS_SCALED - MIN_SCALED)
    else:
        value = PASS_SCALED + (raw - anchor) / (1 - anchor) * (MAX_SCALED - PASS_SCALED)
    return int(math.floor(value + 1e-9))


def passed(scaled: int | None) -> bool:
    return scaled is not None and scaled >= PASS_SCALED


@dataclass(frozen=True)
class AnswerState:
    position: int
    question_id: str
    chosen: tuple[int, ...] = ()
    flagged: bool = False
    locked: bool = False
    answered_at: datetime | None = None
    time_ms: int = 0

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class QuestionResult:
    position: int
    question: QuestionSnapshot
    chosen: tuple[int, ...]
    correct: bool
    flagged: bool
    time_ms: int

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    correct: int
    total: int

    @property
    def pct(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


FILTERS = ("all", "incorrect", "correct", "flagged")


@dataclass(frozen=True)
class Result:
    """The scored attempt. Unanswered questions count as wrong, as on the real exam."""

    items: tuple[QuestionResult, ...]
    elapsed: timedelta

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def correct(self) -> int:
        return sum(1 for i in self.items if i.correct)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answered)

    @property
    def raw(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def scaled(self) -> int:
        return scaled_score(self.raw)

    @property
    def passed(self) -> bool:
        return passed(self.scaled)

    @property
    def mean_time_per_question(self) -> timedelta:
        return self.elapsed / self.total if self.total else timedelta(0)

    @property
    def wrong_cards(self) -> list[str]:
        """Cards linked to questions answered wrong (not to unanswered ones), each once."""
        seen: dict[str, None] = {}
        for item in self.items:
            if item.answered and not item.correct:
                seen.update(dict.fromkeys(item.question.cards))
        return list(seen)

    def _breakdown(self, key, title) -> list[Breakdown]:
        groups: dict[str, list[QuestionResult]] = {}
        titles: dict[str, str] = {}
        for item in self.items:
            groups.setdefault(key(item.question), []).append(item)
            titles[key(item.question)] = title(item.question)
        return [Breakdown(k, titles[k], sum(1 for i in v if i.correct), len(v))
                for k, v in groups.items()]

    @property
    def by_domain(self) -> list[Breakdown]:
        """Per domain, in the exam guide's order."""
        rank = {d.value: i for i, d in enumerate(Domain)}
        rows = self._breakdown(lambda q: q.domain, lambda q: q.domain_title)
        return sorted(rows, key=lambda b: (rank.get(b.key, 99), b.key))

    @property
    def by_topic(self) -> list[Breakdown]:
        """Per topic, weakest first."""
        rows = self._breakdown(lambda q: q.topic, lambda q: q.topic_title)
        return sorted(rows, key=lambda b: (b.pct, b.title))

    def filtered(self, which: str) -> list[QuestionResult]:
        if which == "incorrect":
            return [i for i in self.items if not i.correct]
        if which == "correct":
            return [i for i in self.items if i.correct]
        if which == "flagged":
            return [i for i in self.items if i.flagged]
        return list(self.items)

    def summary(self) -> dict[str, Any]:
        """What the history needs without the snapshot (stored at submission)."""
        topics: dict[str, dict] = {}
        for item in self.items:
            t = topics.setdefault(item.question.topic, {
                "title": item.question.topic_title, "answered": 0, "correct": 0, "total": 0})
            t["total"] += 1
            t["answered"] += item.answered
            t["correct"] += item.correct
        return {
            "topics": topics,
            "domains": {b.key: [b.correct, b.total] for b in self.by_domain},
            "right": [i.question.id for i in self.items if i.correct],
            "wrong": [i.question.id for i in self.items if i.answered and not i.correct],
        }


# -- an attempt as the page sees it ---------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    id: int
    profile_id: int
    spec: ExamSpec
    seed: int
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    status: Status
    position: int
    questions: tuple[QuestionSnapshot, ...]
    answers: tuple[AnswerState, ...]
    cards_marked: int | None = None

    @property
    def mode(self) -> ExamMode:
        return self.spec.mode

    @property
    def title(self) -> str:
        return describe(self.spec)

    @property
    def is_open(self) -> bool:
        return self.status is Status.IN_PROGRESS

    def remaining(self, now: datetime | None = None) -> timedelta | None:
        if self.deadline is None:
            return None
        return max(timedelta(0), self.deadline - (now or utcnow()))

    def elapsed(self, now: datetime | None = None) -> timedelta:
        end = self.submitted_at or now or utcnow()
        if self.deadline is not None:
            end = min(end, self.deadline)
        return max(timedelta(0), end - self.started_at)

    @property
    def unanswered(self) -> list[int]:
        return [a.position for a in self.answers if not a.answered]

    @property
    def incomplete(self) -> list[int]:
        """Multiple-response questions with fewer options chosen than asked for."""
        return [a.position for a, q in zip(self.answers, self.questions)
                if a.answered and q.multiple and len(a.chosen) < q.choose]

    @property
    def flagged(self) -> list[int]:
        return [a.position for a in self.answers if a.flagged]

    def result(self, now: datetime | None = None) -> Result:
        items = tuple(
            QuestionResult(a.position, q, a.chosen, score_question(a.chosen, q.answer),
                           a.flagged, a.time_ms)
            for q, a in zip(self.questions, self.answers)
        )
        return Result(items, self.elapsed(now))


@dataclass(frozen=True)
class HistoryEntry:
    """A finished attempt, from the columns filled at submission (no snapshot needed)."""

    id: int
    spec: ExamSpec
    started_at: datetime
    submitted_at: datetime
    deadline: datetime | None
    status: Status
    correct: int
    total: int
    scaled: int
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def raw(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return passed(self.scaled)

    @property
    def elapsed(self) -> timedelta:
        end = min(self.submitted_at, self.deadline) if self.deadline else self.submitted_at
        return max(timedelta(0), end - self.started_at)

    @property
    def title(self) -> str:
        return describe(self.spec)


# -- readiness and weak spots -------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """Estimated scaled score from the last few mocks, with a 95 % interval."""

    scaled: int
    low: int
    high: int
    attempts: int
    questions: int
    basis: str  # "full mocks" or "timed exams"

    @property
    def verdict(self) -> str:
        if self.low >= PASS_SCALED:
            return "likely to pass"
        if self.high < PASS_SCALED:
            return "not ready yet"
        return "borderline"


def wilson_interval(correct: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (sound for small samples and 0 %/100 %)."""
    if total <= 0:
        return 0.0, 1.0
    p = correct / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def readiness(history: Sequence[HistoryEntry], last: int = 3) -> Readiness | None:
    """Readiness from the last ``last`` full mocks (or, with none, the last timed exams).

    The questions of those attempts are pooled: the estimate is the scaled score of the pooled
    share correct, and the interval maps the 95 % Wilson interval of that share through the same
    (estimated) scaling. Fewer questions give a wider interval.
    """
    finished = sorted((h for h in history if h.status.finished and h.total),
                      key=lambda h: h.submitted_at)
    full = [h for h in finished if h.spec.mode is ExamMode.TIMED and h.spec.kind == "full"]
    basis = "full mocks"
    if not full:
        full = [h for h in finished if h.spec.mode is ExamMode.TIMED]
        basis = "timed exams"
    recent = full[-last:]
    if not recent:
        return None
    correct = sum(h.correct for h in recent)
    total = sum(h.total for h in recent)
    low, high = wilson_interval(correct, total)
    return Readiness(scaled_score(correct / total), scaled_score(low), scaled_score(high),
                     len(recent), total, basis)


def weakest_topics(history: Sequence[HistoryEntry], limit: int = 5,
                   min_answered: int = 2) -> list[Breakdown]:
    """Topics with the lowest share correct over all finished attempts (answered questions only)."""
    totals: dict[str, list] = {}
    for h in history:
        for topic, t in (h.summary.get("topics") or {}).items():
            row = totals.setdefault(topic, [t.get("title", topic), 0, 0])
            row[1] += t.get("correct", 0)
            row[2] += t.get("answered", 0)
    rows = [Breakdown(k, title, c, n) for k, (title, c, n) in totals.items() if n >= min_answered]
    return sorted(rows, key=lambda b: (b.pct, -b.total, b.title))[:limit]


def missed_question_ids(history: Sequence[HistoryEntry]) -> list[str]:
    """Questions answered wrong the last time they were answered in a finished attempt."""
    state: dict[str, bool] = {}
    for h in sorted(history, key=lambda h: h.submitted_at):
        for qid in h.summary.get("right", ()):
            state[qid] = True
        for qid in h.summary.get("wrong", ()):
            state[qid] = False
    return sorted(qid for qid, right in state.items() if not right)


# -- the store ---------------------------------------------------------------------------------------


def _chosen(text: str | None) -> tuple[int, ...]:
    try:
        return tuple(sorted(int(i) for i in json.loads(text or "[]")))
    except (TypeError, ValueError):
        return ()


class Exams:
    """One profile's exam attempts."""

    def __init__(self, engine: Engine, profile_id: int):
        self.engine = engine
        self.profile_id = profile_id

    # -- starting -------------------------------------------------------------------------------

    def start(self, bank: Bank, spec: ExamSpec, seed: int | None = None,
              now: datetime | None = None) -> Attempt:
        """Draw and store a new attempt. Only one attempt may be in progress per profile."""
        now = now or utcnow()
        if self.current(now) is not None:
            raise ExamError("You already have an exam in progress: resume it, or abandon it "
                            "before starting another.")
        if spec.length < 1:
            raise ExamError("An exam needs at least one question.")
        seed = secrets.randbits(31) if seed is None else int(seed)
        questions = assemble(bank, spec, seed)
        if not questions:
            raise ExamError("No question in the bank matches this choice; pick another one.")
        limit = spec.limit_for(len(questions))
        with self.engine.begin() as conn:
            attempt_id = conn.execute(_ATT.insert().values(
                profile_id=self.profile_id, mode=spec.mode.value, kind=spec.kind,
                spec=spec.to_json(), seed=seed, started_at=now,
                deadline=now + limit if limit else None, status=Status.IN_PROGRESS.value,
                position=0, questions=dump_snapshots(questions), total=len(questions),
            )).inserted_primary_key[0]
            conn.execute(_ANS.insert(), [
                {"attempt_id": attempt_id, "position": i, "question_id": q.id, "chosen": "[]",
                 "flagged": False, "locked": False, "time_ms": 0}
                for i, q in enumerate(questions)
            ])
        return self.load(attempt_id, now)

    # -- reading --------------------------------------------------------------------------------

    def _row(self, conn: Connection, attempt_id: int):
        row = conn.execute(select(_ATT).where(_ATT.c.id == attempt_id)).first()
        if row is None:
            raise ExamNotFound(f"There is no exam attempt number {attempt_id}.")
        if row.profile_id != self.profile_id:
            raise ExamForbidden(f"Exam attempt {attempt_id} belongs to another profile; "
                                "it cannot be opened from this one.")
        return row

    def _attempt(self, conn: Connection, row) -> Attempt:
        answers = conn.execute(select(_ANS).where(_ANS.c.attempt_id == row.id)
                               .order_by(_ANS.c.position)).all()
        return Attempt(
            id=row.id, profile_id=row.profile_id, spec=ExamSpec.from_json(row.spec),
            seed=row.seed, started_at=as_utc(row.started_at), deadline=as_utc(row.deadline),
            submitted_at=as_utc(row.submitted_at), status=Status(row.status),
            position=row.position, questions=tuple(load_snapshots(row.questions)),
            answers=tuple(AnswerState(a.position, a.question_id, _chosen(a.chosen), a.flagged,
                                      a.locked, as_utc(a.answered_at), a.time_ms or 0)
                          for a in answers),
            cards_marked=row.cards_marked,
        )

    def load(self, attempt_id: int, now: datetime | None = None) -> Attempt:
        """The attempt, submitted first if its time ran out. Raises ExamNotFound/ExamForbidden."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if self._overdue(row, now):
                self._finish(conn, row, as_utc(row.deadline), Status.TIMED_OUT)
                row = self._row(conn, attempt_id)
            return self._attempt(conn, row)

    @staticmethod
    def _overdue(row, now: datetime) -> bool:
        return (row.status == Status.IN_PROGRESS.value and row.deadline is not None
                and now >= as_utc(row.deadline))

    def expire_overdue(self, now: datetime | None = None) -> list[int]:
        """Submit every attempt of this profile whose time ran out; return their ids."""
        now = now or utcnow()
        expired = []
        with self.engine.begin() as conn:
            rows = conn.execute(select(_ATT).where(
                _ATT.c.profile_id == self.profile_id, _ATT.c.status == Status.IN_PROGRESS.value,
                _ATT.c.deadline.is_not(None), _ATT.c.deadline <= now)).all()
            for row in rows:
                if self._finish(conn, row, as_utc(row.deadline), Status.TIMED_OUT):
                    expired.append(row.id)
        return expired

    def current(self, now: datetime | None = None) -> Attempt | None:
        """The attempt in progress, if any (after submitting those whose time ran out)."""
        self.expire_overdue(now)
        with self.engine.connect() as conn:
            row = conn.execute(select(_ATT).where(
                _ATT.c.profile_id == self.profile_id, _ATT.c.status == Status.IN_PROGRESS.value,
            ).order_by(_ATT.c.started_at.desc()).limit(1)).first()
            return self._attempt(conn, row) if row else None

    def history(self) -> list[HistoryEntry]:
        """Finished attempts, oldest first."""
        cols = [_ATT.c.id, _ATT.c.spec, _ATT.c.started_at, _ATT.c.submitted_at, _ATT.c.deadline,
                _ATT.c.status, _ATT.c.correct, _ATT.c.total, _ATT.c.scaled, _ATT.c.summary]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols).where(
                _ATT.c.profile_id == self.profile_id,
                _ATT.c.status.in_((Status.SUBMITTED.value, Status.TIMED_OUT.value)),
            ).order_by(_ATT.c.submitted_at, _ATT.c.id)).all()
        return [HistoryEntry(r.id, ExamSpec.from_json(r.spec), as_utc(r.started_at),
                             as_utc(r.submitted_at), as_utc(r.deadline), Status(r.status),
                             r.correct or 0, r.total, r.scaled or MIN_SCALED,
                             json.loads(r.summary) if r.summary else {})
                for r in rows]

    # -- answering ------------------------------------------------------------------------------

    def _open_row(self, conn: Connection, attempt_id: int, now: datetime):
        """The attempt row if answers may still change it; else finish it if due and raise."""
        row = self._row(conn, attempt_id)
        if self._overdue(row, now):
            self._finish(conn, row, as_utc(row.deadline), Status.TIMED_OUT)
            return None, ("Time is up: the exam was submitted automatically at the deadline. "
                          "Answers given after it are not counted.")
        if row.status != Status.IN_PROGRESS.value:
            return None, "This exam has already been submitted; answers can no longer change."
        return row, None

    def _write(self, attempt_id: int, position: int, now: datetime, values_for) -> None:
        """Run one change to an answer row in a transaction, refusing closed attempts."""
        message = None
        with self.engine.begin() as conn:
            row, message = self._open_row(conn, attempt_id, now)
            if row is not None:
                if not 0 <= position < row.total:
                    raise ExamError(f"This exam has no question {position + 1}.")
                values = values_for(conn, row)
                if values:
                    still_open = exists().where(_ATT.c.id == attempt_id,
                                                _ATT.c.status == Status.IN_PROGRESS.value)
                    conn.execute(update(_ANS).where(
                        _ANS.c.attempt_id == attempt_id, _ANS.c.position == position, still_open,
                    ).values(**values))
        if message:
            raise ExamClosed(message)

    def answer(self, attempt_id: int, position: int, chosen: Iterable[int],
               now: datetime | None = None, time_ms: int = 0, lock: bool = False) -> None:
        """Save the options chosen for a question (indexes as shown). ``lock`` (review and drill
        modes) checks the answer: it is then final. Raises ExamClosed after the deadline."""
        now = now or utcnow()
        picked = sorted({int(i) for i in chosen})

        def values(conn, row):
            q = load_snapshots(row.questions)[position]
            if any(not 0 <= i < len(q.options) for i in picked):
                raise ExamError("That option does not exist for this question.")
            if not q.multiple and len(picked) > 1:
                raise ExamError("This question has one correct answer: choose one option.")
            if lock and not picked:
                raise ExamError("Choose an answer before checking it.")
            current = conn.execute(select(_ANS.c.locked, _ANS.c.time_ms).where(
                _ANS.c.attempt_id == row.id, _ANS.c.position == position)).one()
            if current.locked:
                raise ExamError("This answer was already checked and cannot change.")
            return {"chosen": json.dumps(picked), "correct": score_question(picked, q.answer),
                    "answered_at": now if picked else None, "locked": lock,
                    "time_ms": (current.time_ms or 0) + _visit_ms(time_ms)}

        self._write(attempt_id, position, now, values)

    def flag(self, attempt_id: int, position: int, flagged: bool,
             now: datetime | None = None) -> None:
        self._write(attempt_id, position, now or utcnow(), lambda conn, row: {"flagged": bool(flagged)})

    def add_time(self, attempt_id: int, position: int, ms: int, now: datetime | None = None) -> None:
        """Add the time of one visit to a question (capped). Silently ignored once closed."""
        ms = _visit_ms(ms)
        if not ms:
            return
        try:
            self._write(attempt_id, position, now or utcnow(),
                        lambda conn, row: {"time_ms": _ANS.c.time_ms + ms})
        except ExamClosed:
            pass

    def goto(self, attempt_id: int, position: int) -> None:
        """Remember the question on screen, so a resumed attempt opens there."""
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if 0 <= position < row.total and row.status == Status.IN_PROGRESS.value:
                conn.execute(update(_ATT).where(_ATT.c.id == attempt_id).values(position=position))

    # -- finishing ------------------------------------------------------------------------------

    def _finish(self, conn: Connection, row, when: datetime, status: Status) -> bool:
        """Score and close an attempt in the caller's transaction; False if already closed."""
        attempt = self._attempt(conn, row)
        attempt = replace(attempt, submitted_at=when)
        result = attempt.result(when)
        done = conn.execute(update(_ATT).where(
            _ATT.c.id == row.id, _ATT.c.status == Status.IN_PROGRESS.value,
        ).values(status=status.value, submitted_at=when, correct=result.correct,
                 total=result.total, scaled=result.scaled,
                 summary=json.dumps(result.summary()))).rowcount
        return bool(done)

    def submit(self, attempt_id: int, now: datetime | None = None) -> Attempt:
        """Submit the attempt (idempotent). Past the deadline it counts as timed out, with the
        deadline as its submission time."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if row.status == Status.ABANDONED.value:
                raise ExamClosed("This exam was abandoned; it has no result.")
            if row.status == Status.IN_PROGRESS.value:
                if self._overdue(row, now):
                    self._finish(conn, row, as_utc(row.deadline), Status.TIMED_OUT)
                else:
                    self._finish(conn, row, now, Status.SUBMITTED)
        return self.load(attempt_id, now)

    def abandon(self, attempt_id: int, now: datetime | None = None) -> None:
        """Give up an attempt in progress: it is kept but has no result and no history entry."""
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if self._overdue(row, now or utcnow()):
                self._finish(conn, row, as_utc(row.deadline), Status.TIMED_OUT)
                return
            conn.execute(update(_ATT).where(
                _ATT.c.id == attempt_id, _ATT.c.status == Status.IN_PROGRESS.value,
            ).values(status=Status.ABANDONED.value, submitted_at=now or utcnow()))

    # -- spaced repetition follow-up ------------------------------------------------------------

    def unmarked(self) -> list[int]:
        """Finished attempts whose wrong answers have not yet been sent to spaced repetition."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(_ATT.c.id).where(
                _ATT.c.profile_id == self.profile_id,
                _ATT.c.status.in_((Status.SUBMITTED.value, Status.TIMED_OUT.value)),
                _ATT.c.cards_marked.is_(None))).scalars())

    def claim_followup(self, attempt_id: int) -> bool:
        """Claim the follow-up of a finished attempt once (two tabs must not both do it)."""
        with self.engine.begin() as conn:
            return bool(conn.execute(update(_ATT).where(
                _ATT.c.id == attempt_id, _ATT.c.profile_id == self.profile_id,
                _ATT.c.status.in_((Status.SUBMITTED.value, Status.TIMED_OUT.value)),
                _ATT.c.cards_marked.is_(None)).values(cards_marked=0)).rowcount)

    def set_cards_marked(self, attempt_id: int, count: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(_ATT).where(_ATT.c.id == attempt_id,
                                            _ATT.c.profile_id == self.profile_id)
                         .values(cards_marked=int(count)))

    def follow_up(self, attempt_id: int, mark_for_review) -> int | None:
        """Send the cards of wrong answers to spaced repetition once: ``mark_for_review`` is
        ``Study.mark_for_review``. Returns how many cards moved, or None if already done."""
        if not self.claim_followup(attempt_id):
            return None
        cards = self.load(attempt_id).result().wrong_cards
        moved = mark_for_review(cards) if cards else 0
        self.set_cards_marked(attempt_id, moved)
        return moved


def _visit_ms(ms: int | float | None) -> int:
    return int(min(max(ms or 0, 0), MAX_VISIT_MS))


# -- problem reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    id: int
    question_id: str
    profile_id: int | None
    attempt_id: int | None
    text: str
    created_at: datetime
    resolved_at: datetime | None


def report_problem(engine: Engine, question_id: str, text: str, profile_id: int | None = None,
                   attempt_id: int | None = None, now: datetime | None = None) -> int:
    """Store 'a problem with this question' for the content maintainers; returns its id."""
    text = (text or "").strip()
    if not text:
        raise ExamError("Describe the problem before sending the report.")
    if len(text) > MAX_REPORT_CHARS:
        raise ExamError(f"A report can be at most {MAX_REPORT_CHARS} characters.")
    if not question_id:
        raise ExamError("The report needs a question.")
    with engine.begin() as conn:
        return conn.execute(_REP.insert().values(
            question_id=question_id, profile_id=profile_id, attempt_id=attempt_id, text=text,
            created_at=now or utcnow())).inserted_primary_key[0]


def list_reports(engine: Engine, include_resolved: bool = False) -> list[Report]:
    """Reports, newest first."""
    query = select(_REP).order_by(_REP.c.created_at.desc(), _REP.c.id.desc())
    if not include_resolved:
        query = query.where(_REP.c.resolved_at.is_(None))
    with engine.connect() as conn:
        return [Report(r.id, r.question_id, r.profile_id, r.attempt_id, r.text,
                       as_utc(r.created_at), as_utc(r.resolved_at))
                for r in conn.execute(query)]


def resolve_report(engine: Engine, report_id: int, resolved: bool = True,
                   now: datetime | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(update(_REP).where(_REP.c.id == report_id)
                     .values(resolved_at=(now or utcnow()) if resolved else None))
