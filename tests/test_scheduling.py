"""The FSRS wrapper: New state, previews equal to what is applied, leeches, study days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainer.study.scheduling import (
    Memory,
    Rating,
    Scheduler,
    Settings,
    SettingsError,
    day_start,
    format_interval,
    next_day_start,
    parse_steps,
    study_date,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_new_card_previews_follow_learning_steps():
    preview = Scheduler().preview(Memory("c"), NOW)
    assert preview[Rating.AGAIN].interval == timedelta(minutes=1)
    assert preview[Rating.GOOD].interval == timedelta(minutes=10)
    assert preview[Rating.AGAIN].memory.state == "learning"
    assert preview[Rating.EASY].memory.state == "review"
    assert preview[Rating.EASY].interval >= timedelta(days=1)
    intervals = [preview[r].interval for r in Rating]
    assert intervals == sorted(intervals)


def graduate(scheduler: Scheduler, memory: Memory, start: datetime) -> tuple[Memory, datetime]:
    now = start
    while memory.state != "review":
        memory = scheduler.review(memory, Rating.GOOD, now).memory
        now = memory.due
    return memory, now


def test_preview_is_exactly_what_is_applied_even_with_fuzz():
    scheduler = Scheduler()
    memory, now = graduate(scheduler, Memory("card-x"), NOW)
    for _ in range(4):
        now = memory.due
        preview = scheduler.preview(memory, now)
        applied = scheduler.review(memory, Rating.GOOD, now)
        assert applied.interval == preview[Rating.GOOD].interval
        assert applied.memory == preview[Rating.GOOD].memory
        memory = applied.memory
    assert memory.due - now > timedelta(days=10)


def test_fuzz_varies_between_cards():
    scheduler = Scheduler()
    intervals = set()
    for i in range(20):
        memory, now = graduate(scheduler, Memory(f"card-{i}"), NOW)
        memory = scheduler.review(memory, Rating.GOOD, memory.due).memory
        intervals.add(scheduler.review(memory, Rating.GOOD, memory.due).interval)
    assert len(intervals) > 1


def test_lapses_and_leech_suspend_at_threshold():
    scheduler = Scheduler(Settings(leech_threshold=3))
    memory, now = graduate(scheduler, Memory("leechy"), NOW)
    leech_at = None
    for lapse in range(1, 6):
        outcome = scheduler.review(memory, Rating.AGAIN, memory.due)
        assert outcome.memory.lapses == lapse
        if outcome.became_leech and leech_at is None:
            leech_at = lapse
        memory, _ = graduate(scheduler, outcome.memory, outcome.memory.due)
    assert leech_at == 3
    assert memory.leech and memory.suspended


def test_leech_tag_only_does_not_suspend():
    scheduler = Scheduler(Settings(leech_threshold=1, leech_action="tag"))
    memory, _ = graduate(scheduler, Memory("c"), NOW)
    outcome = scheduler.review(memory, Rating.AGAIN, memory.due)
    assert outcome.became_leech and outcome.memory.leech and not outcome.memory.suspended


def test_again_on_learning_card_is_not_a_lapse():
    outcome = Scheduler().review(Memory("c"), Rating.AGAIN, NOW)
    assert outcome.memory.lapses == 0 and outcome.memory.reps == 1


def test_desired_retention_changes_intervals():
    low, high = Scheduler(Settings(desired_retention=0.8)), Scheduler(Settings(desired_retention=0.97))
    m_low, _ = graduate(low, Memory("c"), NOW)
    m_high, _ = graduate(high, Memory("c"), NOW)
    assert (
        low.review(m_low, Rating.GOOD, m_low.due).interval
        > high.review(m_high, Rating.GOOD, m_high.due).interval
    )


def test_retrievability_decays():
    scheduler = Scheduler()
    memory, _ = graduate(scheduler, Memory("c"), NOW)
    soon = scheduler.retrievability(memory, memory.last_review + timedelta(days=1))
    later = scheduler.retrievability(memory, memory.last_review + timedelta(days=60))
    assert 1 >= soon > later > 0
    assert scheduler.retrievability(Memory("new"), NOW) == 0


def test_day_starts_at_4am_local_time():
    settings = Settings(timezone="Europe/Berlin", day_starts_at=4)
    # 02:30 UTC on 26 Nov is 03:30 in Berlin: still the study day of 25 Nov.
    early = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    assert study_date(early, settings).isoformat() == "2026-11-25"
    assert day_start(early, settings) == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert next_day_start(early, settings) == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    late = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
    assert study_date(late, settings).isoformat() == "2026-11-26"


def test_steps_parsing_and_errors():
    assert parse_steps("1m 10m") == (timedelta(minutes=1), timedelta(minutes=10))
    assert parse_steps("30s, 1h 1d") == (timedelta(seconds=30), timedelta(hours=1), timedelta(days=1))
    with pytest.raises(SettingsError, match="not a step"):
        parse_steps("ten minutes")
    with pytest.raises(SettingsError, match="at most 7 days"):
        parse_steps("30d")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"desired_retention": 1.5}, "desired retention"),
        ({"new_per_day": -1}, "new cards per day"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"day_starts_at": 25}, "hour between 0 and 23"),
        ({"leech_action": "delete"}, "leech action"),
    ],
)
def test_impossible_settings_are_refused(changes, message):
    with pytest.raises(SettingsError, match=message):
        Settings(**changes)


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text
