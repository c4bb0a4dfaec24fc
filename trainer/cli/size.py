"""``trainer size``: the ENI & subnet sizing calculator on the command line.

    trainer size subnet CIDR                      usable and reserved addresses of one subnet
    trainer size ecs --launch-type ec2 ...        addresses (and instances) for one ECS service
    trainer size lambda --subnets N ...           Hyperplane ENIs for VPC-attached functions
    trainer size plan FILE.yaml                   a whole VPC, as on the page

Every command takes ``--json``. Bad input exits 2 with one line on stderr. ``size plan`` exits 1
when a subnet runs out of addresses or a quota is exceeded, so it can guard a CI job.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from trainer.cli.reporting import add_budget_options, budget_from
from trainer.content.yamlfile import YamlError, load_yaml
from trainer.explainers.sizing.addresses import subnet_info
from trainer.explainers.sizing.calculation import size_plan
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.export import sizing_to_dict
from trainer.explainers.sizing.kinds import Severity
from trainer.explainers.sizing.limits import DEFAULT_MAX_PERCENT, REGION_ENI_QUOTA
from trainer.explainers.sizing.plan_io import plan_from_dict
from trainer.explainers.sizing.quick import quick_ecs, quick_lambda


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "size",
        help="ENI & subnet sizing calculator",
        description="How many IP addresses and network interfaces ECS services and Lambda "
        "functions take in your subnets, at steady state and at peak.",
    )
    kinds = parser.add_subparsers(dest="size_command", metavar="KIND")
    kinds.required = True

    p = kinds.add_parser(
        "subnet",
        help="usable and reserved addresses of one subnet CIDR",
        description="Usable addresses of a subnet (its size minus the five "
        "AWS reserves) and the reserved addresses themselves.",
    )
    p.add_argument("cidr", help="an IPv4 CIDR from /16 to /28, e.g. 10.0.0.0/24")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run_subnet)

    p = kinds.add_parser(
        "ecs",
        help="addresses and instances for one awsvpc ECS service",
        description="Each awsvpc task takes one network interface and one address. Peak is "
        "the maximum task count times maximumPercent (a rolling deployment at full scale). "
        "On EC2 the instance's network interfaces also cap the tasks per instance.",
    )
    p.add_argument("--launch-type", required=True, choices=["fargate", "ec2"])
    p.add_argument("--instance-type", help="EC2 instance type, e.g. c5.large (EC2 only)")
    p.add_argument("--trunking", action="store_true", help="ENI trunking on (EC2 only)")
    p.add_argument("--tasks", type=_count, default=1, help="desired task count (default 1)")
    p.add_argument(
        "--max-tasks", type=_count, default=None, help="auto scaling maximum (default: same as --tasks)"
    )
    p.add_argument(
        "--max-percent",
        type=_count,
        default=DEFAULT_MAX_PERCENT,
        help="deployment maximumPercent, 100-200 (default 200)",
    )
    p.add_argument(
        "--subnets", type=_count, default=1, help="number of subnets the tasks spread over (default 1)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run_ecs)

    p = kinds.add_parser(
        "lambda",
        help="Hyperplane ENIs for VPC-attached Lambda functions",
        description="One Hyperplane ENI per unique subnet + security-group combination, "
        "shared by every function using it, plus one per 65,000 connections. With "
        "--concurrency and --memory-mb it also shows the pre-2019 formula for contrast.",
    )
    p.add_argument("--subnets", type=_count, required=True, help="subnets, 1 to 16")
    p.add_argument(
        "--security-group-sets",
        type=_count,
        required=True,
        help="distinct security-group sets used by the functions",
    )
    p.add_argument(
        "--connections", type=_count, default=0, help="peak connections, spread evenly over the combinations"
    )
    p.add_argument("--concurrency", type=_count, help="peak concurrency (pre-2019 formula)")
    p.add_argument("--memory-mb", type=_count, help="function memory in MB (pre-2019 formula)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_run_lambda)

    p = kinds.add_parser(
        "plan",
        help="size a whole VPC described in YAML",
        description="Size every subnet of a VPC plan (see examples/vpc-plan.yaml). Exit "
        "status 1 when a subnet runs out or a quota is exceeded.",
    )
    p.add_argument("file", type=Path, help="the plan, a YAML file")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_budget_options(p)
    p.set_defaults(handler=_run_plan)


def _usage_error(problem: Exception | str) -> Exception:
    from trainer.cli import UsageError

    return UsageError(str(problem))


def _run_subnet(args: argparse.Namespace) -> int:
    try:
        info = subnet_info(args.cidr)
    except SizingError as exc:
        raise _usage_error(exc) from None
    if args.json:
        _print_json(info)
        return 0
    print(
        f"{info['cidr']}: {info['usable_ips']:,} usable of {info['total_ips']:,} addresses "
        f"(first usable {info['first_usable']}, last {info['last_usable']})"
    )
    print("Reserved by AWS:")
    print(_table(["address", "purpose"], [[r["address"], r["purpose"]] for r in info["reserved"]]))
    return 0


def _run_ecs(args: argparse.Namespace) -> int:
    try:
        result = quick_ecs(
            launch_type=args.launch_type,
            tasks=args.tasks,
            max_tasks=args.max_tasks,
            max_percent=args.max_percent,
            instance_type=args.instance_type,
            trunking=args.trunking,
            subnets=args.subnets,
        )
    except SizingError as exc:
        raise _usage_error(_flag_names(exc)) from None
    if args.json:
        _print_json(result)
        return 0
    rows = [
        ["launch type", result["launch_type"]],
        ["tasks (desired → maximum)", f"{result['tasks']} → {result['max_tasks']}"],
        ["peak tasks (maximum × maximumPercent)", f"{result['peak_tasks']} ({result['max_percent']}%)"],
        ["addresses at steady state", result["steady_ips"]],
        ["addresses at peak", result["peak_ips"]],
    ]
    if result["subnets"] > 1:
        rows.append(
            [
                "per subnet, steady → peak",
                f"{result['steady_ips_per_subnet']} → {result['peak_ips_per_subnet']}",
            ]
        )
    if result["launch_type"] == "ec2":
        with_trunking = result["tasks_per_instance_with_trunking"]
        rows += [
            ["instance type", f"{result['instance_type']} ({result['max_enis']} ENIs)"],
            ["trunking", "on" if result["trunking"] else "off"],
            ["tasks per instance", result["tasks_per_instance"]],
            [
                "  without / with trunking",
                f"{result['tasks_per_instance_without_trunking']} / "
                f"{with_trunking if with_trunking is not None else 'not supported'}",
            ],
            [
                "instances needed (steady → peak)",
                f"{result['instances_steady']} → {result['instances_needed']}",
            ],
        ]
    print(_table(["", ""], rows, header=False))
    if result["launch_type"] == "ec2":
        print(f"Note: {result['note']}.")
    return 0


def _run_lambda(args: argparse.Namespace) -> int:
    try:
        result = quick_lambda(
            subnets=args.subnets,
            security_group_sets=args.security_group_sets,
            connections=args.connections,
            concurrency=args.concurrency,
            memory_mb=args.memory_mb,
        )
    except SizingError as exc:
        raise _usage_error(_flag_names(exc)) from None
    if args.json:
        _print_json(result)
        return 0
    rows = [
        ["subnet + security-group combinations", result["combinations"]],
        [
            "Hyperplane ENIs (steady → peak)",
            f"{result['hyperplane_enis_steady']} → {result['hyperplane_enis']}",
        ],
        ["Hyperplane ENIs per subnet at peak", result["hyperplane_enis_per_subnet"]],
        ["addresses (assumed one per ENI)", result["ips_assumed"]],
        ["Lambda ENIs-per-VPC quota", result["quota_enis_per_vpc"]],
    ]
    if result["legacy_enis"] is not None:
        rows.append(["pre-2019 model (historical contrast)", f"{result['legacy_enis']} ENIs"])
    print(_table(["", ""], rows, header=False))
    print(f"Note: {result['ips_note']}")
    if result["over_quota"]:
        print(f"Warning: more Hyperplane ENIs than the quota of {result['quota_enis_per_vpc']}.")
    return 0


def _run_plan(args: argparse.Namespace) -> int:
    try:
        data = load_yaml(args.file)
        plan = plan_from_dict(data)
        result = size_plan(plan, budget_from(args))
    except (YamlError, SizingError) as exc:
        raise _usage_error(exc) from None
    failed = any(f.severity is Severity.ERROR for f in result.findings)
    if args.json:
        _print_json(sizing_to_dict(result))
        return 1 if failed else 0
    print(
        f"VPC {plan.vpc_cidr} — {len(plan.subnets)} subnets in {len(plan.azs)} AZs, "
        f"headroom target {plan.headroom_percent}%"
    )
    print()
    print(
        _table(
            ["subnet", "AZ", "CIDR", "usable", "steady", "peak", "headroom", "peak fill", "smallest"],
            [
                [
                    s.subnet.name,
                    s.subnet.az,
                    s.subnet.cidr,
                    s.usable,
                    s.steady,
                    s.peak,
                    s.headroom,
                    f"{s.fill_peak:.0%}",
                    f"/{s.recommended_prefix}" if s.recommended_prefix else "none",
                ]
                for s in result.subnets
            ],
        )
    )
    print()
    print(
        _table(
            ["AZ", "subnets", "usable", "steady", "peak", "peak fill"],
            [[a.az, len(a.subnets), a.usable, a.steady, a.peak, f"{a.fill_peak:.0%}"] for a in result.azs],
        )
    )
    if result.services:
        print()
        print(
            _table(
                [
                    "ECS service",
                    "launch",
                    "tasks steady",
                    "tasks peak",
                    "tasks/instance",
                    "instances steady",
                    "instances peak",
                ],
                [
                    [
                        s.name,
                        s.launch_type.value,
                        s.steady_tasks,
                        s.peak_tasks,
                        _dash(s.tasks_per_instance),
                        _dash(s.instances_steady),
                        _dash(s.instances_peak),
                    ]
                    for s in result.services
                ],
            )
        )
    if result.lambda_.combinations:
        print()
        print(
            _table(
                ["subnet", "security groups", "functions", "connections", "Hyperplane ENIs"],
                [
                    [
                        c.subnet,
                        "+".join(c.security_groups),
                        ", ".join(c.functions),
                        c.connections,
                        f"{c.enis_steady} → {c.enis_peak}",
                    ]
                    for c in result.lambda_.combinations
                ],
            )
        )
        if result.lambda_.legacy_total is not None:
            print(
                f"Pre-2019 model, for contrast only: {result.lambda_.legacy_total} ENIs "
                "(peak concurrency × memory / 3 GB)"
            )
    print()
    print(
        f"Network interfaces: {result.interfaces_steady:,} steady, "
        f"{result.interfaces_peak:,} peak (Region quota {REGION_ENI_QUOTA:,})"
    )
    print(f"Suggested split: {result.split.message}")
    for p in result.split.subnets:
        print(f"  {p.cidr:<18} {p.name} ({p.az}), {p.usable:,} usable, {p.peak:,} at peak")
    if result.findings:
        print()
        for finding in result.findings:
            print(f"{finding.severity.value}: {finding.message}")
    print()
    print("Assumptions:")
    for note in result.assumptions:
        print(f"  - {note}")
    return 1 if failed else 0


_FLAGS = {
    "max_percent": "--max-percent",
    "instance_type": "--instance-type",
    "memory_mb": "--memory-mb",
    "concurrency": "--concurrency",
}


def _flag_names(exc: Exception) -> str:
    """Say --max-percent rather than the plan's field name in command-line errors."""
    return re.sub(r"\b(" + "|".join(_FLAGS) + r")\b", lambda m: _FLAGS[m.group(1)], str(exc))


def _dash(value: Any) -> Any:
    return "—" if value is None else value


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    print()


def _table(headers: list[str], rows: list[list[Any]], header: bool = True) -> str:
    """A plain text table; numbers right-aligned with thousands separators."""

    def cell(value: Any) -> str:
        return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)

    text = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h) if header else 0, *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]
    numeric = [
        all(isinstance(r[i], int) and not isinstance(r[i], bool) for r in rows) for i in range(len(headers))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths])] if header else []
    out += [line(r) for r in text]
    return "\n".join(out)
