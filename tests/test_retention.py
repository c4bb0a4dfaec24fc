"""Retention statistics (trainer.study.retention) on hand-made review logs with known answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from trainer.store.enums import MemoryState, ReviewKind
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.study.retention import (
    LoggedAnswer,
    Period,
    calibration,
    retention_table,
    score_reviews,
    scored_profile_reviews,
    true_retention,
)
from trainer.study.scheduling import Rating, Settings

SETTINGS = Settings()  # UTC, the day starts at 04:00
T0 = datetime(2025, 3, 3, 12, tzinfo=UTC)  # a Monday, noon
NEW, REVIEW, LEARNING = MemoryState.NEW, MemoryState.REVIEW, MemoryState.LEARNING


def graduated(card: str, at: datetime, stability: float, interval: float) -> LoggedAnswer:
    """The answer that put a card into review with this stability and interval."""
    return LoggedAnswer(card, 3, at, state_before=NEW, stability_after=stability, interval_days=interval)


def review(card: str, at: datetime, rating: int, stability: float = 30.0, interval: float = 30.0):
    return LoggedAnswer(
        card, rating, at, state_before=REVIEW, stability_after=stability, interval_days=interval
    )


def test_young_and_mature_split_on_the_interval_before_the_review():
    log = [
        graduated("young", T0, 5.0, 5.0),
        review("young", T0 + timedelta(days=5), 3),  # interval before: 5 days -> young, passed
        graduated("mature", T0, 30.0, 21.0),
        review("mature", T0 + timedelta(days=21), 1),  # interval before: 21 days -> mature, failed
        review("mature", T0 + timedelta(days=40), 3, interval=60.0),  # before: 30 -> mature, passed
    ]
    scored = score_reviews(log, SETTINGS)
    assert [(r.card_id, r.mature, r.passed) for r in scored] == [
        ("young", False, True),
        ("mature", True, False),
        ("mature", True, True),
    ]


def test_learning_steps_and_practice_ahead_are_not_reviews():
    log = [
        LoggedAnswer("a", 1, T0, state_before=NEW),
        LoggedAnswer(
            "a", 3, T0 + timedelta(minutes=1), state_before=LEARNING, stability_after=3.0, interval_days=3.0
        ),
        LoggedAnswer("a", 1, T0 + timedelta(days=1), kind=ReviewKind.CRAM, state_before=REVIEW),
        review("a", T0 + timedelta(days=3), 3),
    ]
    scored = score_reviews(log, SETTINGS)
    assert len(scored) == 1 and scored[0].last_interval_days == 3.0  # the cram row is skipped


def test_predicted_recall_is_0_9_when_the_elapsed_days_equal_the_stability():
    log = [graduated("a", T0, 10.0, 10.0), review("a", T0 + timedelta(days=10), 3)]
    (scored,) = score_reviews(log, SETTINGS)
    assert scored.predicted == pytest.approx(0.9, abs=1e-9)
    # Reviewed on the day of the answer before it: nothing forgotten yet.
    (same_day,) = score_reviews([graduated("b", T0, 10.0, 10.0), review("b", T0, 3)], SETTINGS)
    assert same_day.predicted == pytest.approx(1.0)


def test_true_retention_by_day_week_and_month():
    log = [graduated(f"c{i}", T0 - timedelta(days=40), 5.0, 5.0) for i in range(4)]
    # Monday 10 March: 3 young reviews, 2 passed. Wednesday 12 March: 1 young review, failed.
    log += [review(f"c{i}", datetime(2025, 3, 10, 9, tzinfo=UTC), 3 if i < 2 else 1) for i in range(3)]
    log += [review("c3", datetime(2025, 3, 12, 9, tzinfo=UTC), 1)]
    scored = score_reviews(log, SETTINGS)
    today = date(2025, 3, 12)
    days = true_retention(scored, SETTINGS, Period.DAY, today, count=3)
    assert [d.start for d in days] == [date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12)]
    assert days[0].young == pytest.approx(2 / 3) and days[0].young_reviews == 3
    assert days[1].young is None and days[1].reviews == 0  # a day without reviews keeps its place
    assert days[2].young == 0.0 and days[2].mature is None
    (week,) = true_retention(scored, SETTINGS, Period.WEEK, today, count=1)
    assert week.start == date(2025, 3, 10) and (week.young_reviews, week.young_passed) == (4, 2)
    months = true_retention(scored, SETTINGS, Period.MONTH, today, count=2)
    assert [m.start for m in months] == [date(2025, 2, 1), date(2025, 3, 1)]
    assert months[1].total == 0.5 and months[0].reviews == 0


def test_a_review_before_the_day_starts_counts_on_the_previous_study_day():
    log = [
        graduated("a", T0 - timedelta(days=10), 5.0, 5.0),
        review("a", datetime(2025, 3, 11, 3, tzinfo=UTC), 3),
    ]
    days = true_retention(score_reviews(log, SETTINGS), SETTINGS, Period.DAY, date(2025, 3, 11), count=2)
    assert days[0].young_reviews == 1 and days[1].young_reviews == 0  # 03:00 is before the 04:00 start


def test_anki_table_today_yesterday_and_all_time():
    today = date(2025, 3, 12)
    log = [graduated(f"c{i}", T0 - timedelta(days=500), 30.0, 30.0) for i in range(3)]
    log += [
        review("c0", datetime(2025, 3, 12, 9, tzinfo=UTC), 3),  # today, mature, passed
        review("c1", datetime(2025, 3, 11, 9, tzinfo=UTC), 1),  # yesterday, mature, failed
        review("c2", datetime(2024, 1, 1, 9, tzinfo=UTC), 3),  # over a year ago
    ]
    rows = {r.label: r.counts for r in retention_table(score_reviews(log, SETTINGS), SETTINGS, today)}
    assert (rows["Today"].mature_reviews, rows["Today"].mature) == (1, 1.0)
    assert (rows["Yesterday"].mature_reviews, rows["Yesterday"].mature) == (1, 0.0)
    assert rows["Last week"].mature_reviews == 2 and rows["Last year"].mature_reviews == 2
    assert rows["All time"].mature_reviews == 3 and rows["All time"].young_reviews == 0


def test_calibration_bins_compare_the_mean_prediction_with_the_share_passed():
    log = []
    # Ten reviews predicted at exactly 0.9 (elapsed = stability), 8 passed.
    for i in range(10):
        log += [
            graduated(f"n{i}", T0, 10.0, 10.0),
            review(f"n{i}", T0 + timedelta(days=10), 3 if i < 8 else 1),
        ]
    # Four reviews on the same day as the answer before: predicted 1.0, all passed.
    for i in range(4):
        log += [graduated(f"s{i}", T0, 10.0, 10.0), review(f"s{i}", T0 + timedelta(hours=2), 3)]
    result = calibration(score_reviews(log, SETTINGS))
    assert result.reviews == 14
    assert [(b.low, b.reviews) for b in result.bins] == [(0.9, 14)]  # 0.9 and 1.0 share the top bin
    (top,) = result.bins
    assert top.mean_predicted == pytest.approx((9 + 4) / 14)
    assert top.actual == pytest.approx(12 / 14)
    assert result.weighted_gap == pytest.approx(abs(13 / 14 - 12 / 14))
    five = calibration(score_reviews(log, SETTINGS), bins=20)
    assert [(b.low, b.reviews, b.actual) for b in five.bins] == [(0.9, 10, 0.8), (0.95, 4, 1.0)]


def test_calibration_of_an_empty_log_says_nothing():
    result = calibration([])
    assert result.bins == () and result.reviews == 0 and result.actual is None


def test_reviews_read_from_a_profiles_log(engine, small_bank):
    from trainer.content.graph import introduction_order

    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(small_bank, introduction_order(small_bank))
    card = study.next_card(T0)
    assert card is not None
    study.answer(card.card_id, Rating.EASY, T0)  # straight into review
    due = study.memory(card.card_id).due
    assert due is not None
    study.answer(card.card_id, Rating.AGAIN, due)
    assert profile.id is not None
    (scored,) = scored_profile_reviews(engine, profile.id, study.settings)
    assert scored.card_id == card.card_id and not scored.passed and not scored.mature
    assert scored.predicted is not None and 0.85 < scored.predicted <= 1.0


def test_retention_charts_show_the_desired_line_and_the_bins():
    from trainer.charts.retention import calibration_chart, true_retention_chart

    log = [graduated("a", T0, 10.0, 10.0), review("a", T0 + timedelta(days=10), 3)]
    scored = score_reviews(log, SETTINGS)
    counts = true_retention(scored, SETTINGS, Period.WEEK, date(2025, 3, 14), count=4)
    fig = true_retention_chart(counts, 0.85, Period.WEEK)
    assert [t.name for t in fig.data][-1] == "Desired 85%"
    assert list(fig.data[0].y).count(None) == 3 and fig.data[0].y[-1] == 100.0  # one week with reviews
    bins = calibration_chart(calibration(scored)).data[1]
    assert list(bins.x) == [pytest.approx(90.0)] and list(bins.y) == [100.0]


def test_workload_chart_marks_optimal_current_and_chosen_on_their_own_axes():
    from trainer.charts.exam_plan import workload_chart
    from trainer.study.workload import plan_workload

    plan = plan_workload(SETTINGS, cards=50, days=20)
    fig = workload_chart(plan, chosen=0.8)
    labels = {a.text for a in fig.layout.annotations}
    assert f"least work {plan.optimal_retention:.2f}" in labels and "chosen 0.80" in labels
    assert fig.layout.yaxis.title.text == "minutes a day"
    assert fig.layout.yaxis2.title.text == "reviews a day"  # not retitled by the left axis
