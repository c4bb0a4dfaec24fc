"""CodeDeploy's predefined traffic-shifting configurations for Lambda, and the share they send.

CodeDeploy shifts a Lambda alias from the original version to the new one by changing the
alias's routing weights. The user guide lists nine predefined configurations; AWS SAM's
``DeploymentPreference.Type`` names the same ones without the ``CodeDeployDefault.Lambda``
prefix (``Canary10Percent5Minutes``), and that shorter spelling is the one this package uses.
Both spellings are accepted by :func:`strategy_named`.

Source: https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from trainer.explainers.traffic import SimulationError

_PREFIXES = ("CodeDeployDefault.Lambda", "CodeDeployDefault.", "Lambda")


class ShiftKind(StrEnum):
    CANARY = "canary"
    LINEAR = "linear"
    ALL_AT_ONCE = "all-at-once"

    @property
    def label(self) -> str:
        return {"canary": "Canary", "linear": "Linear", "all-at-once": "All at once"}[self.value]


@dataclass(frozen=True)
class DeploymentStrategy:
    """One traffic-shifting configuration: how much moves to the new version, and when.

    ``percent`` is the first increment of a canary or every increment of a linear shift;
    ``interval_min`` the minutes before the rest (canary) or between increments (linear).
    """

    name: str
    kind: ShiftKind
    percent: int = 100
    interval_min: int = 0

    @property
    def codedeploy_name(self) -> str:
        """The name as CodeDeploy lists it (the SAM name is :attr:`name`)."""
        return f"CodeDeployDefault.Lambda{self.name}"

    @property
    def steps(self) -> tuple[tuple[int, float], ...]:
        """(seconds after shifting starts, share on the new version from then on)."""
        if self.kind is ShiftKind.ALL_AT_ONCE:
            return ((0, 1.0),)
        first = self.percent / 100
        if self.kind is ShiftKind.CANARY:
            return ((0, first), (60 * self.interval_min, 1.0))
        # Linear: each increment shifts ``percent`` at its start, one interval apart.
        increments = math.ceil(100 / self.percent)
        return tuple((60 * self.interval_min * k, min(1.0, (k + 1) * first)) for k in range(increments))

    @property
    def shift_seconds(self) -> int:
        """Seconds from the first increment until all traffic is on the new version."""
        return self.steps[-1][0]

    def share(self, seconds_since_start: np.ndarray) -> np.ndarray:
        """Share of requests the alias sends to the new version at these times (0 before)."""
        t = np.asarray(seconds_since_start, dtype=float)
        out = np.zeros(t.shape)
        for at, share in self.steps:
            out = np.where(t >= at, share, out)
        return out

    @property
    def describe(self) -> str:
        if self.kind is ShiftKind.ALL_AT_ONCE:
            return "Shifts all traffic to the new version at once."
        if self.kind is ShiftKind.CANARY:
            return (
                f"Shifts {self.percent} % of traffic first; the other {100 - self.percent} % "
                f"{self.interval_min} minute{'s' if self.interval_min != 1 else ''} later."
            )
        every = "minute" if self.interval_min == 1 else f"{self.interval_min} minutes"
        return f"Shifts {self.percent} % of traffic every {every} until all of it is shifted."


def _predefined() -> dict[str, DeploymentStrategy]:
    strategies = [
        *(DeploymentStrategy(f"Canary10Percent{m}Minutes", ShiftKind.CANARY, 10, m) for m in (5, 10, 15, 30)),
        DeploymentStrategy("Linear10PercentEvery1Minute", ShiftKind.LINEAR, 10, 1),
        *(DeploymentStrategy(f"Linear10PercentEvery{m}Minutes", ShiftKind.LINEAR, 10, m) for m in (2, 3, 10)),
        DeploymentStrategy("AllAtOnce", ShiftKind.ALL_AT_ONCE),
    ]
    return {s.name: s for s in strategies}


STRATEGIES: dict[str, DeploymentStrategy] = _predefined()


def strategy_named(name: str) -> DeploymentStrategy:
    """The predefined strategy by its SAM or CodeDeploy name (``Canary10Percent5Minutes``,
    ``LambdaCanary10Percent5Minutes`` or ``CodeDeployDefault.LambdaCanary10Percent5Minutes``)."""
    key = str(name).strip()
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in STRATEGIES:
            key = key[len(prefix) :]
            break
    if key not in STRATEGIES:
        raise SimulationError(
            f"Unknown deployment configuration {str(name)[:60]!r}; use one of {', '.join(STRATEGIES)}."
        )
    return STRATEGIES[key]
