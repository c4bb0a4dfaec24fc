"""The tuner's settings: one frozen record of everything a curve depends on, and its checks.

:meth:`TuningSettings.problems` lists every reason the settings can't be tuned, in plain words,
so the page and the command can show them all at once instead of a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from trainer.explainers.memory.limits import (
    MAX_ARM_SPEED,
    MAX_INIT_MS,
    MAX_MEMORY_MB,
    MIN_ARM_SPEED,
    MIN_MEMORY_MB,
    TIMEOUT_MS,
)
from trainer.explainers.memory.pricing import Arch
from trainer.explainers.memory.workloads import Workload
from trainer.explainers.traffic import SimulationError


@dataclass(frozen=True)
class TuningSettings:
    """A function to tune. Durations are as measured at 1,024 MB on x86."""

    workload: Workload = Workload.CPU
    duration_ms_at_1024: float = 1_000.0
    arch: Arch = Arch.X86
    arm_speed: float = 1.0  # Arm's computing speed relative to x86 (yours to measure)
    init_ms_at_1024: float = 0.0  # cold-start init, shown but not billed here
    needed_mb: int = MIN_MEMORY_MB  # below this the function runs out of memory
    cost_weight: float = 0.5  # the balanced point: 0 = fastest, 1 = cheapest

    def with_(self, **changes: Any) -> TuningSettings:
        return replace(self, **changes)

    def canonical(self) -> TuningSettings:
        """These settings with what cannot matter reset: the Arm speed of an x86 function."""
        return self if self.arch is Arch.ARM else replace(self, arm_speed=1.0)

    def problems(self) -> list[str]:
        """Every reason these settings can't be tuned; [] when fine."""
        out = []
        d = self.duration_ms_at_1024
        if _bad(d) or not 0 < d <= TIMEOUT_MS:
            out.append(
                f"Duration at 1,024 MB must be more than 0 and at most {TIMEOUT_MS:,} ms "
                f"(the 15-minute timeout); got {d}."
            )
        if _bad(self.init_ms_at_1024) or not 0 <= self.init_ms_at_1024 <= MAX_INIT_MS:
            out.append(f"Init time must be 0 to {MAX_INIT_MS:,} ms; got {self.init_ms_at_1024}.")
        n = self.needed_mb
        if _bad(n) or n != int(n) or not MIN_MEMORY_MB <= n <= MAX_MEMORY_MB:
            out.append(
                f"Memory the function needs must be a whole number of MB from {MIN_MEMORY_MB} "
                f"to {MAX_MEMORY_MB:,}; got {n}."
            )
        if _bad(self.cost_weight) or not 0 <= self.cost_weight <= 1:
            out.append(f"The balance weight must be between 0 (speed) and 1 (cost); got {self.cost_weight}.")
        if _bad(self.arm_speed) or not MIN_ARM_SPEED <= self.arm_speed <= MAX_ARM_SPEED:
            out.append(
                f"Arm's speed relative to x86 must be {MIN_ARM_SPEED} to {MAX_ARM_SPEED}; "
                f"got {self.arm_speed}."
            )
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise SimulationError("\n".join(problems), problems)


def _bad(value: object) -> bool:
    if isinstance(value, bool):
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
