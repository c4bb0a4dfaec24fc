"""Benchmark: the ECS auto scaling simulator and the page's work after a setting changes.

1. A 24-hour run at one-second resolution with at most 500 tasks (a daily wave that needs all
   500 at its peak): CPU time of ``simulate``, median of several runs (goal: < 1 s).
2. The page's rerun at the default settings, measured as the work the page does after a control
   changes: run the simulation, build the animated figure and serialise it to JSON the way
   Streamlit sends it (goal: < 300 ms). Streamlit's own overhead is not included.

Prints JSON. Run: `.venv/bin/python benchmarks/ecs_scaling.py [--repeat 5]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.charts.ecs_scaling import build_figure  # noqa: E402
from trainer.explainers.ecs_scaling.settings import EcsSettings  # noqa: E402
from trainer.explainers.ecs_scaling.simulation import simulate  # noqa: E402
from trainer.explainers.traffic import Load, LoadKind  # noqa: E402


def timed(work, repeat: int) -> tuple[float, float]:
    """(median CPU seconds, median wall seconds) of ``repeat`` runs after one warm-up."""
    work()
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return median(cpu), median(wall)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    day = EcsSettings(load=Load(LoadKind.WAVE, level=200, peak=20_000), seconds=86_400, max_tasks=500,
                      start_tasks=10, min_tasks=2)  # fmt: skip
    result = simulate(day)
    day_cpu, day_wall = timed(lambda: simulate(day), args.repeat)
    default = EcsSettings()

    def page_work() -> None:
        build_figure(simulate(default)).to_json()

    page_cpu, page_wall = timed(page_work, args.repeat)
    print(json.dumps({
        "day_at_1s_500_tasks": {
            "seconds": day.seconds, "max_desired": result.summary.max_desired,
            "scale_out_events": result.summary.scale_out_events,
            "cpu_s": round(day_cpu, 3), "wall_s": round(day_wall, 3), "goal_s": 1.0,
        },
        "page_rerun_default": {"cpu_ms": round(page_cpu * 1000, 1), "wall_ms": round(page_wall * 1000, 1),
                               "goal_ms": 300},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
