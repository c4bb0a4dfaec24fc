"""What a simulated CodeDeploy deployment of a Lambda alias depends on, and its bounds.

The record is frozen so the page can cache runs by it. :meth:`DeploymentSettings.problems`
lists every setting the simulator refuses, all at once, so the page and the command can show
them instead of a traceback; every number is bounded before any work starts.

Several things here are the simulator's assumptions, not AWS facts, and the page says so:
the alarm's statistic (errors ÷ invocations in each period), treating a period with no
requests as not breaching, "all N of N" evaluation periods, no metric delay, how long the
hooks take, and an instant rollback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from trainer.explainers.aliases.strategies import STRATEGIES
from trainer.explainers.budget import DEFAULT_BUDGET, Work, WorkBudget
from trainer.explainers.traffic import SimulationError

MAX_RPS = 10_000.0
MAX_SECONDS = 3 * 3600  # the slowest predefined shift (Linear10PercentEvery10Minutes) takes 90 min
MAX_EVALUATION_PERIODS = 10
MAX_PERIOD_S = 3600
MAX_HOOK_S = 3600  # the simulator's bound on how long a validation hook runs


class AlarmMetric(StrEnum):
    """Which requests the CloudWatch alarm's error rate counts."""

    NEW_VERSION = "new-version"
    ALIAS = "alias"

    @property
    def label(self) -> str:
        return {
            "new-version": "Errors of the new version only",
            "alias": "Errors of the whole alias (both versions)",
        }[self.value]


@dataclass(frozen=True)
class DeploymentSettings:
    """One deployment: the strategy, the traffic, the bad version, the alarm and the hooks."""

    strategy: str = "Canary10Percent5Minutes"
    rps: float = 100.0
    new_error_rate: float = 0.2
    old_error_rate: float = 0.0
    alarm_error_rate: float = 0.05
    alarm_metric: AlarmMetric = AlarmMetric.NEW_VERSION
    alarm_period_s: int = 60
    evaluation_periods: int = 1
    rollback_on_alarm: bool = True
    pre_hook_s: int = 10
    pre_hook_passes: bool = True
    post_hook_s: int = 10
    post_hook_passes: bool = True
    seconds: int = 900

    def with_(self, **changes: Any) -> DeploymentSettings:
        return replace(self, **changes)

    def problems(self, budget: WorkBudget = DEFAULT_BUDGET) -> list[str]:
        out = []
        if self.strategy not in STRATEGIES:
            out.append(
                f"Unknown deployment configuration {self.strategy!r}; use one of {', '.join(STRATEGIES)}."
            )
        if _bad(self.rps) or not 0 < self.rps <= MAX_RPS:
            out.append(f"Requests per second must be more than 0 and at most {MAX_RPS:,.0f}; got {self.rps}.")
        for name, value in (
            ("The new version's error rate", self.new_error_rate),
            ("The old version's error rate", self.old_error_rate),
            ("The alarm threshold", self.alarm_error_rate),
        ):
            if _bad(value) or not 0 <= value <= 1:
                out.append(f"{name} must be between 0 and 1 (a share); got {value}.")
        period = self.alarm_period_s
        if _bad(period) or period != int(period) or not 60 <= period <= MAX_PERIOD_S or period % 60:
            out.append(
                f"The alarm period must be a whole number of minutes from 60 to {MAX_PERIOD_S:,} "
                f"seconds (Lambda sends its metrics once a minute); got {period}."
            )
        n = self.evaluation_periods
        if _bad(n) or n != int(n) or not 1 <= n <= MAX_EVALUATION_PERIODS:
            out.append(f"Evaluation periods must be 1 to {MAX_EVALUATION_PERIODS}; got {n}.")
        for name, value in (("pre-traffic", self.pre_hook_s), ("post-traffic", self.post_hook_s)):
            if _bad(value) or value != int(value) or not 0 <= value <= MAX_HOOK_S:
                out.append(
                    f"The {name} hook must take a whole number of seconds from 0 to "
                    f"{MAX_HOOK_S:,} (the simulator's limit); got {value}."
                )
        s = self.seconds
        if _bad(s) or s != int(s) or not 60 <= s <= MAX_SECONDS:
            out.append(f"Simulated time must be 60 to {MAX_SECONDS:,} seconds (3 hours); got {s}.")
        return out or budget.problems(self.work())

    def work(self) -> Work:
        """Expected counts, one vector element per simulated second (about a fiftieth of a
        playground attempt each): 3 hours is about 200 steps and 1 ms, whatever the rate."""
        return Work(self.seconds / 50.0, "attempt-sized steps", ["the simulated time"])

    def validate(self, budget: WorkBudget = DEFAULT_BUDGET) -> None:
        problems = self.problems(budget)
        if problems:
            raise SimulationError("\n".join(problems), problems)


def _bad(value: object) -> bool:
    if isinstance(value, bool):
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
