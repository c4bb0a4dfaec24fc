"""Bounded work (reliability review R4): every engine a visitor can start estimates its work,
retries and redeliveries included, before it runs, and refuses a run over the budget with a
"lower X or Y" message; the presets and defaults stay well inside it. These tests assert on
the refusal, never on time: nothing large is ever run here."""

from __future__ import annotations

import pytest

from trainer.cli import main
from trainer.explainers.aliases.presets import PRESETS as ALIAS_PRESETS
from trainer.explainers.budget import DEFAULT_BUDGET, DEFAULT_STEPS, NO_BUDGET, TOO_LARGE, Work, WorkBudget
from trainer.explainers.concurrency.presets import PRESETS as PLAYGROUND_PRESETS
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.concurrency.simulation import simulate
from trainer.explainers.concurrency.work import playground_work
from trainer.explainers.connections.presets import PRESETS as CONNECTION_PRESETS
from trainer.explainers.connections.settings import ConnectionSettings
from trainer.explainers.sizing.calculation import plan_work, size_plan
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.presets import PRESETS as SIZING_PRESETS
from trainer.explainers.streams.presets import PRESETS as STREAM_PRESETS
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.traffic import SimulationError, steady

# The review's run: 103 s of CPU and 2.5 GB.
REVIEW_ASYNC = PlaygroundSettings(
    traffic=steady(100_000), seconds=50, invocation=Invocation.ASYNC, error_rate=1.0, max_retry_attempts=2
)
# The review's synchronous run: 10 caller retries against a limit of 100 (about 150 s and 3 GB for 50 s).
REVIEW_SYNC = PlaygroundSettings(traffic=steady(100_000), seconds=50, caller_retries=10, reserved=100)


def test_the_message_says_too_large_and_what_to_lower():
    message = WorkBudget(10).problem(Work(11, "attempts", ["the rate", "the time", "the retries"]))
    assert message == (
        f"{TOO_LARGE}: about 11 attempts, more than the 10 one run may take. "
        "Lower the rate, the time or the retries."
    )
    assert WorkBudget(10).problem(Work(10, "attempts", ["x"])) is None
    assert NO_BUDGET.problem(Work(1e18, "attempts", ["x"])) is None


@pytest.mark.parametrize("settings", [REVIEW_ASYNC, REVIEW_SYNC], ids=["async-errors", "sync-caller-retries"])
def test_the_reviews_playground_runs_are_refused_before_they_start(settings):
    (problem,) = settings.problems()
    assert problem.startswith(TOO_LARGE) and "Lower the request rate, the simulated time" in problem
    with pytest.raises(SimulationError, match=TOO_LARGE):
        simulate(settings)


def test_retries_count_in_the_estimate():
    no_retries = PlaygroundSettings(traffic=steady(2_000), seconds=300, reserved=100)
    assert playground_work(no_retries.with_(caller_retries=10)).steps > 10 * playground_work(no_retries).steps
    async_errors = no_retries.with_(invocation=Invocation.ASYNC, error_rate=1.0)
    assert (
        playground_work(async_errors.with_(max_retry_attempts=2)).steps
        > playground_work(async_errors.with_(max_retry_attempts=0)).steps
    )


def test_playground_presets_and_defaults_fit_the_budget():
    for preset in PLAYGROUND_PRESETS.values():
        assert preset.settings.problems() == [], preset.id
        assert playground_work(preset.settings).steps < DEFAULT_STEPS / 2
    assert PlaygroundSettings().problems() == []


def test_a_larger_budget_or_none_lets_the_command_line_through():
    assert REVIEW_ASYNC.problems(NO_BUDGET) == []
    assert REVIEW_ASYNC.problems(WorkBudget(50_000_000)) == []


def test_the_command_refuses_the_reviews_run_in_one_line_and_names_the_flags(capsys):
    argv = ["simulate", "--rate", "100000", "--seconds", "50", "--invocation", "async"]
    assert main([*argv, "--error-rate", "1", "--max-retry-attempts", "2"]) == 2
    err = capsys.readouterr().err
    assert TOO_LARGE in err and "--no-budget" in err and err.count("\n") == 1


def test_a_budget_that_is_not_positive_is_a_usage_error(capsys):
    assert main(["simulate", "--budget", "0"]) == 2
    assert "--budget must be a positive number" in capsys.readouterr().err


def test_stream_runs_count_retries_against_the_budget():
    big = StreamSettings(
        shards=1, records_per_second=1000, seconds=999, batch_size=1, duration_ms=1, parallelization_factor=10
    )  # about 1,000,000 invocations: 5 s and 420 MB before the budget
    (problem,) = big.problems()
    assert problem.startswith(TOO_LARGE)
    assert big.problems(NO_BUDGET) == []
    for preset in STREAM_PRESETS.values():
        assert preset.settings.problems() == [], preset.id


def test_connection_runs_are_budgeted():
    big = ConnectionSettings(concurrency=5000, interval_s=0.0, operation_ms=10, seconds=1)
    assert big.problems()[0].startswith(TOO_LARGE)
    for preset in CONNECTION_PRESETS.values():
        assert preset.settings.problems() == [], preset.id


def test_alias_runs_are_tiny_whatever_the_settings():
    for preset in ALIAS_PRESETS.values():
        assert preset.settings.deployment.problems() == [], preset.id
        assert preset.settings.deployment.work().steps < 1_000


def test_a_plan_over_the_budget_is_refused_in_words():
    plan = next(iter(SIZING_PRESETS.values())).settings
    assert plan_work(plan).steps < DEFAULT_BUDGET.steps  # type: ignore[operator]
    size_plan(plan)
    with pytest.raises(SizingError, match=TOO_LARGE):
        size_plan(plan, WorkBudget(0.001))
