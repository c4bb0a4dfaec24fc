"""Duration and cost at every memory size: the closed-form curve the tuner draws.

For a function whose duration at 1,024 MB is ``D``, a share ``f`` of it computing and ``p`` of
the computing parallel, the computing needs ``W = f·D·s(1024)`` vCPU-milliseconds, where ``s`` is
the vCPU share (memory / 1,769). At memory ``m`` the serial part runs on one thread, at
``min(s(m), 1)``, and the parallel part on all threads, at ``min(s(m), threads)``:

    duration(m) = (1 − p)·W / min(s(m), 1) + p·W / min(s(m), threads) + (1 − f)·D

so a single thread's duration stops falling at 1,769 MB, where ``min(s, 1)`` reaches 1. On Arm
the computing part is divided by the Arm speed the learner assumes. Init code is taken to be one
thread of computing. Cost per invocation is GB-seconds × price + the request price.

Memory sizes below what the function needs, and durations over the 15-minute timeout, are not
usable: they stay in the arrays (for drawing) and are flagged in ``usable``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from trainer.explainers.memory.cpu import usable_vcpus, vcpu_share
from trainer.explainers.memory.limits import BASELINE_MB, MAX_MEMORY_MB, MIN_MEMORY_MB, TIMEOUT_MS
from trainer.explainers.memory.pricing import PRICE_PER_REQUEST, Arch
from trainer.explainers.memory.settings import TuningSettings

ALL_MEMORY_MB: NDArray[np.int64] = np.arange(MIN_MEMORY_MB, MAX_MEMORY_MB + 1, dtype=np.int64)


@dataclass(frozen=True)
class Curve:
    """Duration, cost and CPU at each memory size (parallel arrays, 1 MB apart)."""

    settings: TuningSettings
    memory_mb: NDArray[np.int64]
    duration_ms: NDArray[np.float64]
    init_ms: NDArray[np.float64]
    cost_per_million_usd: NDArray[np.float64]
    vcpus: NDArray[np.float64]  # the share this memory brings
    vcpus_used: NDArray[np.float64]  # what this workload's threads can use of it
    out_of_memory: NDArray[np.bool_]
    timed_out: NDArray[np.bool_]

    @property
    def usable(self) -> NDArray[np.bool_]:
        return ~(self.out_of_memory | self.timed_out)

    def index_of(self, memory_mb: int) -> int:
        return int(memory_mb) - int(self.memory_mb[0])


def duration_ms(settings: TuningSettings, memory_mb: ArrayLike) -> NDArray[np.float64]:
    """Handler duration at these memory sizes (the formula in the module docstring)."""
    w = settings.workload
    total = settings.duration_ms_at_1024
    speed = settings.arm_speed if settings.arch is Arch.ARM else 1.0
    work = w.compute_share * total * float(vcpu_share(BASELINE_MB)) / speed
    serial = (1.0 - w.parallel_share) * work / usable_vcpus(memory_mb, 1)
    parallel = w.parallel_share * work / usable_vcpus(memory_mb, w.threads)
    return np.asarray(serial + parallel + (1.0 - w.compute_share) * total, dtype=float)


def init_ms(settings: TuningSettings, memory_mb: ArrayLike) -> NDArray[np.float64]:
    """Cold-start init time, taken to be single-threaded computing."""
    speed = settings.arm_speed if settings.arch is Arch.ARM else 1.0
    work = settings.init_ms_at_1024 * float(vcpu_share(BASELINE_MB)) / speed
    return np.asarray(work / usable_vcpus(memory_mb, 1), dtype=float)


def cost_per_million_usd(memory_mb: ArrayLike, duration: ArrayLike, arch: Arch) -> NDArray[np.float64]:
    """A million invocations: GB-seconds × the price per GB-second + the request price."""
    gb_s = np.asarray(memory_mb, dtype=float) / 1024.0 * np.asarray(duration, dtype=float) / 1000.0
    return np.asarray(1_000_000 * (gb_s * arch.price_per_gb_s + PRICE_PER_REQUEST), dtype=float)


def curve(settings: TuningSettings) -> Curve:
    """The whole curve, 128 MB to 10,240 MB; raises SimulationError for bad settings."""
    settings.validate()
    m = ALL_MEMORY_MB
    d = duration_ms(settings, m)
    return Curve(
        settings=settings,
        memory_mb=m,
        duration_ms=d,
        init_ms=init_ms(settings, m),
        cost_per_million_usd=cost_per_million_usd(m, d, settings.arch),
        vcpus=vcpu_share(m),
        vcpus_used=usable_vcpus(m, settings.workload.threads),
        out_of_memory=m < settings.needed_mb,
        timed_out=d > TIMEOUT_MS,
    )
