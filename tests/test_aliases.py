"""Versions, aliases and CodeDeploy traffic shifting: the engine against closed forms, the URL
codec, the charts and ``trainer simulate canary``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainer.charts.aliases import build_alias_diagram, build_comparison_figure, build_deployment_figure
from trainer.cli import main
from trainer.explainers.aliases.canary import DeploymentOutcome, compare_strategies, simulate_deployment
from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
from trainer.explainers.aliases.links import QUERY_KEYS, from_query, to_query
from trainer.explainers.aliases.presets import PRESETS
from trainer.explainers.aliases.scenario import AliasesScenario, View
from trainer.explainers.aliases.strategies import STRATEGIES, ShiftKind, strategy_named
from trainer.explainers.aliases.topology import AliasSetup, CallerTarget, ProvisionedOn
from trainer.explainers.traffic import SimulationError

# The predefined Lambda configurations as the CodeDeploy user guide lists them
# (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html).
CODEDEPLOY_NAMES = [
    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
    "CodeDeployDefault.LambdaAllAtOnce",
]


def run(**changes) -> object:
    return simulate_deployment(DeploymentSettings().with_(**changes))


# --- Strategies -------------------------------------------------------------------------------


def test_the_nine_predefined_configurations_with_both_spellings():
    assert sorted(s.codedeploy_name for s in STRATEGIES.values()) == sorted(CODEDEPLOY_NAMES)
    for full in CODEDEPLOY_NAMES:
        short = full.removeprefix("CodeDeployDefault.Lambda")
        for spelling in (full, "Lambda" + short, short):
            assert strategy_named(spelling).name == short
    with pytest.raises(SimulationError, match="Unknown deployment configuration"):
        strategy_named("Canary50Percent1Minute")


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_share_on_the_new_version_at_each_step_matches_the_closed_form(name):
    strategy = STRATEGIES[name]
    t = np.arange(-30, 7000)
    share = strategy.share(t)
    assert np.all(share[t < 0] == 0)
    after = t[t >= 0]
    p, interval = strategy.percent / 100, 60 * strategy.interval_min
    if strategy.kind is ShiftKind.ALL_AT_ONCE:
        expected = np.ones(after.size)
    elif strategy.kind is ShiftKind.CANARY:
        expected = np.where(after < interval, p, 1.0)
    else:
        expected = np.minimum(1.0, (after // interval + 1) * p)
    assert np.allclose(share[t >= 0], expected)
    # All traffic has moved after (100 / p − 1) linear intervals, one canary interval, or at once.
    steps = {ShiftKind.ALL_AT_ONCE: 0, ShiftKind.CANARY: 1, ShiftKind.LINEAR: 9}[strategy.kind]
    assert strategy.shift_seconds == steps * interval


# --- Deployments against closed forms ---------------------------------------------------------


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_a_good_version_is_never_rolled_back_and_serves_the_shifted_share(name):
    s = DeploymentSettings(strategy=name, new_error_rate=0.0, seconds=7200, rps=40)
    r = simulate_deployment(s)
    strategy = STRATEGIES[name]
    assert r.outcome is DeploymentOutcome.SUCCEEDED and not r.rolled_back and r.alarm_at_s is None
    assert r.planned_end_s == s.pre_hook_s + strategy.shift_seconds + s.post_hook_s
    # Requests on the new version: rps × the integral of the step function.
    expected = 0.0
    bounds = [*(at for at, _ in strategy.steps), s.seconds - s.pre_hook_s]
    for (at, share), until in zip(strategy.steps, bounds[1:], strict=True):
        expected += share * (until - at)
    assert r.requests_on_new == pytest.approx(s.rps * expected)
    assert r.errors_seen == 0


def test_canary_errors_before_rollback_are_rps_times_share_times_error_rate_times_time_to_alarm():
    r = run(strategy="Canary10Percent5Minutes", rps=100, new_error_rate=0.2, alarm_error_rate=0.05)
    assert r.rolled_back and r.rollback_at_s == r.alarm_at_s == 60  # the first 60-s period
    assert r.outcome is DeploymentOutcome.ROLLED_BACK
    exposed = r.rollback_at_s - r.shift_starts_s
    assert r.errors_seen == pytest.approx(100 * 0.1 * 0.2 * exposed)  # 100 errors
    assert r.requests_on_new == pytest.approx(100 * 0.1 * exposed)
    assert r.share_changes() == [(0, 0.0), (10, 0.1), (60, 0.0)]
    assert np.all(r.share[60:] == 0) and r.errors_new[60:].sum() == 0
    # After the rollback the new version gets no requests: the alarm has no data and leaves ALARM.
    assert r.periods[0].in_alarm and all(p.error_rate is None and not p.in_alarm for p in r.periods[1:])


@pytest.mark.parametrize("name", list(STRATEGIES))
@pytest.mark.parametrize("error_rate, periods", [(0.2, 1), (0.5, 2), (0.08, 3)])
def test_errors_seen_are_bounded_by_rps_share_error_rate_and_time_to_alarm(name, error_rate, periods):
    s = DeploymentSettings(
        strategy=name, rps=250, new_error_rate=error_rate, evaluation_periods=periods, seconds=7200
    )
    r = simulate_deployment(s)
    assert r.alarm_at_s is not None
    # With a threshold below the error rate, every period with traffic on the new version breaches.
    assert r.alarm_at_s == periods * s.alarm_period_s
    if r.rolled_back:
        exposed = r.rollback_at_s - r.shift_starts_s
        max_share = float(r.share[: r.rollback_at_s].max())
        assert r.errors_seen <= s.rps * max_share * error_rate * exposed + 1e-6
        assert r.errors_seen == pytest.approx(error_rate * r.requests_on_new)
    else:  # AllAtOnce: done before the alarm, so nothing stopped it
        assert name == "AllAtOnce" and r.planned_end_s < r.alarm_at_s
        assert r.errors_seen == pytest.approx(s.rps * error_rate * (s.seconds - s.pre_hook_s))


def test_linear_alarm_after_three_periods_catches_it_at_thirty_percent():
    r = simulate_deployment(PRESETS["linear-steps"].settings.deployment)
    assert r.alarm_at_s == 180 and r.rollback_at_s == 180
    assert float(r.share[179]) == pytest.approx(0.3)
    # 100 rps × 3 % × (60 s at 10 % + 60 s at 20 % + 50 s at 30 %): shifting starts at 10 s
    assert r.errors_seen == pytest.approx(100 * 0.03 * (60 * 0.1 + 60 * 0.2 + 50 * 0.3))


def test_an_alias_wide_alarm_dilutes_the_canary_by_its_share():
    s = DeploymentSettings(alarm_metric=AlarmMetric.ALIAS, new_error_rate=0.2, alarm_error_rate=0.05)
    r = simulate_deployment(s)
    canary_periods = [p for p in r.periods if p.end_s <= 300]
    # The first period has 50 s of canary; the rest 10 % × 20 % = 2 %, below the 5 % threshold.
    assert canary_periods[0].error_rate == pytest.approx(0.1 * 0.2 * 50 / 60)
    assert all(p.error_rate == pytest.approx(0.02) for p in canary_periods[1:])
    assert not any(p.breaching for p in canary_periods)
    assert r.alarm_at_s == 360 and r.planned_end_s == 320
    assert r.outcome is DeploymentOutcome.SUCCEEDED and not r.rolled_back
    # The same alarm on the new version's errors catches the canary in the first minute.
    assert simulate_deployment(s.with_(alarm_metric=AlarmMetric.NEW_VERSION)).rollback_at_s == 60


def test_baseline_errors_on_the_original_version_count_in_an_alias_alarm():
    s = DeploymentSettings(
        alarm_metric=AlarmMetric.ALIAS, new_error_rate=0.0, old_error_rate=0.06, alarm_error_rate=0.05
    )
    r = simulate_deployment(s)
    assert r.periods[0].error_rate == pytest.approx((60 - 5) / 60 * 0.06)  # 10 s all old, 50 s 90 %
    assert r.alarm_at_s == 60 and r.rolled_back and r.errors_seen == 0


def test_hooks_gate_the_deployment():
    failed_pre = run(pre_hook_passes=False)
    assert failed_pre.outcome is DeploymentOutcome.PRE_HOOK_FAILED
    assert (
        failed_pre.requests_on_new == 0 and failed_pre.shift_starts_s is None and not failed_pre.rolled_back
    )
    failed_post = run(new_error_rate=0.0, post_hook_s=60, post_hook_passes=False)
    assert failed_post.rollback_at_s == failed_post.planned_end_s == 10 + 300 + 60
    assert failed_post.outcome is DeploymentOutcome.ROLLED_BACK
    assert np.all(failed_post.share[370:] == 0) and np.all(failed_post.share[310:370] == 1)


def test_without_automatic_rollback_the_alarm_only_rings():
    r = run(rollback_on_alarm=False)
    assert r.alarm_at_s == 60 and not r.rolled_back and r.outcome is DeploymentOutcome.SUCCEEDED


def test_a_run_shorter_than_the_deployment_is_in_progress():
    r = run(strategy="Linear10PercentEvery10Minutes", new_error_rate=0.0, seconds=600)
    assert r.outcome is DeploymentOutcome.IN_PROGRESS and r.share[-1] == pytest.approx(0.1)


def test_compare_runs_every_strategy_and_all_at_once_exposes_the_most_users():
    results = compare_strategies(DeploymentSettings(seconds=3600))
    assert [r.strategy.name for r in results] == list(STRATEGIES)
    worst = max(results, key=lambda r: r.requests_on_new)
    assert worst.strategy.name == "AllAtOnce"


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"rps": 0}, "Requests per second"),
        ({"rps": math.nan}, "Requests per second"),
        ({"rps": 1e9}, "at most 10,000"),
        ({"new_error_rate": 1.5}, "new version's error rate"),
        ({"alarm_period_s": 90}, "whole number of minutes"),
        ({"evaluation_periods": 0}, "Evaluation periods"),
        ({"seconds": 10**9}, "Simulated time"),
        ({"pre_hook_s": -1}, "pre-traffic hook"),
        ({"strategy": "Blue"}, "Unknown deployment configuration"),
    ],
)
def test_every_bad_setting_is_refused_before_work_starts(changes, fragment):
    with pytest.raises(SimulationError, match=fragment):
        run(**changes)


# --- Versions and aliases -----------------------------------------------------------------------


def test_alias_routes_and_what_aws_refuses():
    assert AliasSetup().routes() == {"3": 1.0}
    weighted = AliasSetup(published=4, live_version=3, weighted_version=4, weight=0.25)
    assert weighted.routes() == {"3": 0.75, "4": 0.25}
    assert weighted.problems() == []
    assert any("differ" in p for p in weighted.with_(weighted_version=3).problems())
    assert any("$LATEST" in p for p in AliasSetup(provisioned_on=ProvisionedOn.LATEST).problems())
    assert any("routing config" in p for p in weighted.with_(provisioned_on=ProvisionedOn.ALIAS).problems())
    assert any("published version 1 to 3" in p for p in AliasSetup(live_version=7).problems())
    assert AliasSetup(published=0).problems() == ["Published versions must be 1 to 9; got 0."]


def test_advice_names_the_consequences():
    assert AliasSetup().advice() == []
    latest = AliasSetup(api_target=CallerTarget.LATEST).advice()
    assert any("untested" in a for a in latest)
    idle = AliasSetup(provisioned_on=ProvisionedOn.VERSION, provisioned_version=2).advice()
    assert any("idle" in a for a in idle)
    assert not any("idle" in a for a in AliasSetup(provisioned_on=ProvisionedOn.VERSION).advice())


def test_diagram_draws_an_arrow_per_pointer_and_a_badge_for_provisioned_concurrency():
    setup = AliasSetup(published=4, live_version=3, weighted_version=4, weight=0.1)
    fig = build_alias_diagram(setup).to_dict()
    arrows = [a for a in fig["layout"]["annotations"] if a.get("showarrow")]
    # live → 3 and 4, dev → $LATEST, API Gateway → live, ESM → live
    assert len(arrows) == 5
    labels = {a["text"] for a in fig["layout"]["annotations"] if not a.get("showarrow")}
    assert {"90 %", "10 %"} <= labels
    pc = build_alias_diagram(AliasSetup(provisioned_on=ProvisionedOn.ALIAS, provisioned=7)).to_dict()
    assert any("⚡ 7" in a["text"] and "provisioned" in a["text"] for a in pc["layout"]["annotations"])
    names = {t["name"] for t in fig["data"]}
    assert names == {"Published version (immutable)", "$LATEST (editable)", "Alias (pointer)", "Caller"}


def test_deployment_and_comparison_charts():
    r = run()
    fig = build_deployment_figure(r)
    assert len(fig.data[0].y) == r.settings.seconds
    assert float(fig.data[0].y[30]) == pytest.approx(10.0)  # 10 % on the new version
    assert any(s.type == "line" and s.x0 == 1.0 for s in fig.layout.shapes)  # alarm at 60 s = 1 min
    bars = build_comparison_figure(compare_strategies(r.settings)).to_dict()
    assert len(bars["data"][0]["y"]) == len(STRATEGIES)


# --- Presets and links --------------------------------------------------------------------------


def test_presets_are_valid_and_teach_what_they_say():
    assert len(PRESETS) >= 6
    for preset in PRESETS.values():
        assert preset.settings.setup.problems() == [] and preset.settings.deployment.problems() == []
        assert preset.idea and preset.watch
    assert (
        simulate_deployment(PRESETS["all-at-once-no-rollback"].settings.deployment).outcome.value
        == "succeeded"
    )
    assert simulate_deployment(PRESETS["canary-catches"].settings.deployment).rollback_at_s == 60


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_setting_survives_the_url(preset):
    scenario = PRESETS[preset].settings
    query = to_query(scenario)
    assert set(query) == set(QUERY_KEYS)
    assert from_query(query) == scenario


def test_links_fill_missing_keys_with_defaults_and_refuse_tampering():
    assert from_query({}) == AliasesScenario()
    scenario = from_query({"view": "deployment", "strategy": "CodeDeployDefault.LambdaAllAtOnce", "rps": "5"})
    assert scenario.view is View.DEPLOYMENT and scenario.deployment.strategy == "AllAtOnce"
    assert scenario.deployment.rps == 5
    for bad in ({"rps": "lots"}, {"rps": "-3"}, {"view": "x"}, {"dev": "yes"}, {"pc-on": "latest"}):
        with pytest.raises(SimulationError):
            from_query(bad)


# --- trainer simulate canary --------------------------------------------------------------------


def test_cli_json_reports_the_fields_the_issue_asks_for(capsys):
    argv = ["simulate", "canary", "--strategy", "Canary10Percent5Minutes", "--rps", "100"]
    argv += ["--new-error-rate", "0.2", "--alarm-error-rate", "0.05", "--seconds", "900", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["errors_seen"] == pytest.approx(100.0)
    assert out["rolled_back"] is True and out["rollback_at_s"] == 60
    assert out["share_on_new_version"] == [
        {"t_s": 0, "share": 0.0},
        {"t_s": 10, "share": 0.1},
        {"t_s": 60, "share": 0.0},
    ]


def test_cli_accepts_codedeploy_spelling_and_compares(capsys):
    argv = ["simulate", "canary", "--strategy", "CodeDeployDefault.LambdaAllAtOnce", "--compare", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["strategy"] == "AllAtOnce" and out["rolled_back"] is False
    assert len(out["compare"]) == len(STRATEGIES)


def test_cli_text_output(capsys):
    assert main(["simulate", "canary", "--strategy", "Linear10PercentEvery1Minute"]) == 0
    out = capsys.readouterr().out
    assert "CodeDeployDefault.LambdaLinear10PercentEvery1Minute" in out and "errors seen" in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--strategy", "Canary5"], "Unknown deployment configuration"),
        (["--rps", "0"], "Requests per second"),
        (["--seconds", "99999999"], "Simulated time"),
        (["--new-error-rate", "2"], "between 0 and 1"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(argv, fragment, capsys):
    assert main(["simulate", "canary", *argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


def test_cli_unparsable_number_exits_2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["simulate", "canary", "--rps", "abc"])
    assert stop.value.code == 2
    assert "invalid float value" in capsys.readouterr().err
