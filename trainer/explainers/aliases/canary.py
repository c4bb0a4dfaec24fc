"""Simulate a CodeDeploy traffic shift of a Lambda alias, second by second, in expected values.

Timeline: the deployment starts at 0 s with the pre-traffic hook; when it passes, the alias
starts sending the strategy's share of requests to the new version; once all traffic has
moved the post-traffic hook runs, and when it passes the deployment has succeeded. While the
deployment runs, CodeDeploy watches the CloudWatch alarm: when the alarm fires (or a hook
fails) it rolls the alias back to the original version.

The counts are expectations (rps × share × error rate), not random draws: a learner comparing
strategies sees the difference the strategy makes and no noise, and the tests can check the
numbers against closed forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
from trainer.explainers.aliases.strategies import STRATEGIES, DeploymentStrategy, strategy_named
from trainer.explainers.budget import DEFAULT_BUDGET, WorkBudget


class DeploymentOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    ROLLED_BACK = "rolled-back"
    PRE_HOOK_FAILED = "pre-traffic-hook-failed"
    IN_PROGRESS = "in-progress"

    @property
    def label(self) -> str:
        return {
            "succeeded": "Succeeded: all traffic on the new version",
            "rolled-back": "Rolled back to the original version",
            "pre-traffic-hook-failed": "Failed in the pre-traffic hook: no traffic was shifted",
            "in-progress": "Still in progress when the simulation ended",
        }[self.value]


@dataclass(frozen=True)
class AlarmPeriod:
    end_s: int
    error_rate: float | None  # None: no requests counted in the period (not breaching)
    breaching: bool  # this period's error rate is above the threshold
    in_alarm: bool  # the last ``evaluation_periods`` periods all breached


@dataclass(frozen=True)
class DeploymentResult:
    settings: DeploymentSettings
    strategy: DeploymentStrategy
    share: np.ndarray  # per second, share of requests on the new version (after any rollback)
    requests_new: np.ndarray
    errors_new: np.ndarray
    requests_old: np.ndarray
    errors_old: np.ndarray
    periods: tuple[AlarmPeriod, ...]  # the alarm over the run as it happened (after any rollback)
    shift_starts_s: int | None  # None when the pre-traffic hook failed
    all_shifted_s: int | None
    planned_end_s: int  # when the deployment succeeds if nothing goes wrong
    alarm_at_s: int | None  # first time the alarm went into ALARM, during the deployment or after
    rollback_at_s: int | None
    outcome: DeploymentOutcome

    @property
    def rolled_back(self) -> bool:
        return self.rollback_at_s is not None

    @property
    def errors_seen(self) -> float:
        """Expected requests that got an error from the new version."""
        return float(self.errors_new.sum())

    @property
    def requests_on_new(self) -> float:
        """Expected requests the new version served: the users who saw it."""
        return float(self.requests_new.sum())

    def share_changes(self) -> list[tuple[int, float]]:
        """(second, share on the new version) at the start and wherever the share changes."""
        s = self.share
        idx = [0, *(np.flatnonzero(np.diff(s)) + 1).tolist()]
        return [(int(i), round(float(s[i]), 6)) for i in idx]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy.name,
            "codedeploy_name": self.strategy.codedeploy_name,
            "outcome": self.outcome.value,
            "errors_seen": round(self.errors_seen, 3),
            "requests_on_new_version": round(self.requests_on_new, 3),
            "rolled_back": self.rolled_back,
            "rollback_at_s": self.rollback_at_s,
            "alarm_at_s": self.alarm_at_s,
            "shift_starts_s": self.shift_starts_s,
            "all_shifted_s": self.all_shifted_s,
            "planned_end_s": self.planned_end_s,
            "share_on_new_version": [{"t_s": t, "share": v} for t, v in self.share_changes()],
        }


def simulate_deployment(
    settings: DeploymentSettings, budget: WorkBudget = DEFAULT_BUDGET
) -> DeploymentResult:
    settings.validate(budget)
    s = settings
    strategy = strategy_named(s.strategy)
    t = np.arange(s.seconds)
    start = s.pre_hook_s if s.pre_hook_passes else None
    planned_end = s.pre_hook_s + strategy.shift_seconds + s.post_hook_s
    share = strategy.share(t - start) if start is not None else np.zeros(s.seconds)
    periods = _alarm_periods(s, share)
    alarm_at = next((p.end_s for p in periods if p.in_alarm), None)
    if start is None:
        alarm_at, rollback_at, outcome = None, None, DeploymentOutcome.PRE_HOOK_FAILED
    else:
        rollback_at, outcome = _rollback(s, alarm_at, planned_end)
    if rollback_at is not None:
        share = np.where(t >= rollback_at, 0.0, share)
        periods = _alarm_periods(s, share)  # what the alarm saw in the run that happened
    all_shifted = None if start is None else start + strategy.shift_seconds
    requests_new = s.rps * share
    requests_old = s.rps - requests_new
    return DeploymentResult(
        settings=s,
        strategy=strategy,
        share=share,
        requests_new=requests_new,
        errors_new=requests_new * s.new_error_rate,
        requests_old=requests_old,
        errors_old=requests_old * s.old_error_rate,
        periods=periods,
        shift_starts_s=start,
        all_shifted_s=all_shifted,
        planned_end_s=planned_end,
        alarm_at_s=alarm_at,
        rollback_at_s=rollback_at,
        outcome=outcome,
    )


def _rollback(
    s: DeploymentSettings, alarm_at: int | None, planned_end: int
) -> tuple[int | None, DeploymentOutcome]:
    candidates = []
    # CodeDeploy watches the alarm only while the deployment runs (up to its planned end).
    if alarm_at is not None and s.rollback_on_alarm and alarm_at <= planned_end:
        candidates.append(alarm_at)
    if not s.post_hook_passes:
        candidates.append(planned_end)  # the post-traffic hook reports failure as it ends
    if candidates and min(candidates) < s.seconds:
        return min(candidates), DeploymentOutcome.ROLLED_BACK
    if planned_end <= s.seconds and not candidates:
        return None, DeploymentOutcome.SUCCEEDED
    return None, DeploymentOutcome.IN_PROGRESS


def _alarm_periods(s: DeploymentSettings, share: np.ndarray) -> tuple[AlarmPeriod, ...]:
    """The alarm's periods (aligned to the deployment start), on the run without rollback.

    Periods before the alarm fires are the same with or without the rollback, so the first
    alarm found here is the one that happens.
    """
    p = s.alarm_period_s
    count = s.seconds // p
    if count == 0:
        return ()
    share = share[: count * p].reshape(count, p)
    new_requests = s.rps * share.sum(axis=1)
    new_errors = new_requests * s.new_error_rate
    if s.alarm_metric is AlarmMetric.NEW_VERSION:
        requests, errors = new_requests, new_errors
    else:
        requests = np.full(count, s.rps * p)
        errors = new_errors + (requests - new_requests) * s.old_error_rate
    periods = []
    run = 0
    for k in range(count):
        rate = float(errors[k] / requests[k]) if requests[k] > 1e-9 else None
        breaching = rate is not None and rate > s.alarm_error_rate + 1e-12
        run = run + 1 if breaching else 0
        periods.append(AlarmPeriod((k + 1) * p, rate, breaching, run >= s.evaluation_periods))
    return tuple(periods)


def compare_strategies(settings: DeploymentSettings) -> list[DeploymentResult]:
    """The same deployment under every predefined strategy (for the "who saw it" chart)."""
    return [simulate_deployment(settings.with_(strategy=name)) for name in STRATEGIES]
