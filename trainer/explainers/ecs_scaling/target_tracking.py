"""Target tracking policies: the two alarms each one creates, and the capacity it asks for.

The capacity asked for is proportional: ceil(base × metric / target), rounded up so that a
scale-out never adds too little and a scale-in never removes too much (the Application Auto
Scaling guide: it "acts conservatively by rounding up or down",
https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html).
Scale-out needs the high alarm (3 one-minute datapoints above the target), scale-in the low alarm
(15 below 90 % of it); see ``limits`` and ``choices``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.alarms import Alarm, AlarmState
from trainer.explainers.ecs_scaling.settings import ScalingMetric

UNITS = {ScalingMetric.CPU: " %", ScalingMetric.MEMORY: " %", ScalingMetric.REQUESTS: " req/target/min"}


def proportional(base: int, metric: float, target: float) -> int:
    """ceil(base × metric / target), with a tolerance so 4 × 70 / 70 stays 4."""
    return math.ceil(round(base * metric / target, 9))


@dataclass(frozen=True)
class TargetTrackingPolicy:
    metric: ScalingMetric
    target: float

    @property
    def high(self) -> Alarm:
        return Alarm(
            f"TargetTracking-{self.metric.value}-AlarmHigh", self.target, True, limits.SCALE_OUT_DATAPOINTS
        )

    @property
    def low(self) -> Alarm:
        return Alarm(
            f"TargetTracking-{self.metric.value}-AlarmLow",
            round(self.target * limits.SCALE_IN_THRESHOLD_SHARE, 6),
            False,
            limits.SCALE_IN_DATAPOINTS,
        )

    def wants_out(self, history: list[float]) -> bool:
        return self.high.state(history) is AlarmState.ALARM

    def wants_in(self, history: list[float]) -> bool:
        return self.low.state(history) is AlarmState.ALARM

    def proposal(self, base: int, metric: float) -> int:
        return proportional(base, metric, self.target)

    def reason(self, base: int, metric: float, direction: str) -> str:
        unit = UNITS[self.metric]
        alarm = self.high if direction == "out" else self.low
        return (
            f"{alarm.name} in ALARM: {self.metric.label} {metric:,.1f}{unit} vs target "
            f"{self.target:g}{unit} → ceil({base} × {metric:,.1f} / {self.target:g}) = "
            f"{self.proposal(base, metric)} tasks"
        )
