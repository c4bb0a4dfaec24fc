"""Calendar settings in the store (SQLite and PostgreSQL): easy days and load balancing used by
the queue, a vacation moving the cards due in it, postpone and advance planned before applied."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from trainer.content.graph import introduction_order
from trainer.store.tables import CardState
from trainer.study.profiles import ProfileError, create_profile, get_profile
from trainer.study.queue import Study
from trainer.study.reschedule import Shift, ShiftError, apply_shift, plan_shift, select_cards
from trainer.study.scheduling import Rating, study_date
from trainer.study.study_days import calendar_of, set_calendar

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CARDS = CardState.__table__


def studied(engine, bank, name="Ana"):
    """A profile whose six cards are all in review, due 10 to 35 days from NOW."""
    profile = create_profile(engine, name)
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    for i, card_id in enumerate(sorted(bank.cards)):
        study.answer(card_id, Rating.EASY, NOW - timedelta(days=5))
        with engine.begin() as conn:
            conn.execute(
                update(CARDS)
                .where(CARDS.c.profile_id == profile.id, CARDS.c.card_id == card_id)
                .values(due=NOW + timedelta(days=10 + 5 * i), stability=20.0 + 5 * i)
            )
    return profile


def dues(engine, profile_id) -> dict[str, datetime]:
    with engine.connect() as conn:
        return dict(
            conn.execute(select(CARDS.c.card_id, CARDS.c.due).where(CARDS.c.profile_id == profile_id)).all()
        )


def test_calendar_is_stored_and_read_into_the_settings(engine, small_bank):
    profile = create_profile(engine, "Ana")
    set_calendar(
        engine, profile.id, easy_days=[100, 100, 100, 100, 100, 50, 0], load_balancing=False, now=NOW
    )
    profile = get_profile(engine, profile.id)
    study = Study(engine, profile)
    assert study.settings.easy_days == (100, 100, 100, 100, 100, 50, 0)
    assert study.settings.load_balancing is False and study.settings.vacation is None
    assert calendar_of(profile)["easy_days"] == (100, 100, 100, 100, 100, 50, 0)
    with pytest.raises(ProfileError, match="seven percentages"):
        set_calendar(engine, profile.id, easy_days=[100], now=NOW)
    with pytest.raises(ProfileError, match="on or after"):
        set_calendar(engine, profile.id, vacation=(date(2026, 12, 5), date(2026, 12, 1)), now=NOW)


def test_preview_equals_answer_with_the_store_load(engine, small_bank):
    profile = studied(engine, small_bank)
    study = Study(engine, get_profile(engine, profile.id))
    card_id = sorted(small_bank.cards)[0]
    at = dues(engine, profile.id)[card_id]
    preview = study.preview(card_id, at)
    assert study.answer(card_id, Rating.GOOD, at).interval == preview[Rating.GOOD].interval


def test_the_queue_balances_against_the_cards_already_due(engine, small_bank):
    """Fill every day of a card's fuzz range but one: the answer lands on that day."""
    profile = studied(engine, small_bank)
    study = Study(engine, get_profile(engine, profile.id))
    card_id = sorted(small_bank.cards)[0]
    at = dues(engine, profile.id)[card_id]
    # Every other card due on one day inside the card's range: the answer avoids that day.
    natural = Study(engine, get_profile(engine, profile.id))
    good = natural.preview(card_id, at)[Rating.GOOD].memory.due
    busy = study_date(good, study.settings)
    with engine.begin() as conn:
        conn.execute(
            update(CARDS).where(CARDS.c.profile_id == profile.id, CARDS.c.card_id != card_id).values(due=good)
        )
    outcome = study.answer(card_id, Rating.GOOD, at)
    assert study_date(outcome.memory.due, study.settings) != busy
    assert abs((outcome.memory.due - good).days) <= 10  # still within the fuzz range


def test_a_vacation_moves_the_cards_due_in_it_and_leaves_none_inside(engine, small_bank):
    profile = studied(engine, small_bank)
    start, end = date(2026, 12, 10), date(2026, 12, 24)  # cards due 6 Dec .. 31 Dec
    move = set_calendar(engine, profile.id, vacation=(start, end), now=NOW)
    days = [
        study_date(d, Study(engine, get_profile(engine, profile.id)).settings)
        for d in dues(engine, profile.id).values()
    ]
    assert not any(start <= d <= end for d in days)
    assert move.before + move.after == 3 and move.before >= 1
    assert max(Counter(d for d in days if d > end).values()) <= 2
    assert "moved before the vacation" in move.describe()
    # Answers given afterwards keep out of it too.
    study = Study(engine, get_profile(engine, profile.id))
    card_id = sorted(small_bank.cards)[0]
    outcome = study.answer(card_id, Rating.GOOD, dues(engine, profile.id)[card_id])
    assert not start <= study_date(outcome.memory.due, study.settings) <= end
    set_calendar(engine, profile.id, vacation=None, now=NOW)
    assert Study(engine, get_profile(engine, profile.id)).settings.vacation is None


def test_postpone_reports_the_recall_cost_and_applies_only_when_asked(engine, small_bank):
    profile = studied(engine, small_bank)
    study = Study(engine, get_profile(engine, profile.id))
    chosen = select_cards(engine, profile.id, topic="alpha")
    assert set(chosen) == {"a1", "a2", "a3"}
    before = dues(engine, profile.id)
    plan = plan_shift(engine, profile.id, study.settings, chosen, Shift.POSTPONE, 7, NOW)
    assert len(plan.changes) == 3 and plan.recall_change < 0
    assert "Postponing 3 card(s) by 7 day(s)" in plan.describe()
    assert dues(engine, profile.id) == before  # planned, not applied
    assert apply_shift(engine, profile.id, plan) == 3
    after = dues(engine, profile.id)
    assert all(after[c] == before[c] + timedelta(days=7) for c in chosen)
    assert apply_shift(engine, profile.id, plan) == 0  # the dues moved since: left alone


def test_advance_reports_higher_recall_and_never_goes_before_now(engine, small_bank):
    profile = studied(engine, small_bank)
    study = Study(engine, get_profile(engine, profile.id))
    chosen = select_cards(engine, profile.id, concept="advanced", bank=small_bank)
    assert chosen == ["b1"]
    plan = plan_shift(
        engine, profile.id, study.settings, select_cards(engine, profile.id), Shift.ADVANCE, 30, NOW
    )
    assert plan.recall_change > 0 and all(c.due_after >= NOW for c in plan.changes)
    assert plan.to_json_dict()["cards"] == 6
    apply_shift(engine, profile.id, plan)
    # Due 10..35 days ahead, advanced 30: all but the last are due now, none before now.
    assert select_cards(engine, profile.id, overdue=True, now=NOW) == ["a1", "a2", "a3", "b1", "b2"]
    with pytest.raises(ShiftError, match="between 1 and"):
        plan_shift(engine, profile.id, study.settings, chosen, Shift.POSTPONE, 0, NOW)


def test_cli_postpone_shows_the_cost_and_writes_only_with_apply(file_db, capsys):
    import json

    from trainer.cli import main
    from trainer.store.engine import make_engine

    engine = make_engine(file_db)
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    from trainer.content.loader import load_bank
    from trainer.resources import content_dir

    bank = load_bank([content_dir()])
    study.sync(bank, introduction_order(bank))
    card_id = introduction_order(bank)[0]
    study.answer(card_id, Rating.EASY, datetime(2020, 1, 1, tzinfo=UTC))  # long overdue
    before = dues(engine, profile.id)[card_id]
    assert main(["study", "postpone", "--profile", "Ana", "--overdue", "--days", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cards"] == 1 and out["recall_change"] < 0 and not out["applied"]
    assert dues(engine, profile.id)[card_id] == before
    assert main(["study", "postpone", "--profile", "Ana", "--overdue", "--days", "3", "--apply"]) == 0
    assert "moved 1 card(s)" in capsys.readouterr().out
    assert dues(engine, profile.id)[card_id] > before
    assert main(["study", "advance", "--profile", "Ana", "--days", "3"]) == 2
    assert "--topic, --concept or --overdue" in capsys.readouterr().err
