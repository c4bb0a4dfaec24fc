"""The connection-reuse page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer_pages import metrics, open_explainer, url
from trainer.explainers.connections.presets import PRESETS
from trainer.explainers.connections.settings import QUERY_KEYS, ConnectionSettings, to_query
from trainer.explainers.connections.simulation import simulate

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(**query: str) -> AppTest:
    return open_explainer("connections.py", timeout=60, **query)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_loads_from_the_url(preset):
    at = open_page(preset=preset)
    assert at.selectbox(key="conn_preset").value == preset
    assert PRESETS[preset].title in at.info[0].value and "What to watch" in at.info[0].value
    expected = simulate(PRESETS[preset].settings).summary
    shown = metrics(at)
    assert shown["p50 latency"] == f"{expected.p50_ms:,.1f} ms"
    assert shown["p99 latency"] == f"{expected.p99_ms:,.1f} ms"
    assert shown["Peak DB connections"].startswith(f"{expected.peak_db_connections:,}")
    timeline, run = chart_specs(at)
    assert any("TCP handshake" == t.get("name") for t in timeline["data"])
    assert run["layout"]["xaxis"]["range"] == [0, PRESETS[preset].settings.seconds]
    assert url(at) == {"preset": preset, **to_query(PRESETS[preset].settings.canonical())}
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not at.warning and not at.error
    assert not any("You changed" in c.value for c in at.caption)


def test_default_page_writes_every_setting_into_the_url():
    at = open_page()
    assert at.selectbox(key="conn_preset").value == "custom"
    assert set(QUERY_KEYS) <= set(url(at)) and "preset" not in url(at)
    assert not at.warning and not at.error


def test_the_page_states_the_assumptions_and_the_documented_facts():
    at = open_page()
    text = " ".join(md.value for md in at.markdown)
    assert "350 s" in text and "nat-gateway-troubleshooting" in text
    assert "JavaScript v3" in text and "node-reusing-connections" in text
    assert "round trip" in text and "AWS does not" in text


def test_deep_link_with_every_setting_reproduces_the_view():
    custom = ConnectionSettings(
        mode=PRESETS["nat-idle-timeout"].settings.mode,
        keep_alive=False,
        interval_s=400.0,
        concurrency=4,
        peak_concurrency=4,
        seconds=1_800,
        rtt_ms=3.0,
    )
    at = open_page(**to_query(custom))
    assert at.selectbox(key="conn_preset").value == "custom"
    assert at.number_input(key="conn_rtt_ms").value == 3.0
    assert at.checkbox(key="conn_keep_alive").value is False
    assert metrics(at)["p50 latency"] == f"{simulate(custom).summary.p50_ms:,.1f} ms"
    assert url(at) == to_query(custom.canonical())


def test_a_link_matching_a_preset_is_recognised():
    at = open_page(**to_query(PRESETS["rds-proxy-pool"].settings))
    assert at.selectbox(key="conn_preset").value == "rds-proxy-pool"


@pytest.mark.parametrize(
    "query,fragment",
    [
        ({"preset": "no-such-preset"}, "no preset called"),
        ({"rtt_ms": "fast"}, "rtt_ms"),
        ({"concurrency": "999999"}, "Environments before the jump"),
        ({"target": "mongodb"}, "target"),
    ],
)
def test_a_tampered_link_gets_one_plain_message_and_the_defaults(query, fragment):
    at = open_page(**query)
    # The URL's text is Markdown-escaped in the notice ("rtt\\_ms" shows as "rtt_ms").
    assert len(at.warning) == 1 and fragment in at.warning[0].value.replace("\\", "")
    assert "Traceback" not in at.warning[0].value
    assert at.selectbox(key="conn_preset").value == "custom"
    assert at.number_input(key="conn_concurrency").value == ConnectionSettings().concurrency
    assert not at.error and len(at.get("plotly_chart")) == 2


def test_choosing_a_preset_and_changing_a_control():
    at = open_page()
    at.selectbox(key="conn_preset").select("rds-connection-storm").run()
    assert not at.exception
    assert url(at)["preset"] == "rds-connection-storm"
    assert int(metrics(at)["Failed invocations"].replace(",", "")) > 0
    at.checkbox(key="conn_proxy").check().run()
    assert not at.exception and not at.error
    assert metrics(at)["Failed invocations"] == "0"
    assert "preset" not in url(at) and url(at)["proxy"] == "1"
    assert any("You changed the preset" in c.value for c in at.caption)
    at.button(key="conn_reset").click().run()
    assert at.checkbox(key="conn_proxy").value is False


def test_keep_alive_fixes_the_nat_timeout():
    at = open_page(preset="nat-idle-timeout")
    slow = metrics(at)["p50 latency"]
    at.checkbox(key="conn_keep_alive").check().run()
    assert metrics(at)["p50 latency"] == "4.0 ms" != slow


def test_settings_the_model_refuses_show_the_reason_not_a_traceback():
    at = open_page()
    at.number_input(key="conn_interval_s").set_value(0.0).run()
    at.number_input(key="conn_concurrency").set_value(5_000).run()
    at.number_input(key="conn_peak_concurrency").set_value(5_000).run()
    at.number_input(key="conn_seconds").set_value(3_600).run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("Too large for one run")
    assert not at.get("plotly_chart")
