"""Stream event sources (Kinesis / DynamoDB Streams): the engine against closed forms, and the command.

Closed forms checked here:

* concurrency never exceeds shards × ParallelizationFactor (and reaches it when every lane is busy);
* with no failures and enough capacity, IteratorAge stays below the batching window plus the
  processing time;
* when processing falls behind, IteratorAge grows like t · (1 − capacity / rate);
* a poison record with bisection on reaches the destination after the number of invocations
  derived in :func:`test_bisect_poison_reaches_destination_after_derived_invocations`.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainer.cli import main
from trainer.explainers.streams.lanes import run_lane
from trainer.explainers.streams.presets import PRESETS
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.streams.simulation import simulate
from trainer.explainers.traffic import SimulationError

# Aligned full batches: 100 records/s into one shard, batches of 16 that fill in 0.15 s (well
# inside the 1 s window), and 0.5 s per batch, so the lane always has a backlog and every batch
# is exactly the next 16 records: batch boundaries fall on multiples of 16.
ALIGNED = StreamSettings(
    shards=1, records_per_second=100, batch_size=16, window_s=1, duration_ms=500, seconds=60, partition_keys=1
)


@pytest.mark.parametrize(
    "shards, factor, rate, keys",
    [(1, 1, 500, 100), (3, 4, 900, 1000), (5, 10, 1000, 7), (2, 10, 1000, 1), (8, 3, 50, 50)],
)
def test_concurrency_never_above_shards_times_factor(shards, factor, rate, keys):
    s = StreamSettings(
        shards=shards,
        parallelization_factor=factor,
        records_per_second=rate,
        partition_keys=keys,
        batch_size=10,
        duration_ms=1_000,
        seconds=30,
    )
    m = simulate(s).summary
    assert m.concurrency_limit == shards * factor
    assert m.max_concurrency <= shards * factor
    # Saturated (10 records per second per lane would be needed, far more arrive): every lane
    # the keys allow is busy, so the peak is exactly shards × min(factor, keys).
    assert m.max_concurrency == shards * min(factor, keys)


def test_concurrency_series_respects_the_limit_every_second():
    r = simulate(PRESETS["parallelization-factor"].settings)
    assert r.series.concurrency_peak.max() <= r.settings.max_concurrency
    assert r.summary.max_concurrency == 10


@pytest.mark.parametrize(
    "rate, batch, window, duration_ms, factor",
    [
        (100, 100, 0, 200, 1),
        (50, 500, 5, 1_000, 1),
        (300, 300, 1, 500, 2),
        (5, 100, 10, 200, 1),
        (999, 1000, 0, 900, 3),
    ],
)
def test_iterator_age_below_window_plus_processing_time_when_capacity_suffices(
    rate, batch, window, duration_ms, factor
):
    """Each batch takes everything written since the last one started, as long as
    rate / factor × (window + duration) < batch size. Then the newest record in a batch was
    written after the previous batch was sent, at most one duration before the lane was free,
    and the batch leaves at most one window later: IteratorAge < window + duration."""
    d = duration_ms / 1000
    assert rate / factor * (window + d) < batch  # the premise: enough capacity
    s = StreamSettings(
        shards=3,
        parallelization_factor=factor,
        records_per_second=rate,
        batch_size=batch,
        window_s=window,
        duration_ms=duration_ms,
        seconds=200,
    )
    m = simulate(s).summary
    assert m.max_iterator_age_s < window + d
    assert m.records_to_destination == 0 and m.batches_retried == 0
    assert m.backlog_at_end <= s.shards * rate * (window + d) + s.shards  # only the last batches


def test_iterator_age_grows_when_processing_falls_behind():
    """One lane does batch/duration = 50 records/s against 200 written: the batch sent at time t
    holds records written at about t × 50/200, so IteratorAge ≈ t × (1 − 50/200)."""
    r = simulate(PRESETS["falling-behind"].settings)
    s, ages = r.settings, r.series.iterator_age_s
    capacity = s.batch_size / (s.duration_ms / 1000)
    expected_end = s.seconds * (1 - capacity / s.records_per_second)
    assert r.summary.max_iterator_age_s == pytest.approx(expected_end, abs=3)
    sent = np.flatnonzero(~np.isnan(ages))
    assert np.all(np.diff(ages[sent]) >= -1e-9)  # never falls
    assert r.summary.backlog_at_end > 0


def test_parallelization_factor_keeps_up():
    slow = PRESETS["falling-behind"].settings
    fast = PRESETS["parallelization-factor"].settings
    assert fast == slow.with_(parallelization_factor=5)
    m = simulate(fast).summary
    assert m.max_iterator_age_s < fast.duration_ms / 1000
    assert m.max_iterator_age_s < simulate(slow).summary.max_iterator_age_s / 100


@pytest.mark.parametrize(
    "poison_at_s, retries",
    [(1.6, 2), (1.65, 2), (2.55, 0), (3.03, 5), (1.75, 1)],
)
def test_bisect_poison_reaches_destination_after_derived_invocations(poison_at_s, retries):
    """Derivation. In ALIGNED every batch is the next B = 16 = 2^k (k = 4) records, so the poison
    record (index j = ⌈100 × poison_at_s⌉) sits at position p = j mod 16 of its batch. The batch
    fails and is split in halves; the first half is retried first. At each of the k splits
    (sizes 16, 8, 4, 2) the poison is in the second half exactly when that bit of p is 1, and
    then the first half (all good) succeeds first: popcount(p) successful invocations. Each
    size 16, 8, 4, 2 fails once (k invocations), and a batch of one record cannot be split, so
    it fails once and is retried R times ("splitting a batch does not count towards the retry
    quota"), then it is discarded. Invocations from the poison's first batch to its discard:

        k + popcount(p) + 1 + R

    and exactly one record reaches the destination."""
    s = ALIGNED.with_(poison_at_s=poison_at_s, bisect=True, max_retry_attempts=retries)
    r = simulate(s)
    j = math.ceil(round(100 * poison_at_s, 9))
    p = j % 16
    expected = 4 + bin(p).count("1") + 1 + retries
    assert r.summary.poison_invocations == expected
    assert r.summary.records_to_destination == 1
    assert r.summary.records_processed + 1 + r.summary.backlog_at_end == r.summary.records_written
    # Every batch before the poison's was the full next 16 records (the premise of the derivation).
    firsts = [first for _, _, first, _, _ in r.poison_lane]
    stops = [stop for _, _, _, stop, _ in r.poison_lane]
    before = [i for i, stop in enumerate(stops) if stop <= j - p]
    assert all(stops[i] - firsts[i] == 16 and firsts[i] % 16 == 0 for i in before)


def test_without_bisect_the_whole_batch_goes_after_one_plus_retries():
    r = simulate(ALIGNED.with_(poison_at_s=1.65, max_retry_attempts=3))
    assert r.summary.poison_invocations == 1 + 3
    assert r.summary.records_to_destination == 16
    assert r.summary.batches_retried == 3


def test_report_batch_item_failures_checkpoints_records_before_the_poison():
    """Position p = 165 mod 16 = 5: five records are checkpointed, the other 11 are retried and dropped."""
    r = simulate(ALIGNED.with_(poison_at_s=1.65, max_retry_attempts=1, report_batch_item_failures=True))
    assert r.summary.records_to_destination == 16 - 5
    assert r.summary.poison_invocations == 2


def test_poison_blocks_only_its_shard_with_default_retries():
    r = simulate(PRESETS["poison-blocks-shard"].settings)
    s, m = r.settings, r.summary
    assert s.max_retry_attempts == -1 and s.max_record_age_s == -1
    assert m.poison_invocations is None and m.records_to_destination == 0
    # Shard 0 stops at the poison's batch; the other shards process everything sent to them.
    per_shard = math.ceil(s.records_per_second * s.seconds)
    blocked = per_shard - 3000  # the poison (written at 30.5 s) is in the batch starting at record 3000
    assert m.backlog_at_end >= blocked
    assert m.records_processed >= (s.shards - 1) * (per_shard - s.batch_size) + 3000 - s.batch_size
    assert m.max_iterator_age_s == pytest.approx(s.seconds - 30.5, abs=2)
    assert m.batches_retried > 1000


def test_record_age_limit_ends_the_block():
    r = simulate(PRESETS["record-age-limit"].settings)
    m = r.summary
    assert m.records_to_destination == 100
    assert m.poison_discarded_at_s is not None and 90 < m.poison_discarded_at_s < 92
    assert 59 < m.max_iterator_age_s <= 60
    assert m.backlog_at_end < 1000


def test_no_destination_loses_the_records():
    r = simulate(PRESETS["retry-limit"].settings.with_(on_failure_destination=False))
    assert r.summary.records_discarded == 100 and r.summary.records_to_destination == 0


def test_in_order_per_partition_key():
    """Each key stays in one lane, and a lane's batches cover its records once, in order."""
    s = StreamSettings(parallelization_factor=3, partition_keys=7, records_per_second=50, seconds=20)
    arrivals = np.arange(1000) / 50
    run = run_lane(arrivals, None, s)
    assert run.firsts[0] == 0
    assert all(b == a for a, b in zip(run.stops, run.firsts[1:], strict=False))  # contiguous, increasing
    assert all(a < b for a, b in zip(run.starts, run.starts[1:], strict=False))  # one batch at a time


def test_bisect_retries_halves_in_order():
    s = ALIGNED.with_(bisect=True, max_retry_attempts=0)
    run = run_lane(np.arange(64) / 100, 13, s)
    failed = [(f, t) for f, t, bad in zip(run.firsts, run.stops, run.failed, strict=True) if bad]
    assert failed == [(0, 16), (8, 16), (12, 16), (12, 14), (13, 14)]
    assert run.dropped_counts == [1]


def test_presets_run_and_teach():
    assert set(PRESETS) >= {
        "falling-behind",
        "parallelization-factor",
        "bisect-isolates",
        "hot-partition-key",
    }
    for preset in PRESETS.values():
        assert preset.idea and preset.watch and preset.settings.problems() == []
    assert simulate(PRESETS["bisect-isolates"].settings).summary.poison_invocations == 11
    assert simulate(PRESETS["hot-partition-key"].settings).summary.max_concurrency == 4
    window = simulate(PRESETS["batching-window"].settings).summary
    no_window = simulate(PRESETS["batching-window"].settings.with_(window_s=0)).summary
    assert window.max_record_wait_s == pytest.approx(10, abs=0.5)
    assert no_window.invocations > 40 * window.invocations


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"parallelization_factor": 11}, "ParallelizationFactor must be between 1 and 10"),
        ({"parallelization_factor": 0}, "ParallelizationFactor must be between 1 and 10"),
        ({"batch_size": 10_001}, "BatchSize must be between 1 and 10,000"),
        ({"window_s": 301}, "MaximumBatchingWindowInSeconds"),
        ({"max_retry_attempts": 10_001}, "MaximumRetryAttempts"),
        ({"max_retry_attempts": -2}, "MaximumRetryAttempts"),
        ({"max_record_age_s": 30}, "MaximumRecordAgeInSeconds must be -1 (infinite) or 60"),
        ({"records_per_second": 1_001}, "1,000 records/s"),
        ({"records_per_second": float("nan")}, "Records per second"),
        ({"seconds": 0}, "Simulated time"),
        ({"poison_at_s": 400}, "poison record"),
        ({"duration_ms": 0}, "Duration"),
        ({"shards": 1.5}, "Shards"),
        ({"records_per_second": 1000, "seconds": 3600}, "records to simulate"),
    ],
)
def test_bad_settings_are_refused_with_a_plain_message(change, fragment):
    with pytest.raises(SimulationError) as err:
        simulate(StreamSettings().with_(**change))
    assert fragment in str(err.value)


def test_cli_json_has_the_documented_keys(capsys):
    argv = [
        "simulate", "stream", "--shards", "1", "--parallelization-factor", "1", "--records-per-second", "100",
        "--batch-size", "16", "--window-s", "1", "--duration-ms", "500", "--seconds", "60",
        "--poison-at-s", "1.6", "--bisect", "--max-retry-attempts", "2", "--json",
    ]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    for key in (
        "max_concurrency",
        "max_iterator_age_s",
        "records_processed",
        "records_to_destination",
        "batches_retried",
    ):
        assert key in out
    assert out["max_concurrency"] == 1
    assert out["records_to_destination"] == 1
    assert out["poison_invocations"] == 4 + 0 + 1 + 2


def test_cli_text_and_preset(capsys):
    assert main(["simulate", "stream", "--preset", "retry-limit"]) == 0
    out = capsys.readouterr().out
    assert "100 to the on-failure destination" in out and "after 3 invocations" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--parallelization-factor", "11"], "ParallelizationFactor must be between 1 and 10"),
        (["--batch-size", "abc"], "invalid int value: 'abc'"),
        (["--max-record-age-s", "10"], "MaximumRecordAgeInSeconds"),
        (["--preset", "nope"], "invalid choice"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(argv, fragment, capsys):
    code: object
    try:
        code = main(["simulate", "stream", *argv])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_content_links_name_real_presets_and_every_preset_is_linked():
    from trainer.content.loader import load_bank

    bank = load_bank()
    items = [*bank.cards.values(), *bank.questions.values()]
    linked = [i.explainer.preset for i in items if i.explainer and i.explainer.page == "streams"]
    assert set(linked) <= set(PRESETS)
    assert set(linked) == set(PRESETS)
    cards = [c for c in bank.cards.values() if c.explainer and c.explainer.page == "streams"]
    questions = [q for q in bank.questions.values() if q.explainer and q.explainer.page == "streams"]
    assert len(cards) >= 6 and len(questions) >= 6
