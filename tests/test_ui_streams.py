"""The stream event sources page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer_pages import metrics, open_explainer
from trainer.explainers.streams.links import from_query, to_query
from trainer.explainers.streams.presets import PRESETS
from trainer.explainers.streams.settings import StreamSettings

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(**query: str) -> AppTest:
    return open_explainer("streams.py", **query)


def timeline(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def url(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_loads_from_the_url(preset):
    at = open_page(preset=preset)
    assert at.selectbox(key="streams_preset").value == preset
    assert PRESETS[preset].title in at.info[0].value and "What to watch" in at.info[0].value
    spec = timeline(at)
    assert len(spec["frames"]) > 10
    assert spec["layout"]["xaxis3"]["range"] == [0, PRESETS[preset].settings.seconds]
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    shown = metrics(at)
    assert shown["Peak concurrency"].endswith(f"of {PRESETS[preset].settings.max_concurrency}")
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not at.warning and not any("You changed" in c.value for c in at.caption)
    # The page writes every setting into the URL, preset first.
    assert url(at) == to_query(PRESETS[preset].settings, preset)


def test_a_link_with_every_setting_reproduces_the_view():
    settings = StreamSettings(shards=3, parallelization_factor=4, records_per_second=250, batch_size=50,
                              window_s=2, duration_ms=400, seconds=120, poison_at_s=20, bisect=True,
                              max_retry_attempts=1)  # fmt: skip
    at = open_page(**to_query(settings))
    assert at.selectbox(key="streams_preset").value == "custom"
    assert at.number_input(key="streams_factor").value == 4
    assert at.checkbox(key="streams_bisect").value is True
    assert at.number_input(key="streams_retries").value == 1
    assert from_query(url(at), PRESETS) == (settings, None)
    assert metrics(at)["Peak concurrency"] == "12 of 12"
    assert len(at.get("plotly_chart")) == 2  # the timeline and the poisoned lane


@pytest.mark.parametrize(
    "query",
    [{"preset": "no-such-preset"}, {"factor": "11"}, {"shards": "lots"}, {"colour": "red"}, {"rate": "1e9"}],
)
def test_a_tampered_link_gets_a_plain_message_and_the_defaults(query):
    at = open_page(**query)
    assert len(at.warning) == 1 and "could not be used" in at.warning[0].value
    assert "Traceback" not in at.warning[0].value
    assert not at.error
    assert at.selectbox(key="streams_preset").value == "custom"
    assert from_query(url(at), PRESETS) == (StreamSettings(), None)


def test_choosing_a_preset_updates_controls_and_url():
    at = open_page()
    at.selectbox(key="streams_preset").select("bisect-isolates").run()
    assert not at.exception
    assert at.checkbox(key="streams_bisect").value is True
    assert url(at)["preset"] == "bisect-isolates" and url(at)["bisect"] == "1"
    assert "Poison record dropped" in metrics(at)


def test_changing_a_control_reruns_and_drops_the_preset_from_the_url():
    at = open_page(preset="falling-behind")
    behind = metrics(at)["Max IteratorAge"]
    at.number_input(key="streams_factor").set_value(5).run()
    assert not at.exception
    assert metrics(at)["Max IteratorAge"] != behind
    assert "preset" not in url(at) and url(at)["factor"] == "5"
    assert any("You changed the preset" in c.value for c in at.caption)
    at.button(key="streams_reset").click().run()
    assert at.number_input(key="streams_factor").value == 1


def test_hidden_controls_keep_their_values():
    at = open_page(preset="retry-limit")
    at.number_input(key="streams_retries").set_value(4).run()
    at.checkbox(key="streams_retries_on").uncheck().run()
    assert "streams_retries" not in [w.key for w in at.number_input]
    assert url(at)["retries"] == "-1"
    at.checkbox(key="streams_retries_on").check().run()
    assert at.number_input(key="streams_retries").value == 4


def test_settings_too_big_to_simulate_show_a_plain_error():
    at = open_page()
    at.number_input(key="streams_rate").set_value(1000.0).run()
    at.number_input(key="streams_seconds").set_value(3600).run()
    assert not at.exception
    assert len(at.error) == 1 and "records to simulate" in at.error[0].value
    assert not at.get("plotly_chart")
