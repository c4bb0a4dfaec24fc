"""Load balancing, easy days and vacations in the scheduler: each rule, and previews still equal
to what is applied (trainer.study.load_balance through trainer.study.scheduling)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from trainer.study.load_balance import (
    FixedLoad,
    Vacation,
    check_easy_days,
    out_of_vacation,
    pick_day,
    spread_out_of_vacation,
)
from trainer.study.scheduling import Memory, Rating, Scheduler, Settings, SettingsError, study_date

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
NO_BALANCING = Settings(load_balancing=False)
NOW_S = Settings()


def review_card(card_id: str, stability: float = 30.0) -> Memory:
    """A card in review, last seen a month ago: Good gives an interval of weeks (a wide range)."""
    return Memory(
        card_id,
        state="review",
        stability=stability,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=30),
        reps=5,
    )


def fuzz_range(card_id: str, settings: Settings = NO_BALANCING) -> set[date]:
    """The due days plain fuzz reaches for this card, over many review counts."""
    scheduler = Scheduler(settings)
    days = set()
    for reps in range(200):
        memory = replace(review_card(card_id), reps=reps)
        days.add(study_date(scheduler.review(memory, Rating.GOOD, NOW).memory.due, settings))
    return days


def test_load_balancing_picks_the_lightest_day_in_the_fuzz_range_and_never_outside():
    allowed = fuzz_range("c")
    assert len(allowed) >= 3
    lightest = sorted(allowed)[1]
    load = FixedLoad({day: (0 if day == lightest else 50) for day in allowed})
    scheduler = Scheduler(Settings())
    for reps in range(30):
        memory = replace(review_card("c"), reps=reps)
        outcome = scheduler.review(memory, Rating.GOOD, NOW, load)
        assert study_date(outcome.memory.due, scheduler.settings) == lightest
    # Every day outside the range empty, every day inside full: still inside the range.
    outside = {min(allowed) - timedelta(days=1): 0, max(allowed) + timedelta(days=1): 0}
    crowded = FixedLoad({**dict.fromkeys(allowed, 99), **outside})
    due = scheduler.review(review_card("c"), Rating.GOOD, NOW, crowded).memory.due
    assert study_date(due, scheduler.settings) in allowed


def test_with_an_empty_calendar_balancing_still_spreads_cards_over_the_range():
    scheduler = Scheduler(Settings())
    days = {
        study_date(scheduler.review(review_card(f"c{i}"), Rating.GOOD, NOW, FixedLoad({})).memory.due, NOW_S)
        for i in range(40)
    }
    assert len(days) >= 3


def test_preview_equals_answer_with_a_load():
    scheduler = Scheduler(Settings(easy_days=(100, 100, 100, 100, 100, 50, 0)))
    load = FixedLoad({NOW.date() + timedelta(days=k): k % 5 for k in range(120)})
    memory = review_card("c")
    preview = scheduler.preview(memory, NOW, load)
    for rating in Rating:
        assert scheduler.review(memory, rating, NOW, load) == preview[rating]


def test_load_balancing_evens_out_the_daily_load():
    """Scheduling 300 cards one after another, each seeing the load the earlier ones made: the
    busiest day carries fewer cards than with plain fuzz."""

    def busiest(balanced: bool) -> int:
        scheduler = Scheduler(Settings(load_balancing=balanced))
        counts: Counter[date] = Counter()
        for i in range(300):
            memory = review_card(f"card-{i}", stability=10 + i % 20)
            due = scheduler.review(memory, Rating.GOOD, NOW, FixedLoad(counts)).memory.due
            counts[study_date(due, scheduler.settings)] += 1
        return max(counts.values())

    assert busiest(True) < busiest(False)


def test_easy_days_reduce_load_on_those_weekdays():
    """Sunday at 0 %, Saturday at 50 %: with the fuzz range covering every weekday, Sundays get
    nothing and Saturdays about half a normal day."""

    def per_weekday(settings: Settings, balanced: bool) -> Counter[int]:
        scheduler = Scheduler(settings)
        counts: Counter[date] = Counter()
        for i in range(700):
            memory = review_card(f"card-{i}", stability=40 + i % 30)
            load = FixedLoad(counts) if balanced else None
            due = scheduler.review(memory, Rating.GOOD, NOW, load).memory.due
            counts[study_date(due, settings)] += 1
        weekdays: Counter[int] = Counter()
        for day, n in counts.items():
            weekdays[day.weekday()] += n
        return weekdays

    easy = (100, 100, 100, 100, 100, 50, 0)
    for balanced in (True, False):
        normal = per_weekday(Settings(load_balancing=balanced), balanced)
        reduced = per_weekday(Settings(load_balancing=balanced, easy_days=easy), balanced)
        assert reduced[6] == 0 < normal[6]
        assert reduced[5] < normal[5]
        assert reduced[5] < min(reduced[d] for d in range(5))


def test_vacation_leaves_no_card_due_inside_it():
    vacation = Vacation(date(2026, 12, 20), date(2027, 1, 3))
    settings = Settings(vacation=vacation)
    scheduler = Scheduler(settings)
    counts: Counter[date] = Counter()
    before = after = 0
    for i in range(300):
        memory = review_card(f"card-{i}", stability=0.3 + (i % 60) / 4)
        due = scheduler.review(memory, Rating.GOOD, NOW, FixedLoad(counts)).memory.due
        day = study_date(due, settings)
        assert day not in vacation
        counts[day] += 1
        before += day < vacation.start
        after += day > vacation.end
    assert before and after
    spread = [counts[vacation.end + timedelta(days=k)] for k in range(1, 8)]
    assert max(spread) <= 3 * (sum(spread) / len(spread)) + 2  # spread, not piled on day one


def test_out_of_vacation_goes_before_when_half_the_interval_is_kept_else_after():
    vacation = Vacation(date(2026, 12, 20), date(2026, 12, 29))
    normal = (100,) * 7
    # Reviewed 20 days before the vacation, due in it: before it keeps more than half.
    day = out_of_vacation(date(2026, 12, 22), date(2026, 11, 30), date(2026, 12, 1), vacation, None, normal)
    assert day < vacation.start
    # Reviewed the day before, due on its third day: only after.
    day = out_of_vacation(date(2026, 12, 22), date(2026, 12, 18), date(2026, 12, 19), vacation, None, normal)
    assert day > vacation.end


def test_a_vacation_backlog_is_spread_over_the_days_after_it():
    vacation = Vacation(date(2026, 12, 20), date(2026, 12, 29))
    cards = [
        (f"c{i}", vacation.start + timedelta(days=i % 10), vacation.start - timedelta(days=1))
        for i in range(50)
    ]
    moved = spread_out_of_vacation(cards, vacation.start - timedelta(days=1), vacation, {}, (100,) * 7)
    per_day = Counter(moved.values())
    assert not any(day in vacation for day in per_day)
    assert all(day > vacation.end for day in per_day)
    assert len(per_day) == vacation.days and max(per_day.values()) == 5


def test_pick_day_without_a_load_weights_easy_days_and_skips_the_vacation():
    days = [date(2026, 12, 5) + timedelta(days=k) for k in range(3)]  # Sat, Sun, Mon
    easy = (100, 100, 100, 100, 100, 100, 0)
    picks = Counter(pick_day(days, None, easy, None, f"s{i}") for i in range(300))
    assert picks[1] == 0 and picks[0] and picks[2]
    assert pick_day(days, None, (100,) * 7, Vacation(days[0], days[-1]), "s") is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"easy_days": (100,) * 6}, "seven percentages"),
        ({"easy_days": (100, 100, 100, 100, 100, 100, 120)}, "between 0 and 100"),
        ({"vacation": Vacation(date(2026, 12, 2), date(2026, 12, 1))}, "on or after"),
    ],
)
def test_impossible_calendars_are_refused(changes, message):
    with pytest.raises(SettingsError, match=message):
        Settings(**changes)
    if "easy_days" in changes:
        with pytest.raises(ValueError, match=message):
            check_easy_days(changes["easy_days"])
