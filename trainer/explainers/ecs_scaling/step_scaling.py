"""Step scaling, for comparison: your own two alarms and fixed step adjustments.

With step scaling you create the alarms and choose the steps
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-stepscaling.html);
AWS recommends target tracking instead. This simulator's steps (a modelling choice): +1 task for
a breach of less than 15 points above the upper threshold, +3 for a larger one, −1 below the
lower threshold. One ``Cooldown`` serves both directions.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.explainers.ecs_scaling.alarms import Alarm, AlarmState
from trainer.explainers.ecs_scaling.settings import EcsSettings, ScalingMetric
from trainer.explainers.ecs_scaling.target_tracking import UNITS

SMALL_STEP, LARGE_STEP, LARGE_BREACH = 1, 3, 15.0


@dataclass(frozen=True)
class StepPolicy:
    metric: ScalingMetric
    upper: float
    lower: float
    out_datapoints: int
    in_datapoints: int

    @classmethod
    def from_settings(cls, s: EcsSettings) -> StepPolicy:
        return cls(s.step_metric, s.step_upper, s.step_lower, s.step_out_datapoints, s.step_in_datapoints)

    @property
    def high(self) -> Alarm:
        return Alarm(f"Step-{self.metric.value}-High", self.upper, True, self.out_datapoints)

    @property
    def low(self) -> Alarm:
        return Alarm(f"Step-{self.metric.value}-Low", self.lower, False, self.in_datapoints)

    def wants_out(self, history: list[float]) -> bool:
        return self.high.state(history) is AlarmState.ALARM

    def wants_in(self, history: list[float]) -> bool:
        return self.low.state(history) is AlarmState.ALARM

    def adjustment(self, metric: float) -> int:
        if metric > self.upper:
            return LARGE_STEP if metric - self.upper >= LARGE_BREACH else SMALL_STEP
        if metric < self.lower:
            return -1
        return 0

    def proposal(self, base: int, metric: float) -> int:
        return base + self.adjustment(metric)

    def reason(self, base: int, metric: float, direction: str) -> str:
        unit = UNITS[self.metric]
        alarm = self.high if direction == "out" else self.low
        step = self.adjustment(metric)
        return (
            f"{alarm.name} in ALARM: {self.metric.label} {metric:,.1f}{unit} → step {step:+d} "
            f"from {base} tasks"
        )
