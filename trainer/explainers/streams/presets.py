"""The stream explainer's presets: each teaches one idea, with what to watch in the chart.

Preset ids are stable: content YAML links cards to them (``explainer: {page: streams, preset:
<id>}``), the page loads them from ``?preset=<id>`` and ``trainer simulate stream --preset``
offers the same ids.
"""

from __future__ import annotations

from trainer.explainers.preset import Preset
from trainer.explainers.streams.settings import StreamSettings


def _presets() -> dict[str, Preset[StreamSettings]]:
    slow = StreamSettings(shards=2, records_per_second=200, batch_size=100, duration_ms=2_000, seconds=300)
    poison = StreamSettings(
        shards=4, records_per_second=100, batch_size=100, window_s=1, seconds=300, poison_at_s=30.5
    )
    presets = [
        Preset(
            "falling-behind",
            "Processing falls behind: IteratorAge climbs",
            "Each shard is read by one batch at a time (ParallelizationFactor 1). When the function "
            "handles fewer records per second than the shard receives, the backlog grows and so "
            "does IteratorAge, the age of the newest record in each batch sent.",
            "200 records/s per shard, but a batch of 100 takes 2 s: each shard can do only 50 "
            "records/s. Concurrency sits at 2 (one per shard) while the backlog and IteratorAge "
            "rise in a straight line all run long.",
            slow,
        ),
        Preset(
            "parallelization-factor",
            "ParallelizationFactor catches up",
            "ParallelizationFactor (1 to 10) lets Lambda run several batches from the same shard at "
            "once, still in order for each partition key. Concurrency can reach shards × factor.",
            "Same stream and function as “falling-behind”, factor 5: up to 10 batches at once "
            "(2 shards × 5). The backlog stays flat and IteratorAge stays under the 2 s a batch "
            "takes. Try 3: 6 batches of 100 every 2 s is 300 records/s, still short of 400.",
            slow.with_(parallelization_factor=5),
        ),
        Preset(
            "batching-window",
            "A batching window trades latency for fewer invocations",
            "With MaximumBatchingWindowInSeconds 0 Lambda invokes as soon as records are there. A "
            "window lets it wait to fill the batch: fewer, fuller invocations, older records.",
            "5 records/s per shard and a 10 s window: each batch waits the full window and holds "
            "about 50 records, so the oldest record in a batch has waited 10 s (IteratorAge, the "
            "newest record's age, stays near 0). Set the window to 0 to compare: about 50 times "
            "as many invocations, of one record each, and almost no waiting.",
            StreamSettings(shards=2, records_per_second=5, batch_size=100, window_s=10, seconds=300),
        ),
        Preset(
            "poison-blocks-shard",
            "A poison record blocks its shard",
            "By default (MaximumRetryAttempts and MaximumRecordAgeInSeconds −1) a batch that fails "
            "is retried until it succeeds or its records leave the stream. Records behind it in "
            "the same shard wait the whole time.",
            "At 30 s a record that always fails arrives in shard 0. From then on the failing batch "
            "is retried over and over (red): shard 0's IteratorAge and the backlog grow without "
            "end, while the other three shards carry on.",
            poison,
        ),
        Preset(
            "retry-limit",
            "MaximumRetryAttempts gives up on the whole batch",
            "With a retry limit Lambda stops retrying after that many retries, discards the batch "
            "and sends its details to the on-failure destination. Every record of the batch is "
            "skipped, good ones included.",
            "MaximumRetryAttempts 2: the batch of 100 holding the poison record (written at "
            "30.5 s) is tried 3 times, then all 100 records go to the destination and shard 0 "
            "moves on. Compare with “bisect-isolates”, where only the bad record goes.",
            poison.with_(max_retry_attempts=2),
        ),
        Preset(
            "bisect-isolates",
            "BisectBatchOnFunctionError isolates the bad record",
            "Splitting a failed batch in two and retrying each half narrows the failure down to "
            "one record. Splits do not count as retries, so only that record uses the retries "
            "and reaches the destination.",
            "MaximumRetryAttempts 2 with bisect on: the batch of 100 fails, its first half "
            "succeeds, then halves of 50, 25, 13, 7, 4 and 2 fail until the poison record is "
            "alone; it is retried twice more and exactly 1 record goes to the destination, after "
            "11 invocations in all.",
            poison.with_(max_retry_attempts=2, bisect=True),
        ),
        Preset(
            "batch-item-failures",
            "ReportBatchItemFailures checkpoints the good records",
            "With ReportBatchItemFailures the function returns the first record that failed. "
            "Lambda checkpoints everything before it and retries from that record, so records "
            "already processed are not processed again.",
            "MaximumRetryAttempts 2, no bisect: the records before the poison in its batch are "
            "checkpointed on the first attempt, and only the poison and the records after it in "
            "that batch go to the destination — fewer than the 100 of “retry-limit”.",
            poison.with_(max_retry_attempts=2, report_batch_item_failures=True),
        ),
        Preset(
            "record-age-limit",
            "MaximumRecordAgeInSeconds drops what waited too long",
            "A maximum record age ends the retries once the failing batch is that old, even with "
            "unlimited retry attempts: it bounds how long one bad record can hold up its shard.",
            "MaximumRecordAgeInSeconds 60 and unlimited retries: the poison batch is retried for "
            "a minute (shard 0's IteratorAge climbs to 60 s), then the whole batch of 100 is "
            "discarded to the destination and the backlog behind it drains in a few seconds.",
            poison.with_(max_record_age_s=60),
        ),
        Preset(
            "hot-partition-key",
            "Order per partition key limits parallelism",
            "Lambda processes records with the same partition key in order, so a shard cannot "
            "run more batches at once than it has keys in play, whatever the factor.",
            "ParallelizationFactor 10 on 2 shards, but only 2 partition keys per shard: "
            "concurrency tops out at 4, not 20, and the shards fall behind. Raise the keys to "
            "10 or more and it reaches 20.",
            slow.with_(parallelization_factor=10, partition_keys=2, records_per_second=300),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[StreamSettings]] = _presets()
