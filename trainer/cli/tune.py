"""``trainer tune``: the memory and cost tuner from the command line (a Power Tuning to play with).

Give the workload and its duration at 1,024 MB (or start from a page preset) and get the
cheapest, fastest and balanced memory sizes with their cost per million invocations, and the
curve points with ``--json``. Only argparse is imported at module level: numpy and the engine
load when the command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from trainer.cli.reporting import print_result, settings_checked

if TYPE_CHECKING:
    from trainer.explainers.memory.settings import TuningSettings
    from trainer.explainers.memory.tuning import TuningResult

# The page's presets (checked against trainer.explainers.memory.presets by the tests).
PRESET_IDS = (
    "single-thread-plateau",
    "multi-thread-scales",
    "io-bound",
    "balanced-weight",
    "arm-price",
    "timeout-at-low-memory",
)
WORKLOADS = ("cpu", "cpu-multi", "io", "mixed")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "tune",
        help="memory, CPU and cost: the cheapest and fastest Lambda memory size",
        description="Model a Lambda function's duration and cost per million invocations at every "
        "memory size from 128 to 10,240 MB (CPU grows with memory: 1,769 MB is one vCPU) and "
        "report the cheapest, fastest and balanced sizes. Prices: us-east-1, first tier. Give "
        "--workload and --duration-ms-at-1024, or --preset.",
    )
    add = parser.add_argument
    add("--preset", choices=PRESET_IDS, help="start from a page preset")
    add("--workload", choices=WORKLOADS, help="what the time is spent on (default cpu)")
    add("--duration-ms-at-1024", type=float, metavar="N", help="duration measured at 1,024 MB")
    add("--arch", choices=["x86", "arm"], help="instruction set architecture (default x86)")
    add("--arm-speed", type=float, metavar="F", help="Arm's speed relative to x86 (default 1)")
    add("--init-ms-at-1024", type=float, metavar="N", help="cold-start init time at 1,024 MB")
    add("--needed-mb", type=int, metavar="N", help="memory the function needs (default 128)")
    add("--weight", type=float, metavar="F", help="balanced point: 0 = speed, 1 = cost (default 0.5)")
    add("--json", action="store_true", help="print the result and the curve points as JSON")
    parser.set_defaults(handler=run)


_DIRECT = {
    "duration_ms_at_1024": "duration_ms_at_1024",
    "arm_speed": "arm_speed",
    "init_ms_at_1024": "init_ms_at_1024",
    "needed_mb": "needed_mb",
    "weight": "cost_weight",
}


def settings_from_args(args: argparse.Namespace) -> TuningSettings:
    from trainer.cli import UsageError
    from trainer.explainers.memory.presets import PRESETS
    from trainer.explainers.memory.pricing import Arch
    from trainer.explainers.memory.settings import TuningSettings
    from trainer.explainers.memory.workloads import Workload

    if args.preset is None and (args.workload is None or args.duration_ms_at_1024 is None):
        raise UsageError("give --workload and --duration-ms-at-1024, or --preset")
    base = PRESETS[args.preset].settings if args.preset else TuningSettings()
    changes: dict[str, object] = {
        field: getattr(args, opt) for opt, field in _DIRECT.items() if getattr(args, opt) is not None
    }
    if args.workload:
        changes["workload"] = Workload(args.workload)
    if args.arch:
        changes["arch"] = Arch(args.arch)
    return base.with_(**changes)


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.memory.tuning import tune

    with settings_checked():
        result = tune(settings_from_args(args))
    return print_result(args.json, result.to_json_dict, lambda: _text(result))


def _text(result: TuningResult) -> str:
    from trainer.explainers.memory.pricing import PRICES_CHECKED, PRICES_REGION

    s = result.settings
    arch = s.arch.label + (f", {s.arm_speed:g}× x86 speed" if s.arch.value == "arm" else "")
    lines = [
        f"{s.workload.label}, {s.duration_ms_at_1024:,g} ms at 1,024 MB, {arch}",
        f"  {'':10} {'memory':>9} {'duration':>12} {'cost / 1M':>12}",
    ]
    for name, p in (
        ("cheapest", result.cheapest),
        ("fastest", result.fastest),
        ("balanced", result.balanced),
    ):
        lines.append(
            f"  {name:10} {p.memory_mb:>6,} MB {p.duration_ms:>9,.1f} ms {p.cost_per_million_usd:>11,.4f} $"
        )
    lines.append(f"  balanced at weight {s.cost_weight:g} (0 = speed, 1 = cost)")
    lines.append(
        f"  prices: {PRICES_REGION}, first tier, checked {PRICES_CHECKED}; init time not billed here"
    )
    return "\n".join(lines)
