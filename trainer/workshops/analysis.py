"""The facilitator's report: an item analysis of every question of a room, and every answer as CSV.

The statistics are generic psychometrics (:mod:`trainer.workshops.item_analysis`); this module
feeds them a room's answers. Both are for the host only: they show every participant's answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from trainer.access.permissions import Actor
from trainer.content.snapshot import LETTERS
from trainer.workshops import item_analysis
from trainer.workshops.access import ANSWERS, PARTICIPANTS, AnyRow, load_room_questions, room_info, room_row
from trainer.workshops.model import QuestionAnalysis, RoomReport

CSV_COLUMNS = [
    "room",
    "question",
    "question_id",
    "participant",
    "team",
    "chosen",
    "correct",
    "time_s",
    "points",
    "answered_at",
]


def _answer_rows(conn: Connection, room_id: int) -> Sequence[AnyRow]:
    return conn.execute(
        select(ANSWERS, PARTICIPANTS.c.name, PARTICIPANTS.c.team)
        .join(PARTICIPANTS, PARTICIPANTS.c.id == ANSWERS.c.participant_id)
        .where(ANSWERS.c.room_id == room_id)
        .order_by(ANSWERS.c.question_index, ANSWERS.c.answered_at, ANSWERS.c.id)
    ).all()


def report(engine: Engine, room_id: int, secret: str | None, actor: Actor | None = None) -> RoomReport:
    """Item analysis of every question put to the room (host only)."""
    with engine.connect() as conn:
        row = room_row(conn, room_id, secret, host=True, actor=actor)
        rows = _answer_rows(conn, room_id)
        joined = conn.execute(
            select(func.count()).select_from(PARTICIPANTS).where(PARTICIPANTS.c.room_id == room_id)
        ).scalar_one()
    room = room_info(row)
    responses = [
        item_analysis.Response(r.participant_id, r.question_index, tuple(r.chosen), bool(r.correct))
        for r in rows
    ]
    items = range(room.asked)  # a room ended early: the unasked questions have no figures
    stats = item_analysis.analyse(
        responses,
        list(items),
        option_counts={i: len(q.options) for i, q in enumerate(room.questions)},
        keys={i: q.answer for i, q in enumerate(room.questions)},
    )
    return RoomReport(
        room,
        joined,
        len({r.person for r in responses}),
        len(responses),
        tuple(QuestionAnalysis(i, room.questions[i], s) for i, s in zip(items, stats, strict=True)),
    )


def _csv_safe(text: str | None) -> str:
    """Names are typed by participants: keep spreadsheets from reading them as formulas."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def answers_csv(engine: Engine, room_id: int, secret: str | None, actor: Actor | None = None) -> str:
    """Every answer of the room, one row each (host only)."""
    with engine.connect() as conn:
        row = room_row(conn, room_id, secret, host=True, actor=actor)
        rows = _answer_rows(conn, room_id)
    questions = load_room_questions(row.questions)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        chosen = "".join(LETTERS[i] for i in r.chosen)
        writer.writerow(
            [
                row.code,
                r.question_index + 1,
                questions[r.question_index].id,
                _csv_safe(r.name),
                _csv_safe(r.team),
                chosen,
                "yes" if r.correct else "no",
                f"{r.elapsed_ms / 1000:.3f}",
                r.points,
                r.answered_at.isoformat(),
            ]
        )
    return out.getvalue()
