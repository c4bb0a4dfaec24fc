"""``trainer simulate``: run the Lambda concurrency simulator from the command line.

Start from the defaults or a playground preset (``--preset``), override any setting, and get
a summary (or ``--json``). Only argparse is imported at module level: the simulator (and
numpy) load when the command runs, so other sub-commands start as fast as before.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.cli.reporting import add_budget_options, budget_from, print_result, settings_checked

if TYPE_CHECKING:  # the simulator loads when the command runs, not when the CLI starts
    from trainer.explainers.concurrency.results import SimulationResult
    from trainer.explainers.concurrency.settings import PlaygroundSettings

# The other simulations, each a sub-command ``trainer simulate <name>`` of its own module with a
# ``register(subparsers)`` function; plain ``trainer simulate`` stays the concurrency simulator.
SCENARIO_MODULES: tuple[str, ...] = (
    "trainer.cli.simulate_canary",
    "trainer.cli.simulate_connections",
    "trainer.cli.simulate_ecs",
    "trainer.cli.simulate_stream",
    "trainer.cli.simulate_study",
)

CSV_MAX_BYTES = 8 * 1024 * 1024

PRESET_IDS = ("noisy-neighbour", "reserved-protects", "provisioned-cold-starts", "sqs-burst", "async-dlq")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "simulate",
        help="simulate Lambda concurrency, throttles and cold starts",
        description="Simulate a Lambda function under load: concurrency against the limits, "
        "throttles, cold starts, async retries and the DLQ, SQS backlog, and cost. Unset "
        "options come from --preset, or the defaults.",
    )
    add = parser.add_argument
    add("--preset", choices=PRESET_IDS, help="start from a playground preset")
    traffic = parser.add_argument_group("traffic")
    traffic.add_argument("--rate", type=float, help="requests per second (steady, or the base)")
    traffic.add_argument(
        "--pattern", choices=["steady", "ramp", "spike", "wave"], help="shape of the traffic (default steady)"
    )
    traffic.add_argument("--peak", type=float, help="ramp end / spike / wave top, requests/s")
    traffic.add_argument("--start", type=float, help="spike or ramp start, seconds")
    traffic.add_argument("--length", type=float, help="spike or ramp length, seconds")
    traffic.add_argument("--csv", type=Path, help="per-second rates, one per line (repeats)")
    function = parser.add_argument_group("function")
    function.add_argument("--duration-ms", type=float, help="mean handler duration (default 100)")
    function.add_argument(
        "--duration-dist",
        choices=["fixed", "exponential", "lognormal"],
        help="duration distribution (default exponential)",
    )
    function.add_argument("--p99-ms", type=float, help="lognormal p99 (default 3 × the mean)")
    function.add_argument("--memory-mb", type=int, help="memory (default 1024)")
    function.add_argument("--init-ms", type=float, help="cold-start init time (default 300)")
    function.add_argument(
        "--idle-reclaim-s", type=float, help="idle environments reclaimed after this long (default 300)"
    )
    limits = parser.add_argument_group("limits")
    limits.add_argument("--account-limit", type=int, help="account concurrency (default 1000)")
    limits.add_argument(
        "--other-load", type=float, help="concurrency other functions use (steady, default 0)"
    )
    limits.add_argument("--reserved", type=int, help="reserved concurrency (default none)")
    limits.add_argument("--provisioned", type=int, help="provisioned concurrency (default 0)")
    invoke = parser.add_argument_group("invocation")
    invoke.add_argument(
        "--invocation", choices=["sync", "async", "sqs"], help="invocation type (default sync)"
    )
    invoke.add_argument("--caller-retries", type=int, help="sync: caller retries on 429")
    invoke.add_argument("--error-rate", type=float, help="share of attempts that fail (0-1)")
    invoke.add_argument("--max-event-age", type=int, help="async: MaximumEventAgeInSeconds")
    invoke.add_argument("--max-retry-attempts", type=int, help="async: MaximumRetryAttempts")
    invoke.add_argument("--batch-size", type=int, help="SQS: BatchSize (default 10)")
    invoke.add_argument("--batching-window", type=int, help="SQS: MaximumBatchingWindowInSeconds (default 0)")
    invoke.add_argument("--max-concurrency", type=int, help="SQS: ScalingConfig MaximumConcurrency")
    add("--seconds", type=int, help="simulated seconds (default 600)")
    add("--seed", type=int, help="random seed (default 1)")
    add("--json", action="store_true", help="print the summary as JSON")
    add("--series", action="store_true", help="with --json: add the per-second series")
    add_budget_options(parser)
    parser.set_defaults(handler=run)
    if SCENARIO_MODULES:
        scenarios = parser.add_subparsers(dest="scenario", metavar="SCENARIO", title="other simulations")
        for name in SCENARIO_MODULES:
            importlib.import_module(name).register(scenarios)


# Option name -> PlaygroundSettings field, for options that map one to one.
_DIRECT = {
    "duration_ms": "duration_ms",
    "p99_ms": "duration_p99_ms",
    "memory_mb": "memory_mb",
    "init_ms": "init_ms",
    "idle_reclaim_s": "idle_reclaim_s",
    "account_limit": "account_limit",
    "reserved": "reserved",
    "provisioned": "provisioned",
    "caller_retries": "caller_retries",
    "error_rate": "error_rate",
    "max_event_age": "max_event_age_s",
    "max_retry_attempts": "max_retry_attempts",
    "batch_size": "batch_size",
    "batching_window": "batching_window_s",
    "max_concurrency": "max_concurrency",
    "seconds": "seconds",
    "seed": "seed",
}


def settings_from_args(args: argparse.Namespace) -> PlaygroundSettings:
    """The playground settings from the preset (or defaults) with every given option applied."""
    from trainer.explainers.concurrency.durations import DurationDist
    from trainer.explainers.concurrency.presets import PRESETS
    from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
    from trainer.explainers.traffic import Load, LoadKind, SimulationError, parse_rates_csv, steady

    base = PRESETS[args.preset].settings if args.preset else PlaygroundSettings()
    changes = {field: getattr(args, opt) for opt, field in _DIRECT.items() if getattr(args, opt) is not None}
    if args.duration_dist:
        changes["duration_dist"] = DurationDist(args.duration_dist)
    if args.invocation:
        changes["invocation"] = Invocation(args.invocation)
    if args.other_load is not None:
        changes["other_load"] = steady(args.other_load)
    traffic = base.traffic
    if args.csv is not None:
        from trainer.content.limits import RefusedFile, read_text

        try:  # a regular file of at most 8 MB (a day of per-second rates is about 1 MB): not /dev/zero
            text = read_text(args.csv, None, CSV_MAX_BYTES)
        except RefusedFile as exc:
            raise SimulationError(f"can't read {args.csv}: {exc}") from None
        traffic = Load(LoadKind.CSV, values=parse_rates_csv(text))
    elif any(v is not None for v in (args.rate, args.pattern, args.peak, args.start, args.length)):
        kind = (
            LoadKind(args.pattern)
            if args.pattern
            else (traffic.kind if traffic.kind is not LoadKind.CSV else LoadKind.STEADY)
        )
        traffic = Load(
            kind,
            level=_pick(args.rate, traffic.level),
            peak=_pick(args.peak, traffic.peak),
            start_s=_pick(args.start, traffic.start_s),
            length_s=_pick(args.length, traffic.length_s),
        )
    changes["traffic"] = traffic
    return base.with_(**changes)


def _pick(value: float | None, default: float) -> float:
    return default if value is None else value


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.concurrency.simulation import simulate

    with settings_checked():
        result = simulate(settings_from_args(args), budget=budget_from(args))

    def json_of() -> dict[str, Any]:
        out = result.to_json_dict()
        if args.series:
            out["series"] = _series(result)
        return out

    return print_result(args.json, json_of, lambda: _text(result))


def _series(result: SimulationResult) -> dict[str, list[float]]:
    steps = result.steps
    names = (
        "arrivals",
        "invocations",
        "concurrency_peak",
        "concurrency_mean",
        "provisioned_in_use",
        "throttles",
        "cold_starts",
        "queue_depth",
        "oldest_age_s",
        "dlq",
        "cost_on_demand",
        "cost_provisioned",
        "limit",
        "other_load",
    )
    return {name: [round(float(v), 6) for v in getattr(steps, name)] for name in names}


def _text(result: SimulationResult) -> str:
    s, m = result.settings, result.summary
    limit = (
        f"reserved {s.reserved}" if s.reserved is not None else (f"unreserved (account {s.account_limit:,})")
    )
    lines = [
        f"{s.invocation.label}, {s.traffic.describe('req/s')}, {s.duration_dist.value} "
        f"{s.duration_ms:g} ms, {limit}, provisioned {s.provisioned}, {s.seconds} s simulated",
        f"  arrivals        {m.arrivals:,}",
        f"  invocations     {m.invocations:,}",
        f"  throttled       {m.throttled:,} ({100 * m.throttle_fraction:.2f} % of attempts)",
        f"  cold starts     {m.cold_starts:,} ({100 * m.cold_start_fraction:.2f} %)",
        f"  peak / mean     {m.peak_concurrency} / {m.mean_concurrency:.1f} concurrent",
        f"  p99 added       {m.p99_added_latency_ms:,.0f} ms",
        f"  cost per day    ${m.cost_per_day_usd:,.2f}",
    ]
    if m.erlang_b is not None:
        lines.append(
            f"  Erlang-B says   {100 * m.erlang_b:.2f} % throttled (offered load {m.offered_load:g})"
        )
    if s.invocation.value == "async":
        lines.append(
            f"  to DLQ          {m.dlq:,}; max queue depth {m.max_queue_depth:,}, "
            f"oldest event {m.max_oldest_age_s:,.0f} s"
        )
    if s.invocation.value == "sqs":
        lines.append(f"  max backlog     {m.max_queue_depth:,} messages, oldest {m.max_oldest_age_s:,.0f} s")
    return "\n".join(lines)
