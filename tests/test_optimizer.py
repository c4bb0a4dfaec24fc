"""FSRS parameters fitted to a profile's log (fsrs-rs), scored on unseen reviews, adopted only when
better, kept in a history; the workload planner; ``trainer study optimize`` and ``plan``."""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta

import pytest

from trainer.cli import main
from trainer.store.enums import MemoryState
from trainer.store.tables import ReviewLog
from trainer.study.optimizer import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS,
    LogReview,
    items_from,
    monthly_due,
    optimise,
    optimise_profile,
    parameter_history,
)
from trainer.study.profiles import create_profile, get_profile
from trainer.study.queue import settings_for
from trainer.study.scheduling import Memory, Rating, Scheduler, Settings
from trainer.study.workload import RETENTIONS, WorkloadError, plan_workload

START = datetime(2026, 1, 5, 12, tzinfo=UTC)


def learner_log(cards: int, days: int, seed: int = 1) -> list[LogReview]:
    """A learner who forgets faster than FSRS's defaults assume, scheduled with the defaults."""
    rng = random.Random(seed)
    scheduler = Scheduler(Settings())
    true_parameters = list(DEFAULT_PARAMETERS)
    for i in range(4):
        true_parameters[i] *= 0.3
    truth = Scheduler(Settings(parameters=tuple(true_parameters)))
    scheduled = [Memory(card_id=f"c{i}") for i in range(cards)]
    real = list(scheduled)
    log = []
    for day in range(days):
        now = START + timedelta(days=day)
        for i in range(min(cards, (day + 1) * max(1, cards // (days // 2)))):
            m, t = scheduled[i], real[i]
            if m.state != MemoryState.NEW and m.due is not None and m.due > now + timedelta(hours=16):
                continue
            for step in range(4):
                at = now + timedelta(minutes=10 * step)
                if m.state == MemoryState.NEW:
                    rating = rng.choice([1, 3, 3, 3, 4])
                else:
                    rating = 3 if rng.random() < truth.retrievability(t, at) else 1
                log.append(LogReview(m.card_id, rating, at))
                m = scheduler.review(m, Rating(rating), at).memory
                t = truth.review(t, Rating(rating), at).memory
                if m.state == MemoryState.REVIEW:
                    break
            scheduled[i], real[i] = m, t
    return log


def far_off() -> list[float]:
    parameters = list(DEFAULT_PARAMETERS)
    parameters[8] *= 0.2
    return parameters


def test_items_are_histories_ending_on_a_later_day():
    log = [
        LogReview("a", 3, START),
        LogReview("a", 3, START + timedelta(minutes=10)),
        LogReview("a", 1, START + timedelta(days=3)),
        LogReview("b", 4, START),
    ]
    items = items_from(log, Settings())
    assert len(items) == 1
    # The binding shows its fields only in the repr.
    assert repr(items[0][1]).count("FSRSReview") == 3
    assert "rating: 1, delta_t: 3" in repr(items[0][1]) and items[0][1].long_term_review_cnt() == 1


def test_too_little_history_is_not_optimised_and_says_why():
    result = optimise(learner_log(20, 10), Settings())
    assert result.parameters is None and not result.adopted
    assert f"at least {MIN_REVIEWS}" in result.reason


def test_new_parameters_are_adopted_only_when_better_on_unseen_reviews():
    log = learner_log(400, 60)
    # Parameters far from this learner (stability grows a fifth as fast): the fit beats them.
    result = optimise(log, Settings(), far_off())
    assert result.reviews >= MIN_REVIEWS and result.parameters is not None and len(result.parameters) == 21
    assert result.adopted and result.log_loss < result.previous_log_loss
    assert result.rmse_bins <= result.previous_rmse_bins
    # FSRS's defaults do better on this learner's later reviews than the fit: they are kept.
    kept = optimise(log, Settings())
    assert not kept.adopted and kept.log_loss > kept.previous_log_loss and "kept" in kept.reason


def test_a_profile_keeps_the_history_and_the_adopted_set_schedules(engine):
    profile = create_profile(engine, "Ana")
    rows = [
        ReviewLog(profile_id=profile.id, card_id=r.card_id, rating=r.rating, reviewed_at=r.reviewed_at)
        for r in learner_log(300, 60)
    ]
    from trainer.store.engine import session

    with session(engine) as db:
        db.add_all(rows)
        db.commit()
    assert monthly_due(engine, profile.id)
    wrong = far_off()
    from trainer.store.tables import Profile

    with session(engine) as db:
        stored = db.get(Profile, profile.id)
        stored.fsrs_parameters = wrong
        db.add(stored)
        db.commit()
    profile = get_profile(engine, profile.id)
    result = optimise_profile(engine, profile, settings_for(profile))
    assert result.adopted
    history = parameter_history(engine, profile.id)
    assert len(history) == 1 and history[0].adopted and history[0].previous_log_loss > history[0].log_loss
    profile = get_profile(engine, profile.id)
    assert profile.fsrs_parameters == pytest.approx(list(result.parameters))
    assert settings_for(profile).parameters == pytest.approx(result.parameters)
    assert not monthly_due(engine, profile.id)
    assert monthly_due(engine, profile.id, datetime.now(UTC) + timedelta(days=31))


def test_optimising_100000_reviews_takes_under_10_seconds():
    log = learner_log(12000, 120)
    assert len(log) >= 100_000
    started = time.perf_counter()
    result = optimise(log, Settings())
    assert result.parameters is not None
    assert time.perf_counter() - started < 10


def test_the_workload_plan_covers_the_range_and_is_fast():
    started = time.perf_counter()
    plan = plan_workload(Settings(), cards=2000, days=90)
    assert time.perf_counter() - started < 2
    assert (
        [r.retention for r in plan.rows] == list(RETENTIONS)
        and RETENTIONS[0] == 0.70
        and RETENTIONS[-1] == 0.97
    )
    reviews = [r.reviews_per_day for r in plan.rows]
    assert reviews[-1] > reviews[0]  # higher retention costs more reviews
    assert plan.optimal_retention in RETENTIONS
    assert plan.row(0.9).minutes_per_day > 0
    with pytest.raises(WorkloadError):
        plan_workload(Settings(), cards=0)


def test_the_commands(monkeypatch, capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRAINER_DATABASE_URL", url)
    from trainer.store.engine import make_engine

    create_profile(make_engine(url), "Ana")
    assert main(["study", "optimize", "--profile", "Ana", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"] is None and "at least 512" in out["reason"]
    assert main(["study", "plan", "--profile", "Ana", "--days", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["days"] == 30
    code: object
    try:
        code = main(["study", "optimize", "--profile", "Nobody"])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert "no profile named 'Nobody'" in err and err.count("\n") == 1
