"""The Aliases & canaries page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.explainer_pages import metrics, open_explainer
from trainer.explainers.aliases.links import from_query, to_query
from trainer.explainers.aliases.presets import PRESETS
from trainer.explainers.aliases.scenario import AliasesScenario, View

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_page(**query: str) -> AppTest:
    return open_explainer("aliases.py", **query)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def query(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_loads_from_the_url(preset):
    at = open_page(preset=preset)
    scenario = PRESETS[preset].settings
    assert at.selectbox(key="al_preset").value == preset
    assert any(PRESETS[preset].title in info.value and "What to watch" in info.value for info in at.info)
    assert not at.error and not at.warning or scenario.setup.advice()
    assert at.radio(key="al_view").value == scenario.view.value
    shown = charts(at)
    if scenario.view is View.DIAGRAM:
        assert len(shown) == 1 and "callers → aliases → versions" in shown[0]["layout"]["title"]["text"]
    else:
        assert len(shown) == 2  # the deployment over time and the strategy comparison
        assert {"Outcome", "Requests on the new version", "Errors seen", "Alarm / rollback"} <= set(
            metrics(at)
        )
    assert query(at) == {"preset": preset}
    assert any("Cards about this idea" in md.value for md in at.markdown)
    assert not any("You changed" in c.value for c in at.caption)


def test_canary_preset_shows_the_rollback_numbers():
    at = open_page(preset="canary-catches")
    shown = metrics(at)
    assert shown["Outcome"] == "rolled back"
    assert shown["Errors seen"] == "100" and shown["Requests on the new version"] == "500"
    assert shown["Alarm / rollback"] == "60 s / 60 s"


def test_all_at_once_is_not_rolled_back():
    shown = metrics(open_page(preset="all-at-once-no-rollback"))
    assert shown["Outcome"] == "succeeded" and shown["Alarm / rollback"] == "60 s / —"


def test_unknown_preset_warns_and_uses_defaults():
    at = open_page(preset="no-such-preset")
    assert len(at.warning) == 1 and "no-such-preset" in at.warning[0].value
    assert at.selectbox(key="al_preset").value == "custom"
    assert not at.error and len(charts(at)) == 1


def test_tampered_link_gets_one_plain_message_and_the_defaults():
    at = open_page(view="deployment", rps="-5", strategy="AllAtOnce")
    assert len(at.warning) == 1 and "could not be used" in at.warning[0].value
    assert "Traceback" not in at.warning[0].value
    assert at.radio(key="al_view").value == "diagram"
    assert not at.error


def test_a_full_link_reproduces_every_setting():
    base = PRESETS["linear-steps"].settings
    scenario = AliasesScenario(
        View.DEPLOYMENT,
        base.setup.with_(published=5, live_version=4),
        base.deployment.with_(rps=37.5, alarm_period_s=120, pre_hook_s=25),
    )
    at = open_page(**to_query(scenario))
    assert not at.warning and not at.error
    assert at.number_input(key="al_rps").value == 37.5
    assert at.number_input(key="al_period").value == 120
    assert at.selectbox(key="al_strategy").value == "Linear10PercentEvery1Minute"
    assert from_query(query(at)) == scenario  # the page writes back the same settings


def test_changing_a_control_rewrites_the_url_and_flags_the_preset():
    at = open_page(preset="canary-catches")
    at.number_input(key="al_rps").set_value(50.0).run()
    assert not at.exception
    assert query(at)["rps"] == "50.0" and "preset" not in query(at)
    assert any("You changed the preset" in c.value for c in at.caption)
    assert metrics(at)["Errors seen"] == "50"
    at.button(key="al_reset").click().run()
    assert query(at) == {"preset": "canary-catches"}
    assert metrics(at)["Errors seen"] == "100"
    # A change that lands exactly on another preset's settings names that preset in the URL.
    at.selectbox(key="al_strategy").select("AllAtOnce").run()
    assert query(at) == {"preset": "all-at-once-no-rollback"}
    assert metrics(at)["Outcome"] == "succeeded"


def test_choosing_a_preset_loads_its_settings():
    at = open_page()
    at.selectbox(key="al_preset").select("weighted-alias").run()
    assert at.number_input(key="al_second").value == 4
    assert query(at) == {"preset": "weighted-alias"}
    labels = [a.get("text") for a in charts(at)[0]["layout"]["annotations"]]
    assert "90 %" in labels and "10 %" in labels


def test_refused_setup_shows_the_aws_rule_not_a_traceback():
    at = open_page(preset="alias-pointer")
    at.selectbox(key="al_pc_on").select("latest").run()
    assert not at.exception
    assert len(at.error) == 1 and "$LATEST" in at.error[0].value
    assert not at.get("plotly_chart")


def test_diagram_warns_about_callers_on_latest():
    at = open_page(preset="callers-on-latest")
    assert any("untested" in w.value for w in at.warning)
