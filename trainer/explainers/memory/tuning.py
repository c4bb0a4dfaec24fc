"""Choosing a memory size from the curve: cheapest, fastest and balanced, as Power Tuning does.

"Cheapest" and "fastest" are the smallest memory that reaches the minimum cost or duration
(within floating-point noise): a single-threaded function's duration is the same at every size
from 1,769 MB up, and the smallest of them is the one to pick. "Balanced" minimises AWS Lambda
Power Tuning's score, ``weight × cost / max cost + (1 − weight) × duration / max duration`` over
the usable sizes, so weight 1 is the cost strategy and weight 0 the speed strategy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trainer.explainers.memory.cpu import cores
from trainer.explainers.memory.limits import BASELINE_MB, MAX_MEMORY_MB, MAX_VCPUS, MB_PER_VCPU
from trainer.explainers.memory.model import Curve, curve
from trainer.explainers.memory.pricing import PRICE_PER_REQUEST, PRICES_CHECKED, PRICES_REGION
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.traffic import SimulationError

TIE = 1e-9  # relative: values this close to the minimum reach it
SAMPLE_STEP_MB = 64  # the curve points handed to charts and the command


@dataclass(frozen=True)
class Point:
    """One memory size on the curve."""

    memory_mb: int
    duration_ms: float
    init_ms: float
    cost_per_million_usd: float
    vcpus: float
    vcpus_used: float
    cores: int

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "memory_mb": self.memory_mb,
            "duration_ms": round(self.duration_ms, 3),
            "init_ms": round(self.init_ms, 3),
            "cost_per_million_usd": round(self.cost_per_million_usd, 6),
            "vcpus": round(self.vcpus, 4),
            "vcpus_used": round(self.vcpus_used, 4),
            "cores": self.cores,
        }


@dataclass(frozen=True)
class TuningResult:
    settings: TuningSettings
    curve: Curve
    cheapest: Point
    fastest: Point
    balanced: Point
    baseline: Point  # 1,024 MB, where the duration was given (may be unusable)

    def point(self, memory_mb: int) -> Point:
        return point_at(self.curve, memory_mb)

    def sample(self) -> list[Point]:
        """Points every 64 MB, plus each whole vCPU and the chosen sizes, in memory order."""
        c = self.curve
        wanted = set(range(int(c.memory_mb[0]), MAX_MEMORY_MB + 1, SAMPLE_STEP_MB))
        wanted |= {MB_PER_VCPU * k for k in range(1, MAX_VCPUS) if MB_PER_VCPU * k <= MAX_MEMORY_MB}
        wanted |= {MAX_MEMORY_MB, self.settings.needed_mb, BASELINE_MB}
        wanted |= {p.memory_mb for p in (self.cheapest, self.fastest, self.balanced)}
        return [self.point(m) for m in sorted(wanted)]

    def to_json_dict(self) -> dict[str, Any]:
        s = self.settings
        chosen = {"cheapest": self.cheapest, "fastest": self.fastest, "balanced": self.balanced}
        return {
            "workload": s.workload.value,
            "arch": s.arch.value,
            "duration_ms_at_1024": s.duration_ms_at_1024,
            "init_ms_at_1024": s.init_ms_at_1024,
            "needed_mb": s.needed_mb,
            "cost_weight": s.cost_weight,
            "arm_speed": s.arm_speed,
            "cheapest_mb": self.cheapest.memory_mb,
            "fastest_mb": self.fastest.memory_mb,
            "balanced_mb": self.balanced.memory_mb,
            "cost_per_million_usd": {k: round(p.cost_per_million_usd, 6) for k, p in chosen.items()},
            "duration_ms": {k: round(p.duration_ms, 3) for k, p in chosen.items()},
            "prices": {
                "region": PRICES_REGION,
                "checked": PRICES_CHECKED,
                "per_gb_second_usd": s.arch.price_per_gb_s,
                "per_million_requests_usd": round(PRICE_PER_REQUEST * 1_000_000, 6),
            },
            "points": [p.to_json_dict() for p in self.sample()],
        }


def point_at(c: Curve, memory_mb: int) -> Point:
    i = c.index_of(memory_mb)
    return Point(
        memory_mb=int(c.memory_mb[i]),
        duration_ms=float(c.duration_ms[i]),
        init_ms=float(c.init_ms[i]),
        cost_per_million_usd=float(c.cost_per_million_usd[i]),
        vcpus=float(c.vcpus[i]),
        vcpus_used=float(c.vcpus_used[i]),
        cores=int(cores(c.memory_mb[i])),
    )


def smallest_reaching_minimum(values: NDArray[np.float64], usable: NDArray[np.bool_]) -> int:
    """Index of the first usable value within TIE (relative) of the usable minimum."""
    masked = np.where(usable, values, np.inf)
    best = float(masked.min())
    return int(np.argmax(masked <= best * (1 + TIE) + 1e-15))


def tune(settings: TuningSettings) -> TuningResult:
    """The curve and the three chosen sizes; SimulationError when no size is usable."""
    c = curve(settings)
    usable = c.usable
    if not usable.any():
        raise SimulationError(
            "No memory size works: the function needs more memory than 10,240 MB or runs past "
            "the 15-minute timeout at every size. Lower the duration or the memory it needs."
        )
    cost, duration = c.cost_per_million_usd, c.duration_ms
    w = settings.cost_weight
    score = w * cost / cost[usable].max() + (1 - w) * duration / duration[usable].max()
    pick = {
        name: int(c.memory_mb[smallest_reaching_minimum(values, usable)])
        for name, values in (("cheapest", cost), ("fastest", duration), ("balanced", score))
    }
    return TuningResult(
        settings=settings,
        curve=c,
        cheapest=point_at(c, pick["cheapest"]),
        fastest=point_at(c, pick["fastest"]),
        balanced=point_at(c, pick["balanced"]),
        baseline=point_at(c, BASELINE_MB),
    )
