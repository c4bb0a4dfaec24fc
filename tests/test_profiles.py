"""Profiles in the core: names unique ignoring case, clear length messages, rename and delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from trainer.content.graph import introduction_order
from trainer.store.tables import CardState, ExamAttempt, Profile, QuestionReport, ReviewLog, table_of
from trainer.study.profiles import (
    ProfileError,
    create_profile,
    delete_profile,
    find_profile,
    list_profiles,
    profile_data,
    rename_profile,
)
from trainer.study.queue import Study
from trainer.study.scheduling import Rating

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def rows(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table_of(model))).scalar_one()


def test_names_are_unique_ignoring_case_and_spacing(engine):
    create_profile(engine, "**bold**")
    for clash in ("**BOLD** ", "  **Bold**", "**bold**"):
        with pytest.raises(ProfileError, match="already exists"):
            create_profile(engine, clash)
    assert [p.name for p in list_profiles(engine)] == ["**bold**"]
    assert find_profile(engine, " **BOLD** ") is not None
    # New profiles get the default settings, as before.
    assert list_profiles(engine)[0].new_per_day == 20


def test_overlong_name_says_how_long_it_is(engine):
    with pytest.raises(ProfileError, match=r"at most 60 characters; this one has 500"):
        create_profile(engine, "x" * 500)


def test_rename_keeps_progress_and_refuses_a_taken_name(engine, small_bank):
    ana = create_profile(engine, "Ana")
    create_profile(engine, "Ben")
    study = Study(engine, ana)
    study.sync(small_bank, introduction_order(small_bank))
    card = study.next_card(NOW)
    assert card is not None
    study.answer(card.card_id, Rating.GOOD, NOW)
    with pytest.raises(ProfileError, match="already exists"):
        rename_profile(engine, ana.id, "BEN")
    renamed = rename_profile(engine, ana.id, "ana maría")
    assert renamed.id == ana.id and renamed.name == "ana maría"
    rename_profile(engine, ana.id, "Ana María")  # a change of case of its own name is fine
    assert profile_data(engine, ana.id).reviews == 1


def test_delete_removes_progress_and_keeps_reports(engine, small_bank):
    ana = create_profile(engine, "Ana")
    ben = create_profile(engine, "Ben")
    for who in (ana, ben):
        study = Study(engine, who)
        study.sync(small_bank, introduction_order(small_bank))
        card = study.next_card(NOW)
        study.answer(card.card_id, Rating.GOOD, NOW)
    with engine.begin() as conn:
        conn.execute(
            table_of(QuestionReport)
            .insert()
            .values(question_id="q1", profile_id=ana.id, text="typo", created_at=NOW)
        )
    data = profile_data(engine, ana.id)
    assert (data.cards_studied, data.reviews, data.exams) == (1, 1, 0)
    delete_profile(engine, ana.id)
    assert [p.name for p in list_profiles(engine)] == ["Ben"]
    assert rows(engine, ReviewLog) == 1 and rows(engine, CardState) == len(small_bank.cards)
    assert rows(engine, QuestionReport) == 1 and rows(engine, ExamAttempt) == 0
    assert rows(engine, Profile) == 1
    with pytest.raises(ProfileError, match="no longer exists"):
        delete_profile(engine, ana.id)
