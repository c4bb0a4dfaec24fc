"""The Lambda concurrency simulator: right answers, documented schedules, friendly errors.

Statistical checks use fixed seeds and a tolerance of four standard errors. Throttles come in
clusters (one busy moment throttles several requests in a row), so the binomial standard error
understates the real spread; the tolerance uses the larger of it and the batch-means estimate
(10-second batches: far longer than a busy spell, so practically independent).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.cli import main
from trainer.cli.simulate import PRESET_IDS
from trainer.explainers.concurrency.durations import DurationDist, draw_durations
from trainer.explainers.concurrency.erlang import erlang_b
from trainer.explainers.concurrency.presets import PRESETS
from trainer.explainers.concurrency.results import SimulationResult
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.concurrency.simulation import simulate
from trainer.explainers.traffic import Load, LoadKind, SimulationError, arrival_times, parse_rates_csv, steady

ROOT = Path(__file__).resolve().parent.parent


# --- Erlang-B ---------------------------------------------------------------------------------


def erlang_b_direct(c: int, a: float) -> float:
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


@pytest.mark.parametrize("c,a", [(0, 3.0), (1, 1.0), (5, 3.0), (10, 10.0), (30, 25.0)])
def test_erlang_b_recursion_matches_the_closed_form(c, a):
    assert erlang_b(c, a) == pytest.approx(erlang_b_direct(c, a), rel=1e-12)


def test_erlang_b_known_value():
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(100, 100.0) == pytest.approx(0.0757, abs=5e-5)


def _tolerance(result: SimulationResult, share: float, batch_s: int = 10) -> float:
    steps = result.steps
    n = result.summary.arrivals
    binomial = math.sqrt(share * (1 - share) / n)
    k = steps.seconds // batch_s
    arrivals = steps.arrivals[: k * batch_s].reshape(k, batch_s).sum(axis=1)
    throttles = steps.throttles[: k * batch_s].reshape(k, batch_s).sum(axis=1)
    batch_means = float(np.std(throttles / arrivals, ddof=1) / math.sqrt(k))
    return 4 * max(binomial, batch_means)


# How close the simulated throttle share must come to Erlang-B, absolute, in every case below.
ERLANG_AGREEMENT = 0.005

ERLANG_CASES = [
    # rate/s, mean ms, distribution, limit, seconds, extra settings. Each run is long enough
    # that four standard errors of its throttle share are under ERLANG_AGREEMENT (the test
    # checks that too), so passing shows agreement to 0.005 rather than luck.
    (1000, 100, DurationDist.EXPONENTIAL, 100, 900, {}),
    (50, 200, DurationDist.FIXED, 10, 6000, {}),
    (200, 50, DurationDist.LOGNORMAL, 12, 2400, {"duration_p99_ms": 200}),
    (100, 1000, DurationDist.EXPONENTIAL, 110, 3600, {}),
    (75, 200, DurationDist.LOGNORMAL, 15, 12000, {"duration_p99_ms": 800, "seed": 7}),
    # the limit comes from the account (1,000 minus 900 used by other functions) ...
    (1000, 100, DurationDist.FIXED, None, 600, {"other_load": steady(900)}),
    # ... and provisioned environments count towards the limit
    (1000, 100, DurationDist.EXPONENTIAL, 100, 900, {"provisioned": 40, "seed": 3}),
    # cold starts (init time on top of the first requests' durations) and idle reclaim as
    # the playground has them by default: too few in a steady run to move the share
    (100, 1000, DurationDist.EXPONENTIAL, 110, 3600, {"init_ms": 300, "idle_reclaim_s": 60, "seed": 11}),
]


@pytest.mark.parametrize("rate,ms,dist,limit,seconds,extra", ERLANG_CASES)
def test_sync_throttle_share_matches_erlang_b(rate, ms, dist, limit, seconds, extra):
    settings = PlaygroundSettings(
        traffic=steady(rate),
        duration_ms=ms,
        duration_dist=dist,
        reserved=limit,
        seconds=seconds,
        **{"init_ms": 0, **extra},
    )
    result = simulate(settings)
    c = limit if limit is not None else 100
    expected = erlang_b(c, rate * ms / 1000)
    assert 0.01 < expected < 0.3  # moderate blocking: the interesting range
    got = result.summary.throttle_fraction
    tolerance = _tolerance(result, expected)
    assert tolerance < ERLANG_AGREEMENT, f"run too short to show agreement to {ERLANG_AGREEMENT}"
    assert abs(got - expected) < tolerance, (got, expected)
    assert result.summary.erlang_b == pytest.approx(expected)
    assert result.summary.peak_concurrency == c


def test_unthrottled_concurrency_is_rate_times_duration():
    settings = PlaygroundSettings(traffic=steady(200), duration_ms=250, seconds=600, seed=5)
    result = simulate(settings)
    assert result.summary.throttled == 0
    steady_part = result.steps.concurrency_mean[30:]  # skip the first seconds from empty
    assert steady_part.mean() == pytest.approx(200 * 0.25, rel=0.02)


def test_mean_concurrency_is_busy_time_over_time():
    """The per-second means integrate to the total handler (+ init) time of all invocations."""
    settings = PlaygroundSettings(
        traffic=steady(50), duration_ms=400, seconds=120, init_ms=500, duration_dist=DurationDist.FIXED
    )
    result = simulate(settings)
    s = result.summary
    busy = s.invocations * 0.4 + s.cold_starts * 0.5
    tail = 0.9  # requests still running at the end are cut off
    assert result.steps.concurrency_mean.sum() == pytest.approx(busy, abs=50 * tail)


# --- Exactness against a plain reference model ------------------------------------------------


def reference_model(times, durations, limits, pc, init, keep):
    """Explicit environments, one request at a time: slow and obvious. Returns the throttled
    and cold request indexes."""
    environments: list[dict] = []  # on-demand: {"free": t}
    pc_free = [0.0] * pc
    throttled, cold = [], []
    window, made = -1, 0
    for i, (t, d) in enumerate(zip(times, durations, strict=True)):
        environments = [e for e in environments if e["free"] > t or e["free"] + keep > t]
        free_pc = [j for j, f in enumerate(pc_free) if f <= t]
        if free_pc:
            pc_free[free_pc[0]] = t + d
            continue
        running = sum(1 for e in environments if e["free"] > t)
        if running >= limits[int(t)]:
            throttled.append(i)
            continue
        idle = [e for e in environments if e["free"] <= t]
        if idle:
            max(idle, key=lambda e: e["free"])["free"] = t + d  # most recently freed
            continue
        if int(t // 10) != window:
            window, made = int(t // 10), 0
        if made >= 1000:
            throttled.append(i)
            continue
        made += 1
        environments.append({"free": t + d + init})
        cold.append(i)
    return throttled, cold


@pytest.mark.parametrize("pc,keep", [(0, 2.0), (3, 1.5), (0, 30.0), (0, 1.0)])
def test_engine_matches_the_reference_model_exactly(pc, keep):
    other = Load(LoadKind.SPIKE, level=0, peak=995, start_s=20, length_s=10)
    settings = PlaygroundSettings(
        traffic=Load(LoadKind.WAVE, level=2, peak=60),
        seconds=60,
        duration_ms=150,
        duration_dist=DurationDist.LOGNORMAL,
        duration_p99_ms=900,
        init_ms=400,
        idle_reclaim_s=keep,
        other_load=other,
        provisioned=pc,
        seed=11,
    )
    result = simulate(settings)
    rng = np.random.default_rng(settings.seed)
    times = arrival_times(settings.traffic.per_second(settings.seconds), rng)
    durations = draw_durations(settings.duration_dist, settings.duration_ms, settings.p99_ms, len(times), rng)
    limits = np.maximum(settings.function_limit() - pc, 0)
    throttled, cold = reference_model(times.tolist(), durations.tolist(), limits, pc, 0.4, keep)
    assert len(throttled) > 0 and len(cold) > 5
    assert result.summary.throttled == len(throttled)
    assert result.summary.cold_starts == len(cold)
    np.testing.assert_array_equal(
        result.steps.throttles, np.bincount(np.floor(times[throttled]).astype(int), minlength=60)
    )


@pytest.mark.parametrize("provisioned,keep", [(10, 3), (0, 3), (0, 1)])
def test_fast_and_general_paths_agree(provisioned, keep):
    """Without provisioned concurrency most seconds take the fast path's short road."""
    settings = PlaygroundSettings(
        traffic=Load(LoadKind.SPIKE, level=100, peak=900, start_s=5, length_s=5),
        seconds=30,
        duration_ms=100,
        reserved=60,
        provisioned=provisioned,
        idle_reclaim_s=keep,
    )
    fast, general = simulate(settings), simulate(settings, trace=True)
    for name in ("throttled", "cold_starts", "peak_concurrency", "invocations"):
        assert getattr(fast.summary, name) == getattr(general.summary, name), name
    np.testing.assert_array_equal(fast.steps.concurrency_peak, general.steps.concurrency_peak)
    np.testing.assert_allclose(fast.steps.concurrency_mean, general.steps.concurrency_mean)


def test_scaling_rate_limits_new_environments():
    """1,000 new environments per function per 10 s: a sudden 3,000-concurrency need waits."""
    settings = PlaygroundSettings(
        traffic=steady(3000),
        duration_ms=1000,
        duration_dist=DurationDist.FIXED,
        account_limit=10_000,
        seconds=25,
        init_ms=0,
    )
    result = simulate(settings)
    peaks = result.steps.concurrency_peak
    assert peaks[:10].max() <= 1000
    assert peaks[10:20].max() <= 2000
    assert peaks[20:].max() > 2000
    assert result.summary.scaling_throttled == result.summary.throttled > 0


# --- Cold starts and provisioned concurrency --------------------------------------------------


def test_provisioned_concurrency_covering_the_peak_removes_cold_starts():
    preset = PRESETS["provisioned-cold-starts"].settings
    with_pc = simulate(preset)
    without = simulate(preset.with_(provisioned=0))
    assert with_pc.summary.peak_concurrency <= preset.provisioned
    assert with_pc.summary.cold_starts == 0
    assert with_pc.summary.p99_added_latency_ms == 0
    assert without.summary.cold_starts > 50
    assert with_pc.summary.cost_per_day_usd > 1.3 * without.summary.cost_per_day_usd
    assert with_pc.steps.provisioned_in_use.max() > 50


def test_idle_environments_are_reclaimed():
    """Two bursts of 10 overlapping requests 100 s apart: 10 cold starts each time if idle
    environments live 30 s, only the first 10 if they live 300 s."""
    burst = [t / 100 for t in range(10)]
    times = np.array(burst + [100 + t for t in burst])
    short = PlaygroundSettings(
        seconds=200, duration_ms=50, duration_dist=DurationDist.FIXED, idle_reclaim_s=30
    )
    assert simulate(short, arrivals=times).summary.cold_starts == 20
    assert simulate(short.with_(idle_reclaim_s=300), arrivals=times).summary.cold_starts == 10


def test_provisioned_cost_worked_example():
    """1 GB × 100 provisioned × 1 hour ≈ $1.50 before duration and requests."""
    settings = PlaygroundSettings(
        traffic=steady(0), seconds=3600, memory_mb=1024, reserved=100, provisioned=100
    )
    result = simulate(settings)
    assert result.summary.arrivals == 0
    assert result.summary.cost_provisioned_usd == pytest.approx(1.50, abs=0.01)
    assert result.summary.cost_per_day_usd == pytest.approx(24 * 1.50, abs=0.1)


def test_on_demand_cost():
    settings = PlaygroundSettings(
        traffic=steady(100), seconds=100, duration_ms=200, memory_mb=2048, duration_dist=DurationDist.FIXED
    )
    s = simulate(settings).summary
    expected = s.invocations * (0.2e-6 + 0.2 * 2 * 0.0000166667)
    assert s.cost_on_demand_usd == pytest.approx(expected, rel=1e-9)
    assert s.cost_provisioned_usd == 0


# --- Asynchronous retries ---------------------------------------------------------------------


def _async(**kw) -> PlaygroundSettings:
    base = {
        "invocation": Invocation.ASYNC,
        "duration_dist": DurationDist.FIXED,
        "init_ms": 0,
        "seconds": 2000,
    }
    return PlaygroundSettings(**{**base, **kw})


def _trace(settings: PlaygroundSettings, times) -> list[tuple[float, int, str]]:
    return [(round(t, 6), e, w) for t, e, w in simulate(settings, arrivals=np.array(times), trace=True).trace]


def test_async_errors_are_retried_after_one_and_two_minutes_then_dlq():
    trace = _trace(_async(duration_ms=1000, error_rate=1.0), [10.0])
    assert trace == [
        (10.0, 0, "start cold"),
        (11.0, 0, "error"),
        (71.0, 0, "start warm"),
        (72.0, 0, "error"),
        (192.0, 0, "start warm"),
        (193.0, 0, "error"),
        (193.0, 0, "dlq (retries exhausted)"),
    ]


def test_async_max_retry_attempts_zero_goes_straight_to_dlq():
    result = simulate(
        _async(duration_ms=100, error_rate=1.0, max_retry_attempts=0), arrivals=np.array([1.0, 2.0])
    )
    assert result.summary.invocations == 2 and result.summary.dlq == 2


def test_async_throttles_back_off_from_one_second():
    trace = _trace(_async(duration_ms=20_000, reserved=1), [0.5, 0.6])
    second = [(t, w) for t, e, w in trace if e == 1]
    assert second == [
        (0.6, "throttled"),
        (1.6, "throttled"),
        (3.6, "throttled"),
        (7.6, "throttled"),
        (15.6, "throttled"),
        (31.6, "start warm"),
    ]


def test_async_backoff_is_capped_at_five_minutes():
    trace = _trace(_async(duration_ms=900_000, reserved=1, seconds=3600), [0.5, 0.6])
    times = [t for t, e, w in trace if e == 1]
    gaps = np.diff(times)
    assert gaps[:9].tolist() == pytest.approx([1, 2, 4, 8, 16, 32, 64, 128, 256])
    assert set(np.round(gaps[9:], 6)) == {300.0}
    assert trace[-1][2] == "start warm" and trace[-1][0] >= 900.5


def test_async_events_older_than_the_maximum_age_go_to_dlq():
    trace = _trace(_async(duration_ms=200_000, reserved=1, max_event_age_s=60), [0.5, 0.6])
    second = [(t, w) for t, e, w in trace if e == 1]
    assert second[-1] == (60.6, "dlq (maximum event age)")
    assert [t for t, _ in second[:-1]] == [0.6, 1.6, 3.6, 7.6, 15.6, 31.6]


def test_async_with_reserved_zero_sends_everything_to_the_dlq():
    result = simulate(_async(traffic=steady(5), seconds=60, reserved=0))
    assert result.summary.invocations == 0
    assert result.summary.dlq == result.summary.arrivals > 0


def test_async_queue_builds_up_and_ages():
    result = simulate(PRESETS["async-dlq"].settings)
    s = result.summary
    assert s.dlq > 0 and s.errors > 0 and s.throttled > 0
    assert s.max_oldest_age_s <= 300 + 1e-6
    assert result.steps.queue_depth[100] > result.steps.queue_depth[30]


def test_sync_caller_retries_reduce_failures():
    base = PlaygroundSettings(traffic=steady(100), duration_ms=100, reserved=10, seconds=300, init_ms=0)
    none, retried = simulate(base), simulate(base.with_(caller_retries=3))
    assert retried.summary.failed < none.summary.throttled
    assert retried.summary.throttled > none.summary.throttled  # retries are attempts too


# --- SQS event source mapping -----------------------------------------------------------------


def test_sqs_burst_is_absorbed_and_drains():
    settings = PRESETS["sqs-burst"].settings
    result = simulate(settings)
    steps, s = result.steps, result.summary
    assert s.throttled == 0
    assert s.max_queue_depth > 10_000
    assert steps.queue_depth[-1] == 0
    esm = steps.esm_concurrency
    assert esm[0] == 5 and esm.max() == settings.max_concurrency
    assert np.diff(esm).max() <= 5  # 300 more per minute at most
    assert steps.concurrency_peak.max() <= settings.max_concurrency
    assert s.p99_added_latency_ms > 10_000  # the price: waiting in the queue


def test_sqs_batching_window_collects_messages():
    times = np.arange(0.0, 100.0, 0.5)  # two messages a second
    settings = PlaygroundSettings(
        invocation=Invocation.SQS, seconds=120, batch_size=10, batching_window_s=4, duration_ms=10, init_ms=0
    )
    result = simulate(settings, arrivals=times)
    assert result.summary.invocations == pytest.approx(len(times) / 9, rel=0.15)
    no_window = simulate(settings.with_(batching_window_s=0), arrivals=times)
    assert no_window.summary.invocations == len(times)


def test_sqs_respects_reserved_concurrency():
    settings = PRESETS["sqs-burst"].settings.with_(reserved=20, max_concurrency=None)
    result = simulate(settings)
    assert result.steps.concurrency_peak.max() <= 20
    assert result.summary.throttled == 0


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes,words",
    [
        (
            {"reserved": 10, "provisioned": 20},
            ["ProvisionedConcurrentExecutions (20)", "reservedConcurrentExecution", "10 or less"],
        ),
        (
            {"reserved": 950},
            ["UnreservedConcurrentExecution below its minimum value of [100]", "at most 900"],
        ),
        ({"reserved": -1}, ["ReservedConcurrentExecutions must be 0 or more"]),
        ({"traffic": steady(-5)}, ["Request rate can't be negative"]),
        ({"traffic": steady(1e9)}, ["more than this simulator handles"]),
        ({"traffic": steady(50_000), "seconds": 3600}, ["keep it under 5,000,000"]),
        ({"memory_mb": 64}, ["MemorySize must be between 128 and 10,240"]),
        ({"duration_ms": 0}, ["Duration must be more than 0"]),
        ({"duration_ms": 1e7}, ["15-minute timeout"]),
        ({"duration_ms": float("nan")}, ["Duration"]),
        ({"seconds": 0}, ["Simulated time"]),
        ({"init_ms": -1}, ["init time"]),
        ({"account_limit": 50}, ["Account concurrency limit"]),
        ({"other_load": steady(2000)}, ["can't use more than the account limit"]),
        ({"error_rate": 1.5}, ["Error rate"]),
        ({"duration_dist": DurationDist.LOGNORMAL, "duration_p99_ms": 50}, ["at least the mean"]),
        ({"duration_dist": DurationDist.LOGNORMAL, "duration_p99_ms": 5000}, ["about 15 × the mean"]),
        (
            {"invocation": Invocation.ASYNC, "max_event_age_s": 30},
            ["MaximumEventAgeInSeconds must be between 60 and 21,600"],
        ),
        (
            {"invocation": Invocation.ASYNC, "max_retry_attempts": 3},
            ["MaximumRetryAttempts must be between 0 and 2"],
        ),
        (
            {"invocation": Invocation.SQS, "batch_size": 100},
            ["greater than 0 if maximum batch size is greater than 10"],
        ),
        ({"invocation": Invocation.SQS, "batch_size": 20_000}, ["BatchSize must be between 1"]),
        ({"invocation": Invocation.SQS, "batching_window_s": 301}, ["MaximumBatchingWindowInSeconds"]),
        ({"invocation": Invocation.SQS, "max_concurrency": 1}, ["MaximumConcurrency must be between 2"]),
        ({"invocation": Invocation.SYNC, "caller_retries": 99}, ["Caller retries"]),
    ],
)
def test_bad_settings_get_a_clear_message(changes, words):
    with pytest.raises(SimulationError) as caught:
        simulate(PlaygroundSettings(**changes))
    assert isinstance(caught.value, ValueError)
    for word in words:
        assert word in str(caught.value)


def test_every_problem_is_reported_at_once():
    problems = PlaygroundSettings(reserved=10, provisioned=20, memory_mb=1).problems()
    assert len(problems) == 2


def test_canonical_settings_ignore_fields_that_cannot_matter():
    base = PlaygroundSettings(traffic=steady(10))
    same = base.with_(
        traffic=Load(LoadKind.STEADY, level=10.0, peak=99, start_s=5),
        duration_p99_ms=777,
        batch_size=50,
        max_event_age_s=120,
    )
    assert base != same and base.canonical() == same.canonical()
    assert base.canonical() != base.with_(invocation=Invocation.SQS, batch_size=50).canonical()


def test_largest_valid_reserve_is_accepted():
    assert PlaygroundSettings(reserved=900).problems() == []
    assert PlaygroundSettings(reserved=900, provisioned=900).problems() == []


# --- Traffic ----------------------------------------------------------------------------------


def test_arrivals_follow_the_pattern():
    load = Load(LoadKind.SPIKE, level=10, peak=1000, start_s=20, length_s=10)
    times = arrival_times(load.per_second(60), np.random.default_rng(1))
    counts = np.bincount(times.astype(int), minlength=60)
    assert counts[20:30].mean() == pytest.approx(1000, rel=0.05)
    assert counts[:20].mean() == pytest.approx(10, rel=0.3)
    assert np.all(np.diff(times) >= 0) and times.max() < 60


@pytest.mark.parametrize("kind", list(LoadKind))
def test_every_pattern_runs(kind):
    load = Load(kind, level=10, peak=40, start_s=10, length_s=20, values=(5, 50, 0))
    result = simulate(PlaygroundSettings(traffic=load, seconds=60))
    assert result.summary.arrivals == pytest.approx(load.per_second(60).sum(), rel=0.25)


def test_csv_rates():
    assert parse_rates_csv("second,rate\n0,10\n1,20.5\n\n2,0\n") == (10.0, 20.5, 0.0)
    assert parse_rates_csv("5\n6\n") == (5.0, 6.0)
    with pytest.raises(SimulationError, match="line 3"):
        parse_rates_csv("rate\n1\nlots\n")
    with pytest.raises(SimulationError, match="no numbers"):
        parse_rates_csv("rate\n")
    with pytest.raises(SimulationError, match="0 or more"):
        parse_rates_csv("1\n-2\n")


def test_lognormal_has_the_requested_mean_and_p99():
    settings = PlaygroundSettings(duration_ms=100, duration_dist=DurationDist.LOGNORMAL, duration_p99_ms=600)
    samples = draw_durations(
        settings.duration_dist, settings.duration_ms, settings.p99_ms, 400_000, np.random.default_rng(2)
    )
    assert samples.mean() == pytest.approx(0.1, rel=0.02)
    assert np.quantile(samples, 0.99) == pytest.approx(0.6, rel=0.03)


# --- Presets ----------------------------------------------------------------------------------


def test_presets_have_the_documented_ids():
    assert set(PRESETS) == {
        "noisy-neighbour",
        "reserved-protects",
        "provisioned-cold-starts",
        "sqs-burst",
        "async-dlq",
    }
    assert set(PRESET_IDS) == set(PRESETS)
    for preset in PRESETS.values():
        assert preset.title and preset.idea and preset.watch
        assert preset.settings.problems() == []


def test_presets_teach_their_idea():
    neighbour = simulate(PRESETS["noisy-neighbour"].settings)
    protected = simulate(PRESETS["reserved-protects"].settings)
    assert neighbour.summary.throttle_fraction > 0.05
    assert neighbour.steps.throttles[:120].sum() == 0  # only once the neighbour spikes
    assert protected.summary.throttled == 0


# --- Command line -----------------------------------------------------------------------------

BENCH_ARGS = [
    "simulate",
    "--rate",
    "1000",
    "--duration-ms",
    "100",
    "--duration-dist",
    "exponential",
    "--reserved",
    "100",
    "--seconds",
    "60",
    "--seed",
    "1",
    "--json",
]


def test_cli_json(capsys):
    assert main(BENCH_ARGS) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("arrivals", "throttled", "throttle_fraction", "cold_starts", "peak_concurrency"):
        assert key in out
    assert out["peak_concurrency"] == 100
    assert out["throttle_fraction"] == pytest.approx(erlang_b(100, 100), abs=0.02)


def test_cli_text_and_presets(capsys):
    assert main(["simulate", "--preset", "async-dlq", "--seconds", "200"]) == 0
    text = capsys.readouterr().out
    assert "to DLQ" in text and "throttled" in text
    assert (
        main(["simulate", "--invocation", "sqs", "--rate", "50", "--seconds", "30", "--json", "--series"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["series"]["queue_depth"]) == 30


def test_cli_csv(tmp_path, capsys):
    path = tmp_path / "rates.csv"
    path.write_text("rate\n10\n20\n30\n")
    assert main(["simulate", "--csv", str(path), "--seconds", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["arrivals"] > 0
    assert main(["simulate", "--csv", str(tmp_path / "missing.csv")]) == 2
    assert "can't read" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args,words",
    [
        (["--reserved", "10", "--provisioned", "20"], "reservedConcurrentExecution"),
        (["--rate", "-5"], "can't be negative"),
        (["--invocation", "async", "--max-event-age", "10"], "MaximumEventAgeInSeconds"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(capsys, args, words):
    assert main(["simulate", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_cli_entry_point_without_traceback():
    bad = subprocess.run(
        [sys.executable, "-m", "trainer.cli", "simulate", "--reserved", "999"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "minimum value of [100]" in bad.stderr


# --- Chart --------------------------------------------------------------------------------------


def test_animated_figure_has_fixed_axes_and_growing_frames():
    from trainer.charts.concurrency import build_figure

    result = simulate(PRESETS["noisy-neighbour"].settings)
    fig = build_figure(result, frames=20)
    layout = fig.layout
    assert list(layout.xaxis.range) == [0, 420] and layout.yaxis.range[1] > 40
    assert len(fig.frames) == 20 == len(layout.sliders[0].steps)
    lengths = [len(frame.data[0].x) for frame in fig.frames]
    assert lengths == sorted(lengths) and lengths[-1] == len(fig.data[-1].x)
    names = {trace.name for trace in fig.data}
    assert {"Throttled", "Cold starts", "Running (peak)"} <= names
    assert "until it drops" in " ".join(a.text for a in layout.annotations)
