"""Service Auto Scaling's decision each minute: which policy wins, and what the cooldowns allow.

Application Auto Scaling
(https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html):

* scale out if any policy's scale-out alarm is in ALARM; scale in only if every policy's
  scale-in alarm is (policies with scale-in disabled take no part in scale-in);
* when several ask at once, the one giving the largest capacity wins, in both directions;
* during a scale-out cooldown the capacity already added counts toward the next scale-out, so
  only a larger one happens; a scale-in waits for its own cooldown, but a scale-out during it
  happens at once and ends it;
* the result stays within the scalable target's min and max capacity; scale-in is suspended
  while a deployment is in progress
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).

Blocking scale-in during a scale-out cooldown is this simulator's choice (see ``choices``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

from trainer.explainers.ecs_scaling.alarms import Alarm
from trainer.explainers.ecs_scaling.settings import EcsSettings, PolicyKind, ScalingMetric
from trainer.explainers.ecs_scaling.step_scaling import StepPolicy
from trainer.explainers.ecs_scaling.target_tracking import TargetTrackingPolicy


class Policy(Protocol):
    @property
    def metric(self) -> ScalingMetric: ...

    @property
    def high(self) -> Alarm: ...

    @property
    def low(self) -> Alarm: ...

    def wants_out(self, history: list[float]) -> bool: ...

    def wants_in(self, history: list[float]) -> bool: ...

    def proposal(self, base: int, metric: float) -> int: ...

    def reason(self, base: int, metric: float, direction: str) -> str: ...


def policies_for(s: EcsSettings) -> list[Policy]:
    if s.policy is PolicyKind.STEP:
        return [StepPolicy.from_settings(s)]
    return [TargetTrackingPolicy(metric, target) for metric, target in s.targets.items()]


@dataclass(frozen=True)
class Decision:
    """A change of the desired count (``to`` differs) or a reason it did not change."""

    direction: str  # "out", "in" or "none"
    to: int
    reason: str


@dataclass
class Scaler:
    """Service Auto Scaling for one service: policies, cooldown timers and the min/max bounds."""

    settings: EcsSettings
    policies: list[Policy] = field(default_factory=list)
    out_until: float = -math.inf
    out_base: int = 0
    in_until: float = -math.inf

    def __post_init__(self) -> None:
        self.policies = policies_for(self.settings)

    @property
    def _cooldowns(self) -> tuple[int, int]:
        s = self.settings
        if s.policy is PolicyKind.STEP:
            return s.step_cooldown_s, s.step_cooldown_s
        return s.scale_out_cooldown_s, s.scale_in_cooldown_s

    def decide(
        self, t: float, desired: int, history: dict[ScalingMetric, list[float]], deploying: bool
    ) -> Decision | None:
        """What to do at time ``t`` after the newest datapoints; None when no alarm asks for anything."""
        s = self.settings
        out_cooldown, in_cooldown = self._cooldowns
        latest = {m: h[-1] if h else math.nan for m, h in history.items()}
        wanting_out = [p for p in self.policies if p.wants_out(history[p.metric])]
        if wanting_out:
            cooling = t < self.out_until
            base = self.out_base if cooling else desired
            asked, winner = max((p.proposal(base, latest[p.metric]), i) for i, p in enumerate(wanting_out))
            policy = wanting_out[winner]
            new = min(asked, s.max_tasks)
            if new > desired:
                if not cooling:
                    self.out_base = desired
                self.out_until = t + out_cooldown
                self.in_until = -math.inf
                capped = f"; capped at the maximum of {s.max_tasks}" if asked > s.max_tasks else ""
                during = " (a larger scale-out during the cooldown)" if cooling else ""
                return Decision(
                    "out", new, policy.reason(base, latest[policy.metric], "out") + capped + during
                )
            if desired >= s.max_tasks:
                return Decision("none", desired, f"Not scaled: already at the maximum of {s.max_tasks} tasks")
            if cooling:
                return Decision(
                    "none", desired,
                    f"Not scaled: scale-out cooldown until {self.out_until:,.0f} s and "
                    f"{asked} tasks is not more than the {desired} already asked for",
                )  # fmt: skip
            return None
        if s.disable_scale_in and s.policy is PolicyKind.TARGET_TRACKING:
            return None
        if not self.policies or not all(p.wants_in(history[p.metric]) for p in self.policies):
            return None
        if deploying:
            return Decision(
                "none", desired, "Not scaled in: scale-in is suspended while a deployment is in progress"
            )
        if t < self.in_until:
            return Decision("none", desired, f"Not scaled in: scale-in cooldown until {self.in_until:,.0f} s")
        if t < self.out_until:
            return Decision(
                "none", desired, f"Not scaled in: scale-out cooldown until {self.out_until:,.0f} s"
            )
        asked, winner = max((p.proposal(desired, latest[p.metric]), i) for i, p in enumerate(self.policies))
        new = max(asked, s.min_tasks)
        if new >= desired:
            if desired <= s.min_tasks:
                return Decision(
                    "none", desired, f"Not scaled in: already at the minimum of {s.min_tasks} tasks"
                )
            return None
        self.in_until = t + in_cooldown
        policy = self.policies[winner]
        floor = f"; held at the minimum of {s.min_tasks}" if asked < s.min_tasks else ""
        return Decision("in", new, policy.reason(desired, latest[policy.metric], "in") + floor)
