"""The concurrency playground page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trainer.explainers.concurrency.presets import PRESETS

PAGE = str(Path(__file__).resolve().parent.parent / "trainer" / "ui" / "playground.py")


# Caches persist across AppTest instances in one process: start each test clean.
pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(preset: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if preset is not None:
        at.query_params["preset"] = preset
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_loads_from_the_url(preset):
    at = open_page(preset)
    assert at.selectbox(key="pg_preset").value == preset
    assert any(PRESETS[preset].title in info.value for info in at.info)
    assert "What to watch" in at.info[0].value
    spec = chart_spec(at)
    assert len(spec["frames"]) > 10
    layout = spec["layout"]
    assert layout["xaxis"]["range"] == [0, PRESETS[preset].settings.seconds]
    assert layout["yaxis"]["range"][1] > 0
    assert layout["updatemenus"][0]["buttons"][0]["method"] == "animate"
    assert len(layout["sliders"][0]["steps"]) == len(spec["frames"])
    shown = metrics(at)
    for label in ("Throttle share", "Cold-start share", "p99 added latency", "Cost per day"):
        assert label in shown
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not any("You changed" in c.value for c in at.caption)


def test_unknown_preset_warns_and_uses_defaults():
    at = open_page("no-such-preset")
    assert len(at.warning) == 1 and "no-such-preset" in at.warning[0].value
    assert at.selectbox(key="pg_preset").value == "custom"
    assert not at.error
    assert chart_spec(at)["frames"]


def test_default_page_without_a_preset():
    at = open_page()
    assert at.selectbox(key="pg_preset").value == "custom"
    assert not at.warning and not at.error
    assert "Throttle share" in metrics(at)


def test_choosing_a_preset_updates_the_url_and_the_controls():
    at = open_page()
    at.selectbox(key="pg_preset").select("sqs-burst").run()
    assert not at.exception
    assert at.query_params["preset"] == "sqs-burst"
    assert at.radio(key="pg_invocation").value == "sqs"
    assert at.number_input(key="pg_batch").value == 10
    at.selectbox(key="pg_preset").select("custom").run()
    assert "preset" not in at.query_params


def test_changing_a_control_reruns_the_simulation():
    at = open_page("noisy-neighbour")
    assert metrics(at)["Throttle share"] != "0.00 %"
    at.checkbox(key="pg_reserved_on").check().run()
    at.number_input(key="pg_reserved").set_value(60).run()
    assert not at.exception and not at.error
    assert metrics(at)["Throttle share"] == "0.00 %"
    assert any("You changed the preset" in c.value for c in at.caption)
    at.button(key="pg_reset").click().run()
    assert at.checkbox(key="pg_reserved_on").value is False
    assert metrics(at)["Throttle share"] != "0.00 %"


def test_bad_settings_show_the_aws_message_not_a_traceback():
    at = open_page("provisioned-cold-starts")
    at.number_input(key="pg_provisioned").set_value(500).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "reservedConcurrentExecution" in at.error[0].value
    assert not at.get("plotly_chart")


def test_hidden_controls_keep_their_values():
    at = open_page("sqs-burst")
    at.number_input(key="pg_batch").set_value(5).run()
    at.radio(key="pg_invocation").set_value("sync").run()
    assert "pg_batch" not in [w.key for w in at.number_input]  # hidden for sync
    at.radio(key="pg_invocation").set_value("sqs").run()
    assert at.number_input(key="pg_batch").value == 5


def test_async_preset_shows_dlq_and_back_links():
    at = open_page("async-dlq")
    shown = metrics(at)
    assert int(shown["Sent to the DLQ"].replace(",", "")) > 0
    assert "Oldest waiting event" in shown
    assert len(at.expander) >= 2  # "How the simulator works" and at least one linked card


def test_csv_pattern_asks_for_a_file():
    at = open_page()
    at.selectbox(key="pg_pattern").select("csv").run()
    assert not at.exception and not at.error
    assert any("Upload a CSV" in info.value for info in at.info)
    at.selectbox(key="pg_pattern").select("wave").run()
    assert not at.exception
    assert chart_spec(at)["frames"]


def test_the_reviews_worst_run_is_refused_on_the_page_before_it_runs():
    """Issue 17 / review R4: async, 100 % errors, 100,000 requests/s for 50 s, 2 retries (103 s, 2.5 GB)."""
    at = open_page()
    at.radio(key="pg_invocation").set_value("async").run()
    at.number_input(key="pg_seconds").set_value(50).run()
    at.number_input(key="pg_rate").set_value(100_000.0).run()
    at.number_input(key="pg_error_pct").set_value(100.0).run()
    at.number_input(key="pg_max_retry").set_value(2).run()
    assert not at.exception
    refused = [e.value for e in at.error if e.value.startswith("Too large for one run")]
    assert refused and "Lower the request rate" in refused[0]
    assert not at.get("plotly_chart")


def test_a_rate_over_the_maximum_is_lowered_to_it_with_a_message():
    """UX review #27: 999,999 typed into Requests per second kept the old value without a word."""
    at = open_page("noisy-neighbour")
    at.number_input(key="pg_rate").set_value(999_999.0).run()
    assert not at.exception
    assert at.number_input(key="pg_rate").value == 100_000.0
    said = [w.value for w in at.warning]
    assert said == ["Requests per second can be at most 100,000: 999,999 was changed to 100,000."]
    # The lowered rate is what runs: 100,000/s for the preset's 420 s is over the 5 M request cap.
    assert [e.value for e in at.error] == [
        "That is about 42,000,000 requests to simulate; keep it under 5,000,000 by lowering "
        "the rate or the simulated time."
    ]
    at.number_input(key="pg_memory").set_value(64).run()  # below its minimum of 128
    assert at.number_input(key="pg_memory").value == 128
    assert [w.value for w in at.warning] == ["Memory (MB) can be at least 128: 64 was changed to 128."]
    at.number_input(key="pg_rate").set_value(250.0).run()  # in range: the message goes
    assert not at.warning and at.number_input(key="pg_rate").value == 250.0


def test_the_settings_are_in_the_main_column_not_the_sidebar():
    """UX review #15: on a phone the sidebar is folded away, yet the page sent people there."""
    at = open_page("noisy-neighbour")
    sidebar = at.sidebar
    assert not sidebar.number_input and not sidebar.selectbox and not sidebar.radio
    assert at.selectbox(key="pg_preset").value == "noisy-neighbour"
    assert [e.label for e in at.expander][0].startswith("Settings: traffic, function, limits")
    assert [t.label for t in at.tabs] == ["Traffic", "Function", "Limits", "Invocation", "Run"]
    assert not any("sidebar" in md.value for md in at.markdown)
    assert "open **Settings** below" in at.markdown[0].value
