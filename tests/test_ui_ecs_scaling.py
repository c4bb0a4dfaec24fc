"""The ECS auto scaling page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer_pages import metrics, open_explainer, url
from trainer.explainers.ecs_scaling.links import from_query, to_query
from trainer.explainers.ecs_scaling.presets import PRESETS
from trainer.explainers.ecs_scaling.settings import EcsSettings

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(**query: str) -> AppTest:
    return open_explainer("ecs_scaling.py", timeout=60, **query)


def timeline(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


@pytest.mark.parametrize(
    "preset", ["spike-beats-cooldown", "tasks-wait-for-instances", "bad-deployment-rollback"]
)
def test_a_preset_loads_from_the_url(preset):
    at = open_page(preset=preset)
    assert at.selectbox(key="ecs_preset").value == preset
    assert PRESETS[preset].title in at.info[0].value and "What to watch" in at.info[0].value
    spec = timeline(at)
    assert len(spec["frames"]) > 10
    assert spec["layout"]["xaxis4"]["range"] == [0, PRESETS[preset].settings.seconds]
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    hovers = " ".join(" ".join(t.get("text") or []) for t in spec["data"] if isinstance(t.get("text"), list))
    assert "ALARM" in hovers or "Circuit breaker" in hovers
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not at.warning
    assert url(at) == to_query(PRESETS[preset].settings, preset)
    assert any("Modelling choices" in e.label for e in at.expander)


def test_a_link_with_every_setting_reproduces_the_view():
    settings = PRESETS["trunking-packs-more"].settings.with_(max_tasks=30, warmup_s=120)
    at = open_page(**to_query(settings))
    assert at.selectbox(key="ecs_preset").value == "custom"
    assert at.checkbox(key="ecs_trunk").value is True
    assert from_query(url(at), PRESETS) == (settings, None)
    assert metrics(at)["Tasks per instance"] == "4"


@pytest.mark.parametrize("query", [{"preset": "nope"}, {"cpu": "500"}, {"max": "lots"}, {"colour": "red"}])
def test_a_tampered_link_gets_a_plain_message_and_the_defaults(query):
    at = open_page(**query)
    assert len(at.warning) == 1 and "could not be used" in at.warning[0].value
    assert "Traceback" not in at.warning[0].value and not at.error
    assert from_query(url(at), PRESETS) == (EcsSettings(), None)


def test_a_made_up_setting_name_in_the_link_is_shown_as_plain_text():
    # The name is the visitor's text: before the shared link reader it reached the warning as
    # Markdown, so a crafted link put a clickable "sign in again" inside the app.
    at = open_page(**{"[sign in again](https://evil.example/)": "1"})
    warning = at.warning[0].value
    assert "sign in again" in warning
    assert "](https://" not in warning  # the brackets and parenthesis are escaped, not a link
    assert from_query(url(at), PRESETS) == (EcsSettings(), None)


def test_changing_a_control_reruns_and_drops_the_preset():
    at = open_page(preset="memory-bound-wrong-metric")
    before = metrics(at)["Requests dropped or slow"]
    at.checkbox(key="ecs_mem_on").check().run()
    assert not at.exception
    assert metrics(at)["Requests dropped or slow"] != before
    assert "preset" not in url(at) and url(at)["mem"] == "75"
    at.button(key="ecs_reset").click().run()
    assert at.checkbox(key="ecs_mem_on").value is False


def test_bad_settings_show_a_plain_error():
    at = open_page()
    at.number_input(key="ecs_min").set_value(30).run()
    at.number_input(key="ecs_max").set_value(5).run()
    assert not at.exception
    assert len(at.error) == 1 and "minimum tasks" in at.error[0].value
    assert not at.get("plotly_chart")
