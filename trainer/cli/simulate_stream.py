"""``trainer simulate stream``: a Kinesis or DynamoDB stream event source mapping.

Start from the defaults or a preset of the streams explainer (``--preset``), override any
setting, and get a summary (or ``--json``: max_concurrency, max_iterator_age_s,
records_processed, records_to_destination, batches_retried and the rest of the summary). The
simulator loads when the command runs, not when the CLI starts.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from trainer.cli.reporting import add_budget_options, budget_from, print_result, settings_checked

if TYPE_CHECKING:
    from trainer.explainers.streams.results import StreamResult
    from trainer.explainers.streams.settings import StreamSettings

PRESET_IDS = (
    "falling-behind",
    "parallelization-factor",
    "batching-window",
    "poison-blocks-shard",
    "retry-limit",
    "bisect-isolates",
    "batch-item-failures",
    "record-age-limit",
    "hot-partition-key",
)

# Option name -> StreamSettings field, for options that map one to one.
_DIRECT = {
    "shards": "shards",
    "parallelization_factor": "parallelization_factor",
    "records_per_second": "records_per_second",
    "partition_keys": "partition_keys",
    "batch_size": "batch_size",
    "window_s": "window_s",
    "duration_ms": "duration_ms",
    "seconds": "seconds",
    "poison_at_s": "poison_at_s",
    "max_retry_attempts": "max_retry_attempts",
    "max_record_age_s": "max_record_age_s",
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "stream",
        help="simulate a Kinesis or DynamoDB stream event source mapping",
        description="Simulate Lambda reading a Kinesis or DynamoDB stream: shards × "
        "ParallelizationFactor concurrency, batching, IteratorAge, and a poison record with "
        "retries, bisection, ReportBatchItemFailures and an on-failure destination. Unset options "
        "come from --preset, or the defaults.",
    )
    add = parser.add_argument
    add("--preset", choices=PRESET_IDS, help="start from a preset of the streams explainer")
    add("--shards", type=int, help="shards in the stream (default 4)")
    add("--parallelization-factor", type=int, help="ParallelizationFactor, 1-10 (default 1)")
    add("--records-per-second", type=float, help="records written to each shard per second (default 100)")
    add("--partition-keys", type=int, help="distinct partition keys in each shard (default 1000)")
    add("--batch-size", type=int, help="BatchSize, 1-10000 (default 100)")
    add("--window-s", type=int, help="MaximumBatchingWindowInSeconds, 0-300 (default 0)")
    add("--duration-ms", type=float, help="how long one invocation takes (default 200)")
    add("--seconds", type=int, help="simulated seconds (default 300)")
    add("--poison-at-s", type=float, help="a record written to shard 0 at this time always fails")
    add("--bisect", action="store_true", default=None, help="BisectBatchOnFunctionError")
    add(
        "--report-batch-item-failures",
        action="store_true",
        default=None,
        help="FunctionResponseTypes ReportBatchItemFailures",
    )
    add("--max-retry-attempts", type=int, help="MaximumRetryAttempts, -1 (default, infinite) to 10000")
    add("--max-record-age-s", type=int, help="MaximumRecordAgeInSeconds, -1 (default) or 60-604800")
    add("--no-destination", action="store_true", help="no on-failure destination: discarded records are lost")
    add("--json", action="store_true", help="print the summary as JSON")
    add_budget_options(parser)
    parser.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> StreamSettings:
    from trainer.explainers.streams.presets import PRESETS
    from trainer.explainers.streams.settings import StreamSettings

    base = PRESETS[args.preset].settings if args.preset else StreamSettings()
    changes: dict[str, Any] = {
        field: getattr(args, opt) for opt, field in _DIRECT.items() if getattr(args, opt) is not None
    }
    if args.bisect:
        changes["bisect"] = True
    if args.report_batch_item_failures:
        changes["report_batch_item_failures"] = True
    if args.no_destination:
        changes["on_failure_destination"] = False
    return base.with_(**changes)


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.streams.simulation import simulate

    with settings_checked():
        result = simulate(settings_from_args(args), budget_from(args))
    return print_result(args.json, result.summary.to_json_dict, lambda: _text(result))


def _text(result: StreamResult) -> str:
    s, m = result.settings, result.summary
    lines = [
        f"{s.shards} shards × ParallelizationFactor {s.parallelization_factor}, "
        f"{s.records_per_second:g} records/s per shard, BatchSize {s.batch_size}, window {s.window_s} s, "
        f"{s.duration_ms:g} ms per batch, {s.seconds} s simulated",
        f"  concurrency     {m.max_concurrency} at most (limit {m.concurrency_limit})",
        f"  IteratorAge     {m.max_iterator_age_s:,.2f} s at most; "
        f"longest record wait {m.max_record_wait_s:,.2f} s",
        f"  records         {m.records_written:,} written, {m.records_processed:,} processed, "
        f"{m.backlog_at_end:,} still waiting",
        f"  invocations     {m.invocations:,} ({m.failed_invocations:,} failed, "
        f"{m.batches_retried:,} retries)",
        f"  discarded       {m.records_discarded:,} records"
        + (
            f", {m.records_to_destination:,} to the on-failure destination"
            if s.on_failure_destination
            else " (lost)"
        ),
    ]
    if m.poison_invocations is not None and m.poison_discarded_at_s is not None:
        lines.append(
            f"  poison record   discarded at {m.poison_discarded_at_s:,.2f} s "
            f"after {m.poison_invocations} invocations"
        )
    elif s.poison_at_s is not None:
        lines.append("  poison record   still blocking its shard at the end of the run")
    return "\n".join(lines)
