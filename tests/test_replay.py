"""Simulated learners through the real scheduler, with and without an exam date, and
``trainer simulate study``."""

from __future__ import annotations

import json

import pytest

from trainer.cli import main
from trainer.study.replay import ReplayError, ReplaySettings, replay

JSON_KEYS = (
    "unseen_at_exam",
    "share_recall_at_least_0_9_at_exam",
    "mean_recall_at_exam",
    "reviews_total",
    "max_reviews_per_day",
)


def test_with_an_exam_date_every_card_is_seen_twice_and_recall_is_higher_for_comparable_work():
    exam = replay(ReplaySettings(cards=400, new_per_day=10, exam_in_days=30, seed=2))
    # Without a date, at the pace the date needed (400 cards over 24 days: 17 a day).
    same_pace = replay(ReplaySettings(cards=400, new_per_day=17, days=30, seed=2))
    usual = replay(ReplaySettings(cards=400, new_per_day=10, days=30, seed=2))
    assert exam.unseen_at_exam == 0 and exam.min_reviews_before_exam >= 2
    assert usual.unseen_at_exam == 400 - 10 * 30
    assert same_pace.unseen_at_exam == 0
    assert exam.reviews_total <= 1.15 * same_pace.reviews_total  # comparable work
    assert exam.share_recall_at_least_0_9_at_exam > same_pace.share_recall_at_least_0_9_at_exam
    assert exam.mean_recall_at_exam > same_pace.mean_recall_at_exam > usual.mean_recall_at_exam


def test_a_replay_is_repeatable_for_a_seed():
    settings = ReplaySettings(cards=100, exam_in_days=20, seed=5)
    assert replay(settings) == replay(settings)


def test_settings_out_of_range_are_refused_in_words():
    with pytest.raises(ReplayError, match="--cards must be between 1 and 10,000"):
        ReplaySettings(cards=10**6)
    with pytest.raises(ReplayError, match="--desired-retention"):
        ReplaySettings(desired_retention=float("nan"))


def test_the_command_prints_the_documented_keys(capsys):
    argv = ["simulate", "study", "--cards", "200", "--new-per-day", "10", "--exam-in-days", "25",
            "--desired-retention", "0.9", "--seed", "3", "--json"]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(JSON_KEYS) <= set(out)
    assert out["unseen_at_exam"] == 0 and out["exam_in_days"] == 25
    assert main(["simulate", "study", "--cards", "50"]) == 0
    assert "no exam date" in capsys.readouterr().out


def test_plain_simulate_still_works(capsys):
    assert main(["simulate", "--seconds", "20", "--json"]) == 0
    assert "invocations" in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--cards", "0"], "--cards must be"),
        (["--exam-in-days", "9999"], "--exam-in-days must be"),
        (["--desired-retention", "nan"], "--desired-retention"),
        (["--seed", "-1"], "--seed must be"),
        (["--cards", "many"], "invalid int value"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, fragment, capsys):
    code: object
    try:
        code = main(["simulate", "study", *argv])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err
