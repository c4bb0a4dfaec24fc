"""The memory and cost tuner: closed-form checks of the engine, the presets, links and the command."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainer.cli import main
from trainer.cli.tune import PRESET_IDS
from trainer.explainers.memory.cpu import cores, usable_vcpus, vcpu_share
from trainer.explainers.memory.limits import MB_PER_VCPU, TIMEOUT_MS
from trainer.explainers.memory.links import query_from_settings, settings_from_query
from trainer.explainers.memory.model import cost_per_million_usd, curve, duration_ms
from trainer.explainers.memory.presets import PRESETS
from trainer.explainers.memory.pricing import PRICE_PER_REQUEST, PRICES_CHECKED, Arch, cost_per_invocation
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.memory.tuning import tune
from trainer.explainers.memory.workloads import Workload
from trainer.explainers.traffic import SimulationError

MEMORY = np.arange(128, 10_241)

# --- CPU share ---------------------------------------------------------------------------------


def test_one_vcpu_at_1769_mb_and_at_most_six_cores():
    assert vcpu_share(1769) == pytest.approx(1.0)
    assert vcpu_share(10_240) == pytest.approx(10_240 / 1769)
    assert cores(128) == 1 and cores(1769) == 1 and cores(1770) == 2
    assert cores(8845) == 5 and cores(8846) == 6 and cores(10_240) == 6
    assert (cores(MEMORY) <= 6).all() and (vcpu_share(MEMORY) <= 6).all()
    assert usable_vcpus(3538, 1) == 1.0 and usable_vcpus(3538, 6) == pytest.approx(2.0)


# --- Duration: closed forms --------------------------------------------------------------------


def test_single_threaded_duration_scales_with_the_vcpu_share_then_plateaus():
    d = 2_000.0
    s = TuningSettings(Workload.CPU, duration_ms_at_1024=d)
    got = duration_ms(s, MEMORY)
    expected = d * 1024 / np.minimum(MEMORY, MB_PER_VCPU)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[MEMORY == 512][0] == pytest.approx(2 * d)  # half the memory, twice the time
    above = got[MEMORY >= MB_PER_VCPU]
    assert np.ptp(above) == 0  # exactly flat above one vCPU: a thread can't use a second one


def test_single_threaded_cost_is_flat_to_one_vcpu_then_rises_with_memory():
    c = curve(TuningSettings(Workload.CPU, duration_ms_at_1024=2_000))
    below = c.cost_per_million_usd[c.memory_mb <= MB_PER_VCPU]
    np.testing.assert_allclose(below, below[0], rtol=1e-12)
    above = c.cost_per_million_usd[c.memory_mb >= MB_PER_VCPU]
    assert (np.diff(above) > 0).all()
    # From 1,769 MB on, cost grows in proportion to memory (plus the fixed request price).
    flat_ms = 2_000 * 1024 / MB_PER_VCPU
    at_max = 1e6 * (10_240 / 1024 * flat_ms / 1000 * Arch.X86.price_per_gb_s + PRICE_PER_REQUEST)
    assert above[-1] == pytest.approx(at_max, rel=1e-12)


def test_multi_threaded_duration_follows_amdahl():
    d, p = 4_000.0, Workload.CPU_MULTI.parallel_share
    s = TuningSettings(Workload.CPU_MULTI, duration_ms_at_1024=d)
    got = duration_ms(s, MEMORY)
    share = MEMORY / MB_PER_VCPU
    work = d * 1024 / MB_PER_VCPU
    expected = (1 - p) * work / np.minimum(share, 1) + p * work / share
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[MEMORY <= MB_PER_VCPU] == pytest.approx(d * 1024 / MEMORY[MEMORY <= MB_PER_VCPU])
    assert (np.diff(got) < 0).all()  # faster all the way to 10,240 MB


@pytest.mark.parametrize("workload", [Workload.IO, Workload.MIXED])
def test_waiting_does_not_shrink_with_memory(workload):
    d, f = 1_000.0, workload.compute_share
    got = duration_ms(TuningSettings(workload, duration_ms_at_1024=d), MEMORY)
    np.testing.assert_allclose(got, f * d * 1024 / np.minimum(MEMORY, MB_PER_VCPU) + (1 - f) * d, rtol=1e-12)
    assert got[MEMORY == 1024][0] == pytest.approx(d)


def test_arm_divides_the_computing_by_its_speed_and_costs_less_per_gb_second():
    x86 = TuningSettings(Workload.MIXED, duration_ms_at_1024=1_000)
    arm = x86.with_(arch=Arch.ARM, arm_speed=2.0)
    np.testing.assert_allclose(
        duration_ms(arm, MEMORY), 0.5 * 1_000 * 1024 / np.minimum(MEMORY, MB_PER_VCPU) / 2 + 500, rtol=1e-12
    )
    same_speed = tune(x86.with_(arch=Arch.ARM))
    base = tune(x86)
    gb_part = lambda r: r.cheapest.cost_per_million_usd - 0.20  # noqa: E731
    assert gb_part(same_speed) / gb_part(base) == pytest.approx(0.0000133334 / 0.0000166667)


def test_init_time_is_single_threaded_computing():
    s = TuningSettings(Workload.CPU_MULTI, duration_ms_at_1024=100, init_ms_at_1024=800)
    c = curve(s)
    assert c.init_ms[c.index_of(512)] == pytest.approx(1600)
    assert c.init_ms[c.index_of(4096)] == pytest.approx(800 * 1024 / 1769)


# --- Cost formula ------------------------------------------------------------------------------


@pytest.mark.parametrize("arch", list(Arch))
def test_cost_is_gb_seconds_times_price_plus_request_price(arch):
    # 512 MB for 1,000 ms = 0.5 GB-s.
    assert cost_per_invocation(512, 1_000, arch) == pytest.approx(0.5 * arch.price_per_gb_s + 0.20 / 1e6)
    assert cost_per_million_usd([512], [1_000], arch)[0] == pytest.approx(
        1e6 * (0.5 * arch.price_per_gb_s) + 0.20
    )
    # The documented first-tier us-east-1 prices.
    assert Arch.X86.price_per_gb_s == 0.0000166667 and Arch.ARM.price_per_gb_s == 0.0000133334
    assert PRICE_PER_REQUEST * 1e6 == pytest.approx(0.20)
    assert PRICES_CHECKED == "2026-11-26"


# --- Choosing a size ---------------------------------------------------------------------------


def test_cheapest_and_fastest_are_the_smallest_sizes_reaching_the_minimum():
    r = tune(TuningSettings(Workload.CPU, duration_ms_at_1024=2_000))
    assert r.cheapest.memory_mb == 128  # cost is level from 128 to 1,769 MB: the smallest wins
    assert r.fastest.memory_mb == MB_PER_VCPU  # flat from 1,769 MB: the smallest wins
    assert r.fastest.cost_per_million_usd == pytest.approx(r.cheapest.cost_per_million_usd)
    multi = tune(TuningSettings(Workload.CPU_MULTI, duration_ms_at_1024=4_000))
    assert multi.fastest.memory_mb == 10_240 and multi.cheapest.memory_mb == 128


def test_balanced_weight_moves_between_fastest_and_cheapest():
    base = TuningSettings(Workload.MIXED, duration_ms_at_1024=1_000)
    picks = [tune(base.with_(cost_weight=w)).balanced.memory_mb for w in (0.0, 0.3, 0.5, 0.7, 0.9, 1.0)]
    assert picks[0] == tune(base).fastest.memory_mb == MB_PER_VCPU
    assert picks[-1] == tune(base).cheapest.memory_mb == 128
    assert picks == sorted(picks, reverse=True)
    # The balanced size minimises the normalised score (checked against a brute force).
    r = tune(base)
    c = r.curve
    score = (
        0.5 * c.cost_per_million_usd / c.cost_per_million_usd.max()
        + 0.5 * c.duration_ms / c.duration_ms.max()
    )
    assert r.balanced.memory_mb == int(c.memory_mb[np.argmin(score)])


def test_out_of_memory_and_timeouts_are_not_chosen():
    r = tune(TuningSettings(Workload.CPU, duration_ms_at_1024=200_000))
    first_ok = math.ceil(200_000 * 1024 / TIMEOUT_MS)
    assert r.cheapest.memory_mb == first_ok  # 228 MB: the first size that finishes in 15 minutes
    assert r.point(first_ok - 1).duration_ms > TIMEOUT_MS >= r.cheapest.duration_ms
    needs = tune(TuningSettings(Workload.IO, duration_ms_at_1024=300, needed_mb=512))
    assert needs.cheapest.memory_mb == 512


def test_nothing_usable_is_a_plain_error():
    # 15 minutes of one thread at 1,024 MB, on code four times slower on Arm: even 1,769 MB
    # (the most one thread can use) needs 900 s × 1,024 / 1,769 × 4 ≈ 2,084 s.
    slow = TuningSettings(Workload.CPU, duration_ms_at_1024=900_000, arch=Arch.ARM, arm_speed=0.25)
    with pytest.raises(SimulationError, match="No memory size works"):
        tune(slow)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"duration_ms_at_1024": 0}, "Duration"),
        ({"duration_ms_at_1024": 1e9}, "15-minute"),
        ({"duration_ms_at_1024": math.nan}, "Duration"),
        ({"needed_mb": 64}, "needs"),
        ({"needed_mb": 20_000}, "needs"),
        ({"cost_weight": 1.5}, "weight"),
        ({"init_ms_at_1024": -1}, "Init"),
        ({"arm_speed": 10.0}, "Arm"),
    ],
)
def test_bad_settings_are_listed(change, words):
    problems = TuningSettings().with_(**change).problems()
    assert len(problems) == 1 and words in problems[0]


def test_sampled_points_include_every_vcpu_and_the_chosen_sizes():
    r = tune(PRESETS["balanced-weight"].settings)
    sizes = [p.memory_mb for p in r.sample()]
    assert sizes == sorted(set(sizes)) and sizes[0] == 128 and sizes[-1] == 10_240
    for m in (1769, 3538, 5307, 7076, 8845, 1024, r.balanced.memory_mb):
        assert m in sizes


# --- Presets and links -------------------------------------------------------------------------


def test_presets_have_the_documented_ids_and_teach_their_idea():
    assert tuple(PRESETS) == PRESET_IDS
    for preset in PRESETS.values():
        assert preset.title and preset.idea and preset.watch
        assert preset.settings.problems() == []
    plateau = tune(PRESETS["single-thread-plateau"].settings)
    assert plateau.fastest.memory_mb == 1769
    assert tune(PRESETS["multi-thread-scales"].settings).fastest.memory_mb == 10_240
    io = tune(PRESETS["io-bound"].settings)
    assert io.cheapest.memory_mb == 128 and io.fastest.duration_ms > 0.9 * 300
    assert tune(PRESETS["balanced-weight"].settings).balanced.memory_mb == 1357
    arm = tune(PRESETS["arm-price"].settings)
    assert arm.cheapest.cost_per_million_usd < 0.81 * plateau.cheapest.cost_per_million_usd
    assert tune(PRESETS["timeout-at-low-memory"].settings).cheapest.memory_mb == 228


@pytest.mark.parametrize("preset", list(PRESETS))
def test_links_round_trip(preset):
    s = PRESETS[preset].settings
    assert settings_from_query(query_from_settings(s)) == s.canonical()


@pytest.mark.parametrize(
    "query",
    [
        {"workload": "gpu"},
        {"arch": "sparc"},
        {"ms": "abc"},
        {"ms": "inf"},
        {"ms": "-3"},
        {"needed_mb": "512.5"},
        {"weight": "2"},
    ],
)
def test_tampered_links_raise_one_plain_message(query):
    with pytest.raises(SimulationError) as exc:
        settings_from_query(query)
    assert "\n" not in str(exc.value) and "Traceback" not in str(exc.value)


# --- The command -------------------------------------------------------------------------------


def run_json(capsys, *args: str) -> dict:
    assert main(["tune", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tune_json_keys_and_values(capsys):
    out = run_json(capsys, "--workload", "cpu", "--duration-ms-at-1024", "2000")
    for key in ("cheapest_mb", "fastest_mb", "balanced_mb", "cost_per_million_usd", "points", "prices"):
        assert key in out
    assert out["cheapest_mb"] == 128 and out["fastest_mb"] == 1769
    assert set(out["cost_per_million_usd"]) == {"cheapest", "fastest", "balanced"}
    expected = 1e6 * (2 * 0.0000166667) + 0.20  # 2 GB-s at 128 MB and at 1,769 MB alike
    assert out["cost_per_million_usd"]["cheapest"] == pytest.approx(expected, rel=1e-6)
    assert out["prices"] == {
        "region": "us-east-1",
        "checked": "2026-11-26",
        "per_gb_second_usd": 0.0000166667,
        "per_million_requests_usd": 0.2,
    }
    points = out["points"]
    assert points[0]["memory_mb"] == 128 and points[-1]["memory_mb"] == 10_240
    assert {"memory_mb", "duration_ms", "cost_per_million_usd", "vcpus", "vcpus_used"} <= set(points[0])


def test_tune_arm_and_preset_options(capsys):
    arm = run_json(capsys, "--workload", "cpu-multi", "--duration-ms-at-1024", "4000", "--arch", "arm")
    assert arm["arch"] == "arm" and arm["fastest_mb"] == 10_240
    assert arm["prices"]["per_gb_second_usd"] == 0.0000133334
    preset = run_json(capsys, "--preset", "balanced-weight", "--weight", "1")
    assert preset["balanced_mb"] == preset["cheapest_mb"] == 128


def test_tune_text_states_the_prices_date(capsys):
    assert main(["tune", "--workload", "io", "--duration-ms-at-1024", "300"]) == 0
    out = capsys.readouterr().out
    assert "cheapest" in out and "us-east-1" in out and "2026-11-26" in out


@pytest.mark.parametrize(
    "args, words",
    [
        (["--workload", "gpu", "--duration-ms-at-1024", "5"], "invalid choice"),
        (["--workload", "cpu", "--duration-ms-at-1024", "abc"], "invalid float"),
        (["--workload", "cpu", "--duration-ms-at-1024", "-5"], "more than 0"),
        (["--workload", "cpu", "--duration-ms-at-1024", "1e9"], "15-minute"),
        (["--workload", "cpu"], "--duration-ms-at-1024"),
        (["--workload", "cpu", "--duration-ms-at-1024", "5", "--weight", "3"], "weight"),
        (
            ["--workload", "cpu", "--duration-ms-at-1024", "900000", "--arch", "arm", "--arm-speed", "0.25"],
            "No memory size",
        ),
    ],
)
def test_tune_bad_input_is_one_line_and_exit_2(capsys, args, words):
    try:
        code = main(["tune", *args])
    except SystemExit as exc:  # argparse's own mistakes
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


# --- Content links -----------------------------------------------------------------------------


def test_every_preset_is_linked_from_content_and_every_link_names_a_preset():
    from trainer.content.loader import load_bank

    bank = load_bank()
    items = [*bank.cards.values(), *bank.questions.values()]
    links = [i.explainer for i in items if i.explainer and i.explainer.page == "memory"]
    assert {link.preset for link in links} == set(PRESETS)
    cards = {c.explainer.preset for c in bank.cards.values() if c.explainer and c.explainer.page == "memory"}
    questions = {
        q.explainer.preset for q in bank.questions.values() if q.explainer and q.explainer.page == "memory"
    }
    assert len([c for c in bank.cards.values() if c.explainer and c.explainer.page == "memory"]) >= 6
    assert len([q for q in bank.questions.values() if q.explainer and q.explainer.page == "memory"]) >= 6
    assert cards == questions == set(PRESETS)
