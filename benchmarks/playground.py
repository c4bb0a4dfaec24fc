"""Benchmark: the concurrency simulator against a plain SimPy model of the same system.

Case: 600 simulated seconds, Poisson arrivals at 1,000 requests/s, exponential durations with
a 100 ms mean, reserved concurrency 100, synchronous calls, the default 300 ms cold start and
300 s idle reclaim. The SimPy model is written the way one normally would: one process per
request, a ``simpy.Resource`` for the concurrency limit, and a list of idle environments.
It is fed exactly the same arrival times and durations (generated outside its timing), so
both must report the same throttles; ours is timed including generating them.

Also times the whole ``trainer simulate`` command for this case, interpreter start included
(subprocess, median of 3).

Both wall-clock and CPU time are reported, as the median of several runs (the machine is
shared: other people's tests run at the same time, so single runs wander). On a shared machine
the wall clock includes time spent waiting for a core; CPU time does not, so the CPU-time ratio
is the steadier comparison, but both should clear 50×. The fastest run of each is reported too.

Prints JSON. Needs SimPy (`pip install -e '.[bench]'`).
Run: `.venv/bin/python benchmarks/playground.py [--seconds 600] [--repeat 7] [--simpy-repeat 3]`.

OPENBLAS_CORETYPE, where this machine sets it, does not matter here: nothing calls BLAS.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.explainers.concurrency.durations import DurationDist, draw_durations  # noqa: E402
from trainer.explainers.concurrency.erlang import erlang_b  # noqa: E402
from trainer.explainers.concurrency.settings import PlaygroundSettings  # noqa: E402
from trainer.explainers.concurrency.simulation import simulate  # noqa: E402
from trainer.explainers.traffic import arrival_times, steady  # noqa: E402

RATE, DURATION_MS, RESERVED = 1000, 100, 100
AT_LEAST = 50  # times faster than the SimPy model, wall clock and CPU (medians)
T = TypeVar("T")


def settings(seconds: int) -> PlaygroundSettings:
    return PlaygroundSettings(
        traffic=steady(RATE),
        duration_ms=DURATION_MS,
        duration_dist=DurationDist.EXPONENTIAL,
        reserved=RESERVED,
        seconds=seconds,
        seed=1,
    )


def inputs(s: PlaygroundSettings) -> tuple[list[float], list[float]]:
    """The same arrivals and durations the engine draws for these settings."""
    rng = np.random.default_rng(s.seed)
    times = arrival_times(s.traffic.per_second(s.seconds), rng)
    return times.tolist(), draw_durations(s.duration_dist, s.duration_ms, s.p99_ms, len(times), rng).tolist()


def simpy_model(times: list[float], durations: list[float], s: PlaygroundSettings) -> dict:
    """A plain SimPy model: limit, cold starts, reuse of the most recently freed environment."""
    import simpy

    env = simpy.Environment()
    slots = simpy.Resource(env, capacity=s.reserved)
    idle: list[float] = []  # when each idle environment will be reclaimed, newest last
    init, keep = s.init_ms / 1000.0, s.idle_reclaim_s
    counts = {"throttled": 0, "cold": 0}

    def request(duration: float):
        if slots.count >= slots.capacity:
            counts["throttled"] += 1
            return
        with slots.request() as slot:
            yield slot
            if idle and idle[-1] > env.now:
                idle.pop()
                yield env.timeout(duration)
            else:
                idle.clear()
                counts["cold"] += 1
                yield env.timeout(duration + init)
        idle.append(env.now + keep)

    def arrivals():
        last = 0.0
        for t, d in zip(times, durations, strict=True):
            yield env.timeout(t - last)
            last = t
            env.process(request(d))

    env.process(arrivals())
    env.run()
    return counts


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of repeated runs: the median and the fastest of each."""

    wall: float
    cpu: float
    wall_best: float
    cpu_best: float


def timed(repeat: int, fn: Callable[[], T]) -> tuple[Timing, T]:
    """Time ``fn`` ``repeat`` times; the timing and the last result."""
    walls, cpus = [], []
    value = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    assert value is not None
    return Timing(median(walls), median(cpus), min(walls), min(cpus)), value


def command(seconds: int) -> list[str]:
    script = Path(sys.executable).parent / "trainer"
    head = (
        [str(script)]
        if script.exists()
        else ([shutil.which("trainer")] if shutil.which("trainer") else [sys.executable, "-m", "trainer.cli"])
    )
    return [
        *head,
        "simulate",
        "--rate",
        str(RATE),
        "--duration-ms",
        str(DURATION_MS),
        "--duration-dist",
        "exponential",
        "--reserved",
        str(RESERVED),
        "--seconds",
        str(seconds),
        "--seed",
        "1",
        "--json",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=7, help="runs of our engine")
    parser.add_argument("--simpy-repeat", type=int, default=3, help="runs of the SimPy model")
    args = parser.parse_args()
    s = settings(args.seconds)

    simulate(s)  # warm-up, untimed: the first call also pays for lazy imports and memory
    ours, result = timed(args.repeat, lambda: simulate(s))
    times, durations = inputs(s)
    simpy, counts = timed(args.simpy_repeat, lambda: simpy_model(times, durations, s))

    cmd = command(args.seconds)
    cli, out = timed(3, lambda: subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    from_command = json.loads(out)

    n = len(times)
    ours_share = result.summary.throttle_fraction
    simpy_share = counts["throttled"] / n
    ratio, ratio_cpu = simpy.wall / ours.wall, simpy.cpu / ours.cpu
    report = {
        "case": {
            "seconds": args.seconds,
            "rate_per_s": RATE,
            "duration_ms": DURATION_MS,
            "duration_dist": "exponential",
            "reserved": RESERVED,
            "requests": n,
        },
        "runs": {"ours": args.repeat, "simpy": args.simpy_repeat},
        "ours_s": round(ours.wall, 4),
        "simpy_s": round(simpy.wall, 4),
        "ratio": round(ratio, 1),
        "ours_cpu_s": round(ours.cpu, 4),
        "simpy_cpu_s": round(simpy.cpu, 4),
        "ratio_cpu": round(ratio_cpu, 1),
        "fastest": {
            "ours_s": round(ours.wall_best, 4),
            "simpy_s": round(simpy.wall_best, 4),
            "ratio": round(simpy.wall_best / ours.wall_best, 1),
            "ours_cpu_s": round(ours.cpu_best, 4),
            "simpy_cpu_s": round(simpy.cpu_best, 4),
            "ratio_cpu": round(simpy.cpu_best / ours.cpu_best, 1),
        },
        "throttle_share_ours": round(ours_share, 6),
        "throttle_share_simpy": round(simpy_share, 6),
        "throttle_share_erlang_b": round(erlang_b(RESERVED, RATE * DURATION_MS / 1000), 6),
        "cold_starts_ours": result.summary.cold_starts,
        "cold_starts_simpy": counts["cold"],
        "command": " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd)),
        "command_s_median_of_3": round(cli.wall, 3),
        "command_throttle_share": round(from_command["throttle_fraction"], 6),
        "checks": {
            "same_throttle_share": abs(ours_share - simpy_share) < 1e-9,
            f"at_least_{AT_LEAST}x_faster": min(ratio, ratio_cpu) >= AT_LEAST,
            "command_under_1s": cli.wall < 1.0,
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
