"""The playground's presets: each one teaches one idea, with what to watch in the chart.

Preset ids are stable: content YAML links cards to them and the page loads them from
``?preset=<id>``; ``trainer simulate --preset`` offers the same ids.
"""

from __future__ import annotations

from trainer.explainers.concurrency.durations import DurationDist
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.preset import Preset
from trainer.explainers.traffic import Load, LoadKind, steady


def _presets() -> dict[str, Preset[PlaygroundSettings]]:
    neighbour = Load(LoadKind.SPIKE, level=300, peak=980, start_s=120, length_s=180)
    presets = [
        Preset(
            "noisy-neighbour",
            "A noisy neighbour eats the account limit",
            "Functions without reserved concurrency share one pool, the account limit. When "
            "another function takes most of it, this one is throttled although its own "
            "traffic never changed.",
            "At 120 s the other functions jump to 980 of the account's 1,000. The dashed "
            "limit line (account limit minus the other functions) falls from 700 to 20, "
            "below the ~30 this function needs (150 requests/s × 0.2 s), and red throttle "
            "marks appear until the neighbour calms down at 300 s.",
            PlaygroundSettings(
                traffic=steady(150),
                seconds=420,
                duration_ms=200,
                duration_dist=DurationDist.EXPONENTIAL,
                other_load=neighbour,
            ),
        ),
        Preset(
            "reserved-protects",
            "Reserved concurrency protects a critical function",
            "Reserved concurrency sets aside part of the account limit for one function: other "
            "functions can no longer take it. It is also a ceiling for that function.",
            "Same neighbour spike as before, but this function reserves 60, so the neighbour "
            "can use at most 940 of the account. The limit line stays flat at 60 and nothing "
            "is throttled. Try reserving "
            "25 to see the other side: reserved concurrency is also a ceiling, and the "
            "function is throttled all the time.",
            PlaygroundSettings(
                traffic=steady(150),
                seconds=420,
                duration_ms=200,
                duration_dist=DurationDist.EXPONENTIAL,
                other_load=neighbour,
                reserved=60,
            ),
        ),
        Preset(
            "provisioned-cold-starts",
            "Provisioned concurrency removes cold starts — at a price",
            "Provisioned environments are initialised before requests arrive, so requests "
            "they serve never wait for a cold start. You pay for them whether used or not.",
            "A spike from 20 to 200 requests/s needs about 100 environments. With 150 "
            "provisioned there are no cold-start marks and the p99 added latency is 0; the "
            "cost per day includes the provisioned charge even at the quiet times. Set "
            "provisioned to 0 to compare: cold starts when the spike hits (even a few "
            "throttles, since initialising environments count as busy) and a lower bill.",
            PlaygroundSettings(
                traffic=Load(LoadKind.SPIKE, level=20, peak=200, start_s=120, length_s=120),
                seconds=420,
                duration_ms=500,
                duration_dist=DurationDist.FIXED,
                init_ms=800,
                idle_reclaim_s=60,
                reserved=200,
                provisioned=150,
            ),
        ),
        Preset(
            "sqs-burst",
            "SQS absorbs a burst",
            "With an SQS queue in front, a burst does not get throttled: messages wait in "
            "the queue and the event source mapping works through them at the concurrency "
            "it is allowed.",
            "A 30-second burst of 3,000 messages/s. The mapping starts at 5 concurrent "
            "batches and adds up to 300 a minute (5 a second here) until MaximumConcurrency "
            "200, so "
            "the backlog climbs, peaks, then drains; no throttles. The price is latency: "
            "the p99 added latency is time spent waiting in the queue.",
            PlaygroundSettings(
                traffic=Load(LoadKind.SPIKE, level=20, peak=3000, start_s=30, length_s=30),
                seconds=240,
                duration_ms=100,
                duration_dist=DurationDist.EXPONENTIAL,
                invocation=Invocation.SQS,
                batch_size=10,
                batching_window_s=0,
                max_concurrency=200,
                reserved=250,
            ),
        ),
        Preset(
            "async-dlq",
            "Async retries end in the DLQ",
            "Lambda queues asynchronous events and retries them: throttles with a growing "
            "backoff, function errors about 1 and 2 minutes later. Events that still fail, or "
            "that grow older than the maximum event age, go to the dead-letter queue.",
            "A spike to 50 events/s meets reserved concurrency 25: events are throttled and "
            "come back after 1, 2, 4 ... s, so the queue depth and the oldest event's age "
            "climb. 20 % of attempts fail and are retried a minute later. Watch the DLQ "
            "count: events past 5 minutes old, and events that failed three times.",
            PlaygroundSettings(
                traffic=Load(LoadKind.SPIKE, level=15, peak=50, start_s=60, length_s=60),
                seconds=900,
                duration_ms=1000,
                duration_dist=DurationDist.FIXED,
                invocation=Invocation.ASYNC,
                reserved=25,
                error_rate=0.2,
                max_event_age_s=300,
                max_retry_attempts=2,
            ),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[PlaygroundSettings]] = _presets()
