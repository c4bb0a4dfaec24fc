"""CloudWatch alarms as the scaling policies use them: M of M one-minute datapoints past a threshold.

An alarm is in ALARM when each of its last ``datapoints`` datapoints breaches the threshold, OK
when they exist and do not all breach, and INSUFFICIENT_DATA while any is missing (a minute with
no running task has no CPU datapoint). Target tracking does not scale on INSUFFICIENT_DATA
(https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class AlarmState(StrEnum):
    OK = "OK"
    ALARM = "ALARM"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class Alarm:
    name: str  # e.g. "TargetTracking-cpu-AlarmHigh"
    threshold: float
    above: bool  # True: breaching means metric > threshold; False: metric < threshold
    datapoints: int

    def state(self, history: list[float]) -> AlarmState:
        """The alarm's state after the newest datapoint of ``history`` (oldest first)."""
        recent = history[-self.datapoints :]
        if len(recent) < self.datapoints or any(math.isnan(v) for v in recent):
            return AlarmState.INSUFFICIENT_DATA
        breached = all(v > self.threshold if self.above else v < self.threshold for v in recent)
        return AlarmState.ALARM if breached else AlarmState.OK

    def describe(self, unit: str) -> str:
        sign = ">" if self.above else "<"
        return f"{self.name}: {sign} {self.threshold:g}{unit} for {self.datapoints} datapoint(s) of 1 minute"
