"""``trainer simulate canary``: a CodeDeploy traffic shift of a Lambda alias, from the command line.

Only argparse is imported at module level; the simulator (and numpy) load when the command
runs. Bad input is one line on stderr and exit status 2 (``UsageError``).
"""

from __future__ import annotations

import argparse
import json
import sys

from trainer.cli.reporting import add_budget_options, budget_from, settings_checked

STRATEGY_HELP = (
    "CodeDeploy predefined configuration: Canary10Percent5Minutes, Canary10Percent10Minutes, "
    "Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, "
    "Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, "
    "AllAtOnce (the CodeDeployDefault.Lambda… spelling works too)"
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "canary",
        help="simulate a CodeDeploy canary, linear or all-at-once Lambda deployment",
        description="Shift a Lambda alias to a new version that fails a share of requests, with a "
        "CloudWatch alarm that rolls the deployment back. Counts are expected values.",
    )
    add = parser.add_argument
    add("--strategy", default="Canary10Percent5Minutes", help=STRATEGY_HELP)
    add("--rps", type=float, default=100.0, help="requests per second to the alias (default 100)")
    add("--new-error-rate", type=float, default=0.2, help="share of the new version's requests that fail")
    add(
        "--old-error-rate", type=float, default=0.0, help="share of the original version's requests that fail"
    )
    add(
        "--alarm-error-rate", type=float, default=0.05, help="alarm threshold: error rate above this breaches"
    )
    add(
        "--alarm-metric",
        choices=["new-version", "alias"],
        default="new-version",
        help="count the new version's requests only, or all of the alias's (default new-version)",
    )
    add("--alarm-period-s", type=int, default=60, help="alarm period in seconds, a multiple of 60")
    add("--evaluation-periods", type=int, default=1, help="breaching periods in a row that set off the alarm")
    add("--no-rollback", action="store_true", help="do not roll back when the alarm fires")
    add("--pre-hook-s", type=int, default=10, help="seconds the pre-traffic hook runs (default 10)")
    add("--pre-hook-fails", action="store_true", help="the pre-traffic hook reports Failed")
    add("--post-hook-s", type=int, default=10, help="seconds the post-traffic hook runs (default 10)")
    add("--post-hook-fails", action="store_true", help="the post-traffic hook reports Failed")
    add("--seconds", type=int, default=900, help="simulated seconds (default 900)")
    add("--compare", action="store_true", help="also run every other strategy with the same settings")
    add("--json", action="store_true", help="print the result as JSON")
    add_budget_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.aliases.canary import compare_strategies, simulate_deployment
    from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
    from trainer.explainers.aliases.strategies import strategy_named

    with settings_checked():
        settings = DeploymentSettings(
            strategy=strategy_named(args.strategy).name,
            rps=args.rps,
            new_error_rate=args.new_error_rate,
            old_error_rate=args.old_error_rate,
            alarm_error_rate=args.alarm_error_rate,
            alarm_metric=AlarmMetric(args.alarm_metric),
            alarm_period_s=args.alarm_period_s,
            evaluation_periods=args.evaluation_periods,
            rollback_on_alarm=not args.no_rollback,
            pre_hook_s=args.pre_hook_s,
            pre_hook_passes=not args.pre_hook_fails,
            post_hook_s=args.post_hook_s,
            post_hook_passes=not args.post_hook_fails,
            seconds=args.seconds,
        )
        result = simulate_deployment(settings, budget_from(args))
        others = compare_strategies(settings) if args.compare else []
    if args.json:
        out = result.to_json_dict()
        if others:
            out["compare"] = [
                {
                    k: r.to_json_dict()[k]
                    for k in (
                        "strategy",
                        "outcome",
                        "errors_seen",
                        "requests_on_new_version",
                        "rollback_at_s",
                    )
                }
                for r in others
            ]
        json.dump(out, sys.stdout, indent=2)
        print()
        return 0
    m = result
    lines = [
        f"{m.strategy.name} ({m.strategy.codedeploy_name}): {m.strategy.describe}",
        f"  outcome         {m.outcome.label}",
        f"  alarm           {'did not fire' if m.alarm_at_s is None else f'fired at {m.alarm_at_s} s'}",
        f"  rollback        {str(m.rollback_at_s) + ' s' if m.rollback_at_s is not None else 'none'}",
        f"  saw new version {m.requests_on_new:,.0f} requests",
        f"  errors seen     {m.errors_seen:,.1f}",
        "  share on new    " + ", ".join(f"{t} s: {100 * v:g} %" for t, v in m.share_changes()),
    ]
    for r in others:
        lines.append(f"  {r.strategy.name:<30} errors {r.errors_seen:>10,.1f}  {r.outcome.value}")
    print("\n".join(lines))
    return 0
