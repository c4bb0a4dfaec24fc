"""Studying toward an exam date: the pace of new cards, intervals leading up to the date, the
buttons still showing the interval applied, the recall forecast, and the schedule after the date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from trainer.content.graph import introduction_order
from trainer.store.enums import MemoryState
from trainer.study.exam_date import (
    FINAL_WINDOW_DAYS,
    INTRODUCTION_LEAD_DAYS,
    exam_due,
    new_card_pace,
)
from trainer.study.exam_plan import ExamDateError, exam_plan, set_exam_date
from trainer.study.profiles import create_profile, get_profile
from trainer.study.queue import Study
from trainer.study.recall_forecast import recall_forecast, summarise
from trainer.study.scheduling import Memory, Rating, Scheduler, Settings

# FSRS-6 parameters 4 to 20 of a fitted set (the first four vary per test): decay 0.35, not 0.1542.
FITTED_TAIL = (6.9, 0.5, 2.0, 0.02, 1.5, 0.15, 1.0, 1.9, 0.11, 0.29, 2.3, 0.2, 3.0, 0.5, 0.6, 0.3, 0.35)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # study date 2026-11-26 (day starts at 4 UTC)
TODAY = date(2026, 11, 26)
DAY = timedelta(days=1)


def exam_in(days: int) -> datetime:
    return datetime(2026, 11, 26, 4, 0, tzinfo=UTC) + days * DAY


# -- the new-card pace -------------------------------------------------------------------------


def test_pace_spreads_new_cards_over_the_days_that_allow_two_reviews():
    pace = new_card_pace(300, TODAY, TODAY + timedelta(days=37), usual_per_day=5, maximum_per_day=50)
    assert pace.days_for_introduction == 37 - INTRODUCTION_LEAD_DAYS + 1 == 31
    assert pace.required == 10 and pace.per_day == 10 and pace.reachable


def test_pace_never_drops_below_the_usual_limit():
    pace = new_card_pace(10, TODAY, TODAY + timedelta(days=60), usual_per_day=20, maximum_per_day=50)
    assert pace.per_day == 20 and pace.reachable


def test_a_maximum_too_low_for_the_date_is_said():
    pace = new_card_pace(1000, TODAY, TODAY + timedelta(days=17), usual_per_day=20, maximum_per_day=50)
    assert pace.required == 91 and pace.per_day == 50 and not pace.reachable
    assert "needs 91 new cards a day" in pace.explain(50)


def test_an_exam_too_close_offers_every_card_and_says_so():
    pace = new_card_pace(30, TODAY, TODAY + timedelta(days=3), usual_per_day=5, maximum_per_day=50)
    assert pace.per_day == 30 and not pace.reachable
    assert "too close" in pace.explain(50)


def test_after_the_exam_day_the_usual_pace_returns():
    pace = new_card_pace(300, TODAY, TODAY, usual_per_day=7, maximum_per_day=50)
    assert pace.per_day == 7 and pace.reachable


# -- intervals ---------------------------------------------------------------------------------


def test_an_interval_past_the_exam_lands_in_the_final_window():
    exam = exam_in(20)
    for key in ("a:1", "b:2", "c:3", "d:4", "e:5"):
        due = exam_due(NOW, NOW + 40 * DAY, exam, graduating=False, card_key=key)
        assert exam - FINAL_WINDOW_DAYS * DAY <= due < exam
        assert (due - NOW) % DAY == timedelta(0)  # whole days, as FSRS's intervals are
    days = {(exam_due(NOW, NOW + 40 * DAY, exam, False, f"k{i}") - NOW).days for i in range(60)}
    assert days == {17, 18, 19}  # spread over the window, not piled on the last day


def test_an_interval_ending_before_the_exam_is_left_alone():
    assert exam_due(NOW, NOW + 5 * DAY, exam_in(20), False, "a:1") == NOW + 5 * DAY


def test_a_card_answered_inside_the_final_window_keeps_its_interval():
    assert exam_due(NOW, NOW + 9 * DAY, exam_in(2), False, "a:1") == NOW + 9 * DAY


def test_a_card_just_learned_comes_back_within_half_the_time_left():
    assert exam_due(NOW, NOW + 16 * DAY, exam_in(10), True, "a:1") == NOW + 4 * DAY  # 9.67 days left
    assert exam_due(NOW, NOW + 2 * DAY, exam_in(10), True, "a:1") == NOW + 2 * DAY


def test_nothing_changes_on_or_after_the_exam_day_or_on_its_eve():
    assert exam_due(NOW, NOW + 30 * DAY, exam_in(0), False, "a:1") == NOW + 30 * DAY
    assert exam_due(NOW, NOW + 30 * DAY, NOW + DAY / 2, True, "a:1") == NOW + 30 * DAY


def test_the_button_shows_the_interval_it_gives_with_an_exam_date():
    settings = Settings(exam_date=TODAY + timedelta(days=15))
    scheduler = Scheduler(settings)
    memory = Memory(
        card_id="a1",
        state=MemoryState.REVIEW,
        stability=60.0,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - 30 * DAY,
        reps=6,
    )
    preview = scheduler.preview(memory, NOW)
    for rating in Rating:
        applied = scheduler.review(memory, rating, NOW)
        assert applied.interval == preview[rating].interval
        assert applied.memory.due == NOW + applied.interval
    exam = settings.exam_at
    assert exam is not None
    assert exam - FINAL_WINDOW_DAYS * DAY <= preview[Rating.EASY].memory.due < exam
    # Without the date the same card would come back long after the exam.
    assert Scheduler(Settings()).review(memory, Rating.EASY, NOW).memory.due > exam


# -- the profile's exam date and the queue -----------------------------------------------------


def make_study(engine, bank, new_per_day: int = 1) -> Study:
    from trainer.study.profiles import update_settings

    profile = create_profile(engine, "Ana")
    update_settings(engine, profile.id, new_per_day=new_per_day)
    study = Study(engine, get_profile(engine, profile.id))
    study.sync(bank, introduction_order(bank))
    return study


def test_setting_and_clearing_the_exam_date(engine, small_bank):
    study = make_study(engine, small_bank)
    pid = study.profile.id
    set_exam_date(engine, pid, TODAY + timedelta(days=10), max_new_per_day=3, today=TODAY)
    profile = get_profile(engine, pid)
    assert profile.exam_date == TODAY + timedelta(days=10) and profile.exam_max_new_per_day == 3
    set_exam_date(engine, pid, None)
    assert get_profile(engine, pid).exam_date is None
    with pytest.raises(ExamDateError, match="after today"):
        set_exam_date(engine, pid, TODAY, today=TODAY)
    with pytest.raises(ExamDateError, match="between 1 and 9999"):
        set_exam_date(engine, pid, None, max_new_per_day=0)


def test_the_queue_takes_the_exam_pace_and_returns_to_normal_after(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=1)
    assert study.counts(NOW).new == 1
    # Six cards, ten days to the exam: four days to introduce them, so two a day.
    set_exam_date(engine, study.profile.id, TODAY + timedelta(days=10), max_new_per_day=50, today=TODAY)
    study = Study(engine, get_profile(engine, study.profile.id))
    assert study.counts(NOW).new == 2
    plan = exam_plan(engine, study.profile.id, study.settings, NOW, 0)
    assert plan is not None and plan.days_left == 10 and plan.pace.reachable
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.EASY, NOW)
    assert study.counts(NOW).new == 1  # the limit stays two for the day
    # The interval Easy gave ends before the exam (a card just learned comes back within half).
    assert study.memory(card.card_id).due <= NOW + 5 * DAY
    after = NOW + 11 * DAY
    assert study.counts(after).new == 1  # the usual limit again
    assert exam_plan(engine, study.profile.id, study.settings, after, 0).passed


def test_an_unreachable_date_is_reported_by_the_plan(engine, small_bank):
    study = make_study(engine, small_bank)
    set_exam_date(engine, study.profile.id, TODAY + timedelta(days=8), max_new_per_day=2, today=TODAY)
    study = Study(engine, get_profile(engine, study.profile.id))
    plan = exam_plan(engine, study.profile.id, study.settings, NOW, 0)
    assert plan is not None and not plan.pace.reachable and plan.pace.per_day == 2
    assert "maximum is 2" in plan.explain()


# -- the recall forecast ---------------------------------------------------------------------


def test_the_band_is_the_poisson_binomial_spread_and_unseen_cards_count_as_zero():
    group = summarise("t", [0.9, 0.9, 0.5], unseen=1)
    assert group.cards == 4 and group.unseen == 1
    assert group.mean == pytest.approx(2.3 / 4)
    spread = 1.645 * (0.09 + 0.09 + 0.25) ** 0.5 / 4
    assert (group.low, group.high) == (pytest.approx(group.mean - spread), pytest.approx(group.mean + spread))
    assert group.at_least_0_9 == 0.5
    assert summarise("none", []).cards == 0


@pytest.mark.parametrize("parameters", [None, (0.3, 1.5, 4.0, 12.0, *FITTED_TAIL)])
def test_the_forecasts_forgetting_curve_is_fsrss(parameters):
    """Scheduler.recall_after (the forecast's per-card recall) equals fsrs's own
    get_card_retrievability, also with fitted parameters (another decay) and partial days."""
    import fsrs

    settings = Settings(parameters=parameters)
    ours = Scheduler(settings)
    theirs = fsrs.Scheduler(parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS)
    last = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
    for stability in (0.4, 3.0, 27.5, 400.0):
        for elapsed in (
            timedelta(hours=-3),
            timedelta(hours=5),
            timedelta(days=1, hours=23),
            timedelta(days=90),
        ):
            card = fsrs.Card(
                card_id=1, state=fsrs.State.Review, stability=stability, difficulty=5.0, last_review=last
            )
            expected = theirs.get_card_retrievability(card, last + elapsed)
            assert ours.recall_after(stability, last, last + elapsed) == pytest.approx(expected, abs=1e-12)
    assert ours.recall_after(None, last, last) == 0.0 and ours.recall_after(3.0, None, last) == 0.0


def test_the_forecast_is_recall_at_the_exam_by_topic_and_concept(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=6)
    assert recall_forecast(engine, study.profile.id, study.settings, small_bank) is None  # no date
    for _ in range(3):
        card = study.next_card(NOW)
        study.answer(card.card_id, Rating.EASY, NOW)
    set_exam_date(engine, study.profile.id, TODAY + timedelta(days=10), today=TODAY)
    study = Study(engine, get_profile(engine, study.profile.id))
    forecast = recall_forecast(engine, study.profile.id, study.settings, small_bank)
    assert forecast is not None and forecast.at == exam_in(10)
    assert forecast.overall.cards == 6 and forecast.overall.unseen == 3
    seen = [r for r in forecast.recalls.values() if r > 0]
    assert len(seen) == 3 and all(0.5 < r < 1 for r in seen)
    assert [g.name for g in forecast.by_topic] == ["alpha", "beta"]
    assert {g.name for g in forecast.by_concept} == {"base", "advanced"}
    assert 0 <= forecast.overall.low <= forecast.overall.mean <= forecast.overall.high <= 1


# -- revision 0006 ------------------------------------------------------------------------------


def test_profiles_from_before_0006_keep_their_schedule_and_get_the_exam_settings(empty_db_url):
    from sqlalchemy import create_engine, text

    from trainer.store import migrate

    engine = create_engine(empty_db_url)
    try:
        migrate.upgrade(engine)
        assert migrate.downgrade(engine, "0005").after == "0005"
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO profile (name, created_at, new_per_day, reviews_per_day,"
                    " desired_retention, learning_steps, relearning_steps, leech_threshold,"
                    " leech_action, day_starts_at, timezone)"
                    " VALUES ('Old', :now, 20, 200, 0.9, '1m 10m', '10m', 8, 'suspend', 4, 'UTC')"
                ),
                {"now": NOW},
            )
        assert migrate.upgrade(engine).after == migrate.head()
        profile = get_profile(engine, 1)
        assert profile is not None and profile.name == "Old"
        assert (profile.exam_date, profile.exam_max_new_per_day, profile.fsrs_parameters) == (None, 50, None)
        assert migrate.downgrade(engine, "0005").after == "0005"
        assert migrate.upgrade(engine).after == migrate.head()
    finally:
        engine.dispose()
