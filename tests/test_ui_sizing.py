"""The subnet sizing page, driven headless with Streamlit's AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trainer.explainers.sizing.limits import HYPERPLANE_ADDRESS_ASSUMPTION
from trainer.explainers.sizing.plan_io import decode_plan, encode_plan, plan_from_dict, plan_to_dict
from trainer.explainers.sizing.presets import PRESETS

# AppTest resolves relative paths against the calling file, so give it an absolute one.
PAGE = str(Path(__file__).resolve().parent.parent / "trainer" / "ui" / "sizing.py")


# Caches persist across AppTest instances in one process: start each test clean.
pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def page(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in at.get(kind)]


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def subnet_table(at: AppTest):
    return next(df.value for df in at.dataframe if "Smallest prefix" in df.value.columns)


def submit(at: AppTest) -> AppTest:
    return at.form_submit_button[0].click().run()


def test_default_page_shows_the_fargate_example():
    at = page()
    assert not at.exception
    assert at.title[0].value.endswith("ENI & subnet sizing")
    assert "Results" in texts(at, "subheader")
    assert at.query_params["preset"] == "fargate-three-az"
    assert at.text_input[0].value == "10.0.0.0/20"
    assert any("93% full at peak" in w for w in texts(at, "warning"))


@pytest.mark.parametrize(
    ("preset", "subnet", "message"),
    [
        ("fargate-three-az", "private-a", "private-a is 93% full at peak"),
        ("ec2-no-trunking", "app-a", "app-a runs out at peak"),
        ("lambda-shared-subnets", "lambda-a", None),
    ],
)
def test_each_preset_loads_from_the_url(preset, subnet, message):
    at = page(preset=preset)
    assert not at.exception
    assert not any("Could not restore" in e for e in texts(at, "error"))
    assert at.text_input[0].value == PRESETS[preset].settings.vpc_cidr
    table = subnet_table(at)
    assert subnet in list(table["Subnet"])
    spec = chart_spec(at)
    assert any(subnet in "".join(trace.get("text") or []) for trace in spec["data"])
    alerts = texts(at, "warning") + texts(at, "error")
    if message:
        assert any(message in alert for alert in alerts)
    assert PRESETS[preset].title in " ".join(texts(at, "info"))


def test_lambda_example_labels_the_legacy_model_and_the_assumption():
    at = page(preset="lambda-shared-subnets")
    markdown = " ".join(texts(at, "markdown"))
    captions = " ".join(texts(at, "caption"))
    assert "pre-2019 model" in markdown
    assert "434" in markdown
    assert HYPERPLANE_ADDRESS_ASSUMPTION in captions
    assert "250 (Lambda quotas page; check Service Quotas)" in captions


def test_garbled_plan_param_shows_an_error_and_falls_back():
    at = page(plan="1.this-is-not-a-plan")
    assert not at.exception
    errors = texts(at, "error")
    assert any("Could not restore the plan from the link" in e for e in errors)
    assert at.text_input[0].value == "10.0.0.0/20"  # the default example
    assert "Results" in texts(at, "subheader")


@pytest.mark.parametrize("token", ["", "garbage", "1.", "1.%%%", "1.eJzLSM3JyQcABiwCFQ"])
def test_any_tampered_plan_param_never_raises(token):
    at = page(plan=token)
    assert not at.exception
    assert "Results" in texts(at, "subheader")


def test_unknown_preset_shows_an_error():
    at = page(preset="no-such-example")
    assert not at.exception
    assert any("no example called" in e for e in texts(at, "error"))


def test_plan_param_restores_a_custom_plan():
    data = plan_to_dict(PRESETS["ec2-no-trunking"].settings)
    data["vpc_cidr"] = "10.1.0.0/21"
    data["ecs_services"][0]["trunking"] = True
    token = encode_plan(plan_from_dict(data))
    at = page(plan=token)
    assert not at.exception
    assert at.text_input[0].value == "10.1.0.0/21"
    assert at.query_params["plan"] == token
    assert not any("runs out" in e for e in texts(at, "error"))  # trunking fixed it


def test_changing_an_input_recalculates_and_updates_the_url():
    at = page(preset="fargate-three-az")
    at.text_input[0].set_value("10.0.0.0/16")
    at.slider[0].set_value(60)
    submit(at)
    assert not at.exception
    token = at.query_params["plan"]
    plan = decode_plan(token)
    assert plan.vpc_cidr == "10.0.0.0/16"
    assert plan.headroom_percent == 60
    table = subnet_table(at)
    assert table.loc[table["Subnet"] == "private-a", "Smallest prefix"].item() == "/22"


def test_invalid_input_shows_a_clear_error():
    at = page()
    at.text_input[0].set_value("10.0.0.0/30")
    submit(at)
    assert not at.exception
    assert any("can't be sized yet" in e and "/16 to /28" in e for e in texts(at, "error"))
    assert "Results" not in texts(at, "subheader")


def test_subnet_outside_the_vpc_is_reported():
    at = page()
    at.text_input[0].set_value("192.168.0.0/20")
    submit(at)
    assert not at.exception
    assert any("outside the VPC 192.168.0.0/20" in e for e in texts(at, "error"))


def test_example_buttons_load_presets():
    at = page()
    button = next(b for b in at.button if b.label == "EC2 cluster without trunking")
    button.click().run()
    assert not at.exception
    assert at.text_input[0].value == "10.1.0.0/22"
    assert at.query_params["preset"] == "ec2-no-trunking"


def test_results_have_fill_bars_exports_and_a_share_link():
    at = page(preset="ec2-no-trunking")
    table = subnet_table(at)
    assert list(table["Peak fill"]) == [103.4, 103.4]
    labels = [b.label for b in at.download_button]
    assert "Subnet results (CSV)" in labels
    assert "Plan for the CLI (YAML)" in labels
    assert any("/sizing?preset=ec2-no-trunking" in c for c in texts(at, "code"))


def test_returning_without_parameters_restores_the_last_plan():
    at = page(preset="lambda-shared-subnets")
    at.slider[0].set_value(40)
    submit(at)
    assert "plan" in at.query_params
    at.query_params.clear()  # e.g. back from another page through the sidebar
    at.run()
    assert not at.exception
    assert at.slider[0].value == 40
    assert at.text_input[0].value == "10.2.0.0/24"
    assert any("(you have edited it)" in i for i in texts(at, "info"))


def test_blank_editor_cells_read_as_blank_not_none():
    """UX review #28: a Fargate service's instance type showed a grey "None"."""
    at = page()
    editors = [df for df in at.dataframe if df.proto.editing_mode]  # the four plan editors
    assert len(editors) == 4
    assert all(df.proto.placeholder == "—" for df in editors)
    services = next(df.value for df in editors if "instance_type" in df.value.columns)
    assert services["instance_type"].isna().all()  # Fargate: nothing to fill in, shown as "—"


def test_subnet_status_says_it_in_words_not_only_an_emoji():
    at = page(preset="fargate-three-az")
    statuses = list(subnet_table(at)["Status"])
    words = {status.split(" ", 1)[1] for status in statuses}
    assert words <= {"OK", "Tight", "Full"} and "Tight" in words, statuses
