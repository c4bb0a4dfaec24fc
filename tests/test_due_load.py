"""Load balancing's counts (trainer.study.due_load.DueCalendar) on SQLite and PostgreSQL: the
grouped count in the database equals counting every due moment's study day in Python, also
across a change to and from summer time and for due moments exactly on a day's first instant;
a Study's own answers keep the counts it already read in step without reading them again."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from trainer.content.graph import introduction_order
from trainer.store.tables import CardState
from trainer.study.due_load import DueCalendar, _even_runs, day_begins
from trainer.study.profiles import create_profile
from trainer.study.queue import Study, settings_for
from trainer.study.scheduling import Rating, Settings, study_date

CARDS = CardState.__table__
# Summer time in Berlin ends on 25 October 2026 and starts on 28 March 2027.
FIRST = date(2026, 10, 10)
LAST = date(2027, 4, 10)


def fill(engine, profile_id: int, settings, n: int = 400) -> None:
    rng = random.Random(3)
    rows = []
    for i in range(n):
        day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
        if i % 5 == 0:  # exactly when a study day begins, and one microsecond before
            due = day_begins(day, settings) - timedelta(microseconds=i % 2)
        else:
            due = day_begins(day, settings) + timedelta(seconds=rng.randrange(25 * 3600))
        rows.append(
            {
                "profile_id": profile_id,
                "card_id": f"c{i:04d}",
                "topic": "t",
                "state": "review",
                "queue": "review" if i % 7 else "learn",  # only the review queue counts
                "position": i,
                "stability": 10.0,
                "difficulty": 5.0,
                "due": due,
                "last_review": due - timedelta(days=10),
                "reps": 3,
                "lapses": 0,
                "suspended": False,
                "leech": False,
                "retired": False,
            }
        )
    with engine.begin() as conn:
        conn.execute(CARDS.insert(), rows)


def counted_in_python(engine, profile_id: int, settings, first: date, last: date) -> dict[date, int]:
    with engine.connect() as conn:
        dues = conn.execute(
            select(CARDS.c.due).where(CARDS.c.profile_id == profile_id, CARDS.c.queue == "review")
        ).scalars()
        days = Counter(study_date(due, settings) for due in dues)
    return {day: n for day, n in days.items() if first <= day <= last}


def test_runs_split_where_summer_time_changes():
    runs = _even_runs(date(2026, 10, 20), date(2026, 10, 30), Settings(timezone="Europe/Berlin"))
    assert [(r[0], r[3]) for r in runs] == [
        (date(2026, 10, 20), 4),
        # The study day from 24 October, 4 AM, to the 25th, 4 AM, has 25 hours (clocks go back
        # at 3 AM on the 25th): a run of its own.
        (date(2026, 10, 24), 1),
        (date(2026, 10, 25), 6),
    ]
    assert runs[1][2] - runs[1][1] == timedelta(hours=25)
    assert all(a[2] == b[1] for a, b in zip(runs, runs[1:], strict=False))


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kolkata", "UTC"])
def test_grouped_counts_equal_counting_each_card(engine, zone):
    profile = create_profile(engine, "Ana", timezone=zone)
    settings = settings_for(profile)
    fill(engine, profile.id, settings)
    calendar = DueCalendar(profile.id, settings)
    with engine.connect() as conn:
        # Overlapping and nested ranges, read in pieces: no day is counted twice.
        calendar.counts(conn, date(2026, 10, 20), date(2026, 11, 5))
        calendar.counts(conn, date(2027, 3, 20), date(2027, 4, 2))
        got = calendar.counts(conn, FIRST, LAST)
    assert got == counted_in_python(engine, profile.id, settings, FIRST, LAST)
    assert sum(got.values()) > 300


def test_own_answers_keep_the_counts_in_step(engine, small_bank):
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(small_bank, introduction_order(small_bank))
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    for card_id in sorted(small_bank.cards):
        study.answer(card_id, Rating.EASY, now)  # straight into review, due in days
    today = study_date(now, study.settings)
    window = (today, today + timedelta(days=200))
    with engine.connect() as conn:
        study.calendar.counts(conn, *window)  # read once
    later = now + timedelta(days=30)
    for card_id in sorted(small_bank.cards)[:3]:
        study.answer(card_id, Rating.GOOD, later)
    with engine.connect() as conn:
        kept = study.calendar.counts(conn, *window)
        fresh = DueCalendar(profile.id, study.settings).counts(conn, *window)
    assert kept == fresh
    assert sum(kept.values()) == len(small_bank.cards)


def test_preview_then_answer_in_one_study_after_other_answers(engine, small_bank):
    """The counts a preview reads are the ones the answer reads, also after earlier answers of the
    same Study moved cards between days."""
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(small_bank, introduction_order(small_bank))
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    for card_id in sorted(small_bank.cards):
        study.answer(card_id, Rating.EASY, now)
    at = now + timedelta(days=20)
    for card_id in sorted(small_bank.cards):
        shown = study.preview(card_id, at)
        assert study.answer(card_id, Rating.GOOD, at).memory.due == shown[Rating.GOOD].memory.due
