"""The memory & cost tuner page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer_pages import metrics, open_explainer, url
from trainer.explainers.memory.links import query_from_settings
from trainer.explainers.memory.presets import PRESETS
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.memory.tuning import tune

SETTING_KEYS = {"workload", "ms", "arch", "init_ms", "needed_mb", "weight"}

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(**query: str) -> AppTest:
    return open_explainer("memory.py", **query)


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_loads_from_the_url(preset):
    at = open_page(preset=preset)
    assert at.selectbox(key="mem_preset").value == preset
    assert PRESETS[preset].title in at.info[0].value and "What to watch" in at.info[0].value
    expected = tune(PRESETS[preset].settings)
    shown = metrics(at)
    assert shown["Cheapest"] == f"{expected.cheapest.memory_mb:,} MB"
    assert shown["Fastest"] == f"{expected.fastest.memory_mb:,} MB"
    assert shown["Balanced"] == f"{expected.balanced.memory_mb:,} MB"
    spec = chart_spec(at)
    names = [trace.get("name", "") for trace in spec["data"]]
    assert "Duration" in names and "Cost / million" in names
    assert "vCPUs used" in names and "vCPUs on offer" in names
    assert url(at) == {"preset": preset, **query_from_settings(PRESETS[preset].settings)}
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not at.warning and not at.error
    assert not any("You changed" in c.value for c in at.caption)


def test_default_page_writes_every_setting_into_the_url():
    at = open_page()
    assert at.selectbox(key="mem_preset").value == "custom"
    assert SETTING_KEYS <= set(url(at)) and "preset" not in url(at)
    assert not at.warning and not at.error
    assert any("2026-11-26" in md.value for md in at.markdown)  # the prices' date


def test_single_threaded_page_explains_the_plateau():
    at = open_page(preset="single-thread-plateau")
    text = " ".join(md.value for md in at.markdown)
    assert "Why nothing is gained above 1,769 MB" in text and "uses 1" in text


def test_deep_link_round_trip_reproduces_the_view():
    at = open_page(preset="io-bound")
    at.radio(key="mem_workload").set_value("mixed").run()
    at.radio(key="mem_arch").set_value("arm").run()
    at.number_input(key="mem_arm_speed").set_value(0.8).run()
    at.slider(key="mem_weight").set_value(0.8).run()
    at.number_input(key="mem_needed_mb").set_value(256).run()
    assert not at.exception and not at.error
    link = url(at)
    assert "preset" not in link  # no longer the preset's settings
    assert link["workload"] == "mixed" and link["arch"] == "arm" and link["arm_speed"] == "0.8"
    assert link["weight"] == "0.8" and link["needed_mb"] == "256"
    again = open_page(**link)
    for key in ("workload", "ms", "arch", "arm_speed", "init_ms", "needed_mb", "weight"):
        widget = again.session_state[f"mem_{key}"]
        assert widget == at.session_state[f"mem_{key}"], key
    assert metrics(again) == metrics(at)
    assert url(again) == link
    assert not again.warning


def test_a_link_with_a_presets_settings_selects_that_preset():
    link = query_from_settings(PRESETS["multi-thread-scales"].settings)
    at = open_page(**link)
    assert at.selectbox(key="mem_preset").value == "multi-thread-scales"
    assert url(at)["preset"] == "multi-thread-scales"


@pytest.mark.parametrize(
    "query, words",
    [
        ({"ms": "abc"}, "not a number"),
        ({"workload": "gpu"}, "gpu"),
        ({"weight": "7"}, "weight"),
        ({"ms": "1e12"}, "timeout"),
        ({"needed_mb": "12.5"}, "whole number"),
        ({"preset": "no-such-preset"}, "no-such-preset"),
    ],
)
def test_tampered_url_gets_a_plain_message_and_the_defaults(query, words):
    at = open_page(**query)
    assert len(at.warning) == 1 and words in at.warning[0].value
    assert "Traceback" not in at.warning[0].value
    assert not at.error
    defaults = TuningSettings()
    assert at.radio(key="mem_workload").value == defaults.workload.value
    assert at.number_input(key="mem_ms").value == defaults.duration_ms_at_1024
    assert at.selectbox(key="mem_preset").value == "custom"
    assert url(at) == query_from_settings(defaults)  # the bad link is replaced
    assert metrics(at)["Fastest"] == "1,769 MB"


def test_choosing_a_preset_updates_the_controls_and_the_url():
    at = open_page()
    at.selectbox(key="mem_preset").select("arm-price").run()
    assert not at.exception
    assert at.radio(key="mem_arch").value == "arm"
    assert at.number_input(key="mem_ms").value == 2_000
    assert url(at)["preset"] == "arm-price"


def test_changing_a_control_and_resetting():
    at = open_page(preset="balanced-weight")
    assert metrics(at)["Balanced"] == "1,357 MB"
    at.slider(key="mem_weight").set_value(1.0).run()
    assert metrics(at)["Balanced"] == metrics(at)["Cheapest"] == "128 MB"
    assert any("You changed the preset" in c.value for c in at.caption)
    at.button(key="mem_reset").click().run()
    assert metrics(at)["Balanced"] == "1,357 MB"
    assert url(at)["preset"] == "balanced-weight"


def test_arm_speed_is_only_editable_on_arm():
    at = open_page()
    assert at.number_input(key="mem_arm_speed").disabled
    at.radio(key="mem_arch").set_value("arm").run()
    assert not at.number_input(key="mem_arm_speed").disabled


def test_timeout_preset_greys_out_the_small_sizes():
    at = open_page(preset="timeout-at-low-memory")
    assert metrics(at)["Cheapest"] == "228 MB"
    shapes = chart_spec(at)["layout"].get("shapes", [])
    assert any(s.get("fillcolor") and s.get("x0") == 128 for s in shapes)
