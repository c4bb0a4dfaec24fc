"""Problem reports: "Report a problem with this question", kept for whoever maintains the content.

A report names the question by id only, so it outlives the attempt and survives a question
being edited or removed; the reports page (``trainer/ui/reports.py``) lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import AccessDenied, Action, Actor, require, require_profile
from trainer.exams.rules import MAX_REPORT_CHARS, ExamError
from trainer.store.tables import ExamAttempt, QuestionReport, table_of
from trainer.store.types import utcnow

_REP = QuestionReport.__table__  # type: ignore[attr-defined]  # SQLModel sets it at class creation


@dataclass(frozen=True)
class ProblemReport:
    """One learner's report about one question."""

    id: int
    question_id: str
    profile_id: int | None
    attempt_id: int | None
    text: str
    created_at: datetime
    resolved_at: datetime | None


def report_problem(
    engine: Engine,
    question_id: str,
    text: str,
    profile_id: int | None = None,
    attempt_id: int | None = None,
    now: datetime | None = None,
    actor: Actor | None = None,
) -> int:
    """Store 'a problem with this question' for the content maintainers; returns its id. With
    sign-in on, a report names one's own profile and attempt only (a link to another's attempt
    cannot put a report on it)."""
    if profile_id is not None:
        require_profile(engine, actor, profile_id)
    if attempt_id is not None and not (actor is None or actor.local):
        attempts = table_of(ExamAttempt)
        with engine.connect() as conn:
            owner = conn.execute(select(attempts.c.profile_id).where(attempts.c.id == attempt_id)).scalar()
        if owner is None or owner != profile_id:
            raise AccessDenied("That exam attempt belongs to someone else; report from your own.")
    text = (text or "").strip()
    if not text:
        raise ExamError("Describe the problem before sending the report.")
    if len(text) > MAX_REPORT_CHARS:
        raise ExamError(f"A report can be at most {MAX_REPORT_CHARS} characters.")
    if "\x00" in text:  # PostgreSQL text cannot hold NUL: say so instead of a driver error
        raise ExamError("A report cannot contain NUL characters; remove them and send it again.")
    if not question_id:
        raise ExamError("The report needs a question.")
    with engine.begin() as conn:
        inserted = conn.execute(
            _REP.insert().values(
                question_id=question_id,
                profile_id=profile_id,
                attempt_id=attempt_id,
                text=text,
                created_at=now or utcnow(),
            )
        ).inserted_primary_key
        assert inserted is not None  # an INSERT always returns its key
        return int(inserted[0])


def list_reports(
    engine: Engine, include_resolved: bool = False, *, actor: Actor | None = None
) -> list[ProblemReport]:
    """Reports, newest first; with sign-in on, for maintainers only."""
    require(actor, Action.READ_REPORTS)
    query = select(_REP).order_by(_REP.c.created_at.desc(), _REP.c.id.desc())
    if not include_resolved:
        query = query.where(_REP.c.resolved_at.is_(None))
    with engine.connect() as conn:
        return [
            ProblemReport(
                r.id,
                r.question_id,
                r.profile_id,
                r.attempt_id,
                r.text,
                r.created_at,
                r.resolved_at,
            )
            for r in conn.execute(query)
        ]


def resolve_report(
    engine: Engine,
    report_id: int,
    resolved: bool = True,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> None:
    """Mark a report resolved (once the YAML is fixed), or reopen it with ``resolved=False``.
    With sign-in on, for maintainers only."""
    require(actor, Action.RESOLVE_REPORTS)
    with engine.begin() as conn:
        conn.execute(
            update(_REP)
            .where(_REP.c.id == report_id)
            .values(resolved_at=(now or utcnow()) if resolved else None)
        )
