"""The ENI & subnet sizing calculator, its diagram and the ``trainer size`` command line.

Worked numbers come from the AWS documentation as summarised in the trainer's fact sheet:
a /24 has 251 usable addresses; a c5.large runs 2 awsvpc tasks, or 10 with ENI trunking.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.charts.sizing import sizing_figure
from trainer.cli import main
from trainer.explainers.sizing.addresses import (
    parse_cidr,
    reserved_addresses,
    smallest_prefix,
    subnet_info,
    usable_addresses,
)
from trainer.explainers.sizing.calculation import (
    hyperplane_enis,
    legacy_enis,
    size_lambda,
    size_plan,
    size_service,
)
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.diagram import diagram_graph, diagram_positions
from trainer.explainers.sizing.export import sizing_to_dict, subnets_csv, uses_csv
from trainer.explainers.sizing.instances import instance_limits, instance_table
from trainer.explainers.sizing.kinds import MANUAL_KINDS, Severity, SubnetFit, UseKind
from trainer.explainers.sizing.limits import HYPERPLANE_ADDRESS_ASSUMPTION, MAX_PREFIX, MIN_PREFIX
from trainer.explainers.sizing.plan import EcsService, LambdaFunction
from trainer.explainers.sizing.plan_io import (
    decode_plan,
    encode_plan,
    plan_from_dict,
    plan_to_dict,
    plan_to_yaml,
)
from trainer.explainers.sizing.presets import PRESETS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = ROOT / "examples" / "vpc-plan.yaml"


def plan_dict(**overrides):
    """A small valid plan: two /24 subnets in two AZs."""
    data = {
        "vpc_cidr": "10.0.0.0/16",
        "subnets": [
            {"name": "a", "cidr": "10.0.0.0/24", "az": "az-1"},
            {"name": "b", "cidr": "10.0.1.0/24", "az": "az-2"},
        ],
    }
    data.update(overrides)
    return data


# --- Addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "usable"), [(28, 11), (24, 251), (20, 4091), (16, 65531)])
def test_usable_addresses_match_the_documented_examples(prefix, usable):
    assert usable_addresses(prefix) == usable
    assert subnet_info(f"10.0.0.0/{prefix}")["usable_ips"] == usable


def test_reserved_addresses_are_the_first_four_and_the_last():
    reserved = reserved_addresses(ipaddress.IPv4Network("10.0.0.0/24"))
    assert [r.address for r in reserved] == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"]
    assert "router" in reserved[1].purpose
    assert "broadcast" in reserved[4].purpose
    info = subnet_info("10.0.0.0/24")
    assert (info["first_usable"], info["last_usable"]) == ("10.0.0.4", "10.0.0.254")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.0/29", "/16 to /28"),
        ("10.0.0.0/15", "/16 to /28"),
        ("10.0.0.7/24", "host bits"),
        ("10.0.0.0", "no prefix length"),
        ("banana", "not a valid IPv4 CIDR"),
        ("10.0.0.0/33", "not a valid IPv4 CIDR"),
        ("2001:db8::/64", "IPv6"),
        ("", "expected an IPv4 CIDR"),
        (None, "expected an IPv4 CIDR"),
    ],
)
def test_invalid_cidrs_say_what_is_wrong(text, expected):
    with pytest.raises(SizingError, match=expected) as caught:
        parse_cidr(text)
    assert "\n" not in str(caught.value)


def test_smallest_prefix_keeps_the_chosen_headroom():
    assert smallest_prefix(0, 20) == 28
    assert smallest_prefix(8, 20) == 28  # 8 <= 11 x 0.8
    assert smallest_prefix(9, 20) == 27
    assert smallest_prefix(234, 20) == 23  # 251 x 0.8 = 200.8 < 234
    assert smallest_prefix(251, 0) == 24
    assert smallest_prefix(10**6, 20) is None


# --- Instance limits --------------------------------------------------------------------------


def test_c5_large_runs_two_tasks_or_ten_with_trunking():
    limits = instance_limits("c5.large")
    assert limits.max_enis == 3
    assert limits.tasks_per_instance(trunking=False) == 2
    assert limits.tasks_per_instance(trunking=True) == 10


def test_2xlarge_sizes_go_from_3_to_40_with_trunking():
    for name in ("m5.2xlarge", "c5.2xlarge", "r5.2xlarge", "m6i.2xlarge"):
        limits = instance_limits(name)
        assert (limits.tasks_without_trunking, limits.tasks_with_trunking) == (3, 40)


def test_every_table_row_follows_the_documented_eni_rule():
    for limits in instance_table().values():
        assert limits.tasks_without_trunking == limits.max_enis - 1


def test_t3_has_no_trunking():
    limits = instance_limits("t3.medium")
    assert not limits.supports_trunking
    with pytest.raises(SizingError, match="t3 family is not in the ECS ENI trunking list"):
        limits.tasks_per_instance(trunking=True)


def test_unknown_instance_type_lists_close_matches():
    with pytest.raises(
        SizingError,
        match=r"unknown instance type 'c5.larg'; did you mean "
        r"c5.large",
    ):
        instance_limits("c5.larg")
    with pytest.raises(SizingError, match="trunking is not supported on c5n.large"):
        instance_limits("c5n.large")
    with pytest.raises(SizingError, match="known types: t3.micro"):
        instance_limits("zz9.plural")


def test_instance_lookup_ignores_case_and_spaces():
    assert instance_limits(" C5.Large ").name == "c5.large"


# --- ECS --------------------------------------------------------------------------------------


def test_fargate_peak_is_maximum_times_max_percent():
    service = EcsService("web", ("a",), desired=10, maximum=40, max_percent=200)
    sized = size_service(service)
    assert (sized.steady_ips, sized.peak_ips) == (10, 80)
    assert sized.tasks_per_instance is None


def test_ec2_without_trunking_needs_an_instance_per_two_tasks():
    service = EcsService(
        "api", ("a",), launch_type="ec2", instance_type="c5.large", desired=10, max_percent=100
    )
    sized = size_service(service)
    assert sized.tasks_per_instance == 2
    assert (sized.instances_steady, sized.instances_peak) == (5, 5)
    assert sized.instance_ips_peak == 5  # one primary interface each


def test_ec2_with_trunking_counts_the_trunk_interface():
    service = EcsService(
        "api", ("a",), launch_type="ec2", instance_type="c5.large", trunking=True, desired=10, max_percent=200
    )
    sized = size_service(service)
    assert sized.tasks_per_instance == 10
    assert (sized.instances_steady, sized.instances_peak) == (1, 2)
    assert sized.instance_ips_peak == 4


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"max_percent": 250}, "max_percent must be a whole number from 100 to 200"),
        ({"max_percent": 99}, "from 100 to 200"),
        ({"desired": -1}, "desired must be 0 or more"),
        ({"desired": 10**15}, "desired must be at most 10,000,000"),
        ({"desired": 5, "maximum": 2}, r"maximum \(2\) is below desired \(5\)"),
        ({"desired": 1.5}, "desired must be a whole number"),
        ({"launch_type": "lambda"}, "launch_type must be one of fargate, ec2"),
        ({"instance_type": "c5.large"}, "Fargate gives every task its own network interface"),
        ({"trunking": True}, "Fargate"),
        ({"launch_type": "ec2"}, "needs an instance_type"),
        ({"launch_type": "ec2", "instance_type": "t3.small", "trunking": True}, "trunking"),
        ({"subnets": tuple(f"s{i}" for i in range(17))}, "at most 16"),
        ({"subnets": ("a", "a")}, "listed twice"),
        ({"subnets": ()}, "list the subnets"),
    ],
)
def test_invalid_services_are_rejected(kwargs, expected):
    values = {"name": "svc", "subnets": ("a",), **kwargs}
    with pytest.raises(SizingError, match=expected):
        EcsService(**values)


# --- Lambda -----------------------------------------------------------------------------------


def test_one_hyperplane_eni_per_65000_connections():
    assert hyperplane_enis(0) == 1
    assert hyperplane_enis(65_000) == 1
    assert hyperplane_enis(65_001) == 2
    assert hyperplane_enis(130_001) == 3


def test_functions_with_the_same_subnet_and_security_groups_share_an_eni():
    functions = [
        LambdaFunction("f1", ("a", "b"), ("sg-1",)),
        LambdaFunction("f2", ("a", "b"), ("sg-1",)),
        LambdaFunction("f3", ("a", "b"), ("sg-1", "sg-2")),
        LambdaFunction("f4", ("b",), ("sg-2", "sg-1")),  # same set, different order
    ]
    sized = size_lambda(functions)
    assert sized.enis_steady == 4  # (a, sg-1) (b, sg-1) (a, sg-1+2) (b, sg-1+2)
    shared = [c for c in sized.combinations if c.subnet == "b" and len(c.security_groups) == 2]
    assert shared[0].functions == ("f3", "f4")


def test_legacy_formula_is_concurrency_times_memory_over_3gb():
    assert legacy_enis(1000, 1024) == 334
    assert legacy_enis(300, 3072) == 300
    function = LambdaFunction("f", ("a",), ("sg",), concurrency=1000, memory_mb=1024)
    assert size_lambda([function]).legacy_total == 334


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"security_groups": tuple(f"sg-{i}" for i in range(6))}, "at most 5"),
        ({"security_groups": ()}, "at least one security group"),
        ({"subnets": tuple(f"s{i}" for i in range(17))}, "at most 16"),
        ({"connections": -5}, "connections must be 0 or more"),
        ({"concurrency": 10}, "both concurrency and memory_mb"),
        ({"concurrency": 10, "memory_mb": 64}, "memory_mb must be from 128 to 10,240"),
        ({"concurrency": 10, "memory_mb": 20_000}, "memory_mb must be from 128"),
    ],
)
def test_invalid_functions_are_rejected(kwargs, expected):
    values = {"name": "fn", "subnets": ("a",), "security_groups": ("sg",), **kwargs}
    with pytest.raises(SizingError, match=expected):
        LambdaFunction(**values)


def test_lambda_results_label_the_address_assumption():
    plan = plan_from_dict(
        plan_dict(lambda_functions=[{"name": "f", "subnets": "a, b", "security_groups": ["sg"]}])
    )
    result = size_plan(plan)
    assert HYPERPLANE_ADDRESS_ASSUMPTION in result.assumptions
    assert "AWS does not document" in HYPERPLANE_ADDRESS_ASSUMPTION
    assert [s.peak for s in result.subnets] == [1, 1]


# --- Plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subnets", "expected"),
    [
        (
            [{"name": "x", "cidr": "10.1.0.0/24", "az": "z"}],
            r"subnet 'x' \(10.1.0.0/24\) is "
            r"outside the VPC 10.0.0.0/16",
        ),
        (
            [
                {"name": "x", "cidr": "10.0.0.0/24", "az": "z"},
                {"name": "y", "cidr": "10.0.0.128/25", "az": "z"},
            ],
            r"subnets 'x' \(10.0.0.0/24\) and 'y' \(10.0.0.128/25\) overlap",
        ),
        ([{"name": "x", "cidr": "10.0.0.0/29", "az": "z"}], "/16 to /28"),
        (
            [
                {"name": "x", "cidr": "10.0.0.0/24", "az": "z"},
                {"name": "x", "cidr": "10.0.1.0/24", "az": "z"},
            ],
            "two subnets are named 'x'",
        ),
        ([{"name": "x", "cidr": "10.0.0.0/24"}], "Availability Zone"),
        ([{"cidr": "10.0.0.0/24", "az": "z"}], "needs a name"),
        ([], "no subnets"),
    ],
)
def test_invalid_subnets_say_which(subnets, expected):
    with pytest.raises(SizingError, match=expected):
        plan_from_dict(plan_dict(subnets=subnets))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"vpc_cidr": "10.0.0.0/8"}, "VPC CIDR 10.0.0.0/8 is a /8"),
        ({"ecs_services": [{"name": "web", "subnets": ["a", "c"]}]}, "ECS service 'web': unknown subnet 'c'"),
        ({"ecs_services": [{"name": "web", "subnets": ["aa"]}]}, "did you mean 'a'"),
        (
            {"lambda_functions": [{"name": "f", "subnets": ["zz"], "security_groups": ["sg"]}]},
            "unknown subnet 'zz'; the subnets are a, b",
        ),
        ({"other_users": [{"name": "nat", "kind": "nat-gateway", "subnet": "q"}]}, "unknown subnet 'q'"),
        ({"other_users": [{"name": "x", "kind": "ecs-task", "subnet": "a"}]}, "kind must be one of"),
        ({"other_users": [{"name": "x", "subnet": "a", "count": -1}]}, "count must be 0 or more"),
        (
            {"ecs_services": [{"name": "web", "subnets": ["a"], "desierd": 3}]},
            "unknown key 'desierd'; did you mean 'desired'",
        ),
        (
            {"ecs_services": [{"name": "web", "subnets": ["a"], "desired": "3"}]},
            "ECS service 'web' \\(row 1\\): desired must be a whole number",
        ),
        (
            {"ecs_services": [{"name": "web", "subnets": ["a"], "trunking": "yes"}]},
            "trunking must be true or false",
        ),
        (
            {
                "ecs_services": [{"name": "x", "subnets": ["a"]}],
                "other_users": [{"name": "x", "subnet": "a"}],
            },
            "two workloads are named 'x'",
        ),
        ({"ecs_services": "web"}, "ecs_services must be a list"),
        ({"ecs_services": ["web"]}, "ECS service 'service-1' \\(row 1\\) must be a mapping"),
        ({"headroom_percent": 95}, "headroom_percent must be a whole number from 0 to 90"),
        ({"colour": "blue"}, "unknown key 'colour'"),
    ],
)
def test_invalid_plans_say_what_and_where(overrides, expected):
    with pytest.raises(SizingError, match=expected) as caught:
        plan_from_dict(plan_dict(**overrides))
    assert "\n" not in str(caught.value)


def test_record_errors_name_the_row_in_words_not_a_list_index():
    """UX review #28: "subnets[0]: subnet 'private-a' ..." was a programmer's index."""
    bad = {"name": "private-a", "cidr": "10.0.0.0/33", "az": "z"}
    with pytest.raises(SizingError) as caught:
        plan_from_dict(plan_dict(subnets=[{"name": "a", "cidr": "10.0.0.0/24", "az": "z"}, bad]))
    assert str(caught.value) == (
        "Subnet 'private-a' (row 2): '10.0.0.0/33' is not a valid IPv4 CIDR block such as 10.0.1.0/24"
    )
    with pytest.raises(SizingError) as caught:
        plan_from_dict(plan_dict(ecs_services=[{"subnets": ["a"], "launch_type": "ec2"}]))
    assert str(caught.value) == "ECS service 'service-1' (row 1): the EC2 launch type needs an instance_type"


def test_a_plan_needs_a_vpc_and_a_mapping():
    with pytest.raises(SizingError, match="needs a vpc_cidr"):
        plan_from_dict({"subnets": []})
    with pytest.raises(SizingError, match="must be a mapping"):
        plan_from_dict(["vpc"])
    with pytest.raises(SizingError, match="got nothing"):
        plan_from_dict(None)


def test_plan_dict_round_trip_and_comma_lists():
    plan = plan_from_dict(
        plan_dict(
            ecs_services=[{"name": "web", "subnets": "a, b", "desired": 2, "maximum": 4}],
            lambda_functions=[
                {
                    "name": "f",
                    "subnets": "a",
                    "security_groups": "sg-2, sg-1",
                    "concurrency": 10,
                    "memory_mb": 512,
                }
            ],
            other_users=[{"name": "nat", "kind": "NAT_gateway", "subnet": "a"}],
        )
    )
    assert plan.ecs_services[0].subnets == ("a", "b")
    assert plan.lambda_functions[0].security_groups == ("sg-1", "sg-2")
    assert plan.other_users[0].kind is UseKind.NAT_GATEWAY
    assert plan_from_dict(data := plan_to_dict(plan)) == plan
    assert json.loads(json.dumps(data)) == data


def test_subnet_and_az_totals():
    plan = plan_from_dict(
        plan_dict(
            subnets=[
                {"name": "a", "cidr": "10.0.0.0/24", "az": "az-1"},
                {"name": "b", "cidr": "10.0.1.0/24", "az": "az-2"},
                {"name": "c", "cidr": "10.0.2.0/26", "az": "az-1"},
            ],
            ecs_services=[
                {"name": "web", "subnets": ["a", "b"], "desired": 10, "maximum": 100, "max_percent": 200}
            ],
            other_users=[{"name": "nat", "kind": "nat-gateway", "subnet": "c", "count": 1}],
        )
    )
    result = size_plan(plan)
    a, b, c = result.subnets
    assert (a.usable, a.steady, a.peak, a.headroom) == (251, 5, 100, 151)
    assert (c.usable, c.steady, c.peak) == (59, 1, 1)
    az1 = result.azs[0]
    assert (az1.az, az1.subnets, az1.usable, az1.peak) == ("az-1", ("a", "c"), 310, 101)
    assert result.interfaces_peak == 201


def test_a_subnet_over_80_percent_at_peak_is_a_warning_and_over_100_an_error():
    def result_for(maximum):
        return size_plan(
            plan_from_dict(
                plan_dict(
                    ecs_services=[
                        {
                            "name": "web",
                            "subnets": ["a"],
                            "desired": 1,
                            "maximum": maximum,
                            "max_percent": 100,
                        }
                    ]
                )
            )
        )

    tight = result_for(210)
    assert tight.subnets[0].fit is SubnetFit.TIGHT
    assert any(f.severity is Severity.WARNING and "84% full at peak" in f.message for f in tight.findings)
    full = result_for(260)
    assert full.subnets[0].fit is SubnetFit.EXHAUSTED
    assert any(
        f.severity is Severity.ERROR and "runs out at peak" in f.message and "9 short" in f.message
        for f in full.findings
    )
    assert result_for(100).subnets[0].fit is SubnetFit.OK


def test_region_eni_quota_warning():
    subnets = [{"name": f"s{i}", "cidr": f"10.0.{16 * i}.0/20", "az": "z"} for i in range(4)]
    plan = plan_from_dict(
        plan_dict(
            subnets=subnets,
            ecs_services=[
                {"name": "big", "subnets": [s["name"] for s in subnets], "desired": 3000, "max_percent": 200}
            ],
        )
    )
    result = size_plan(plan)
    assert result.interfaces_peak == 6000
    assert any(
        f.severity is Severity.ERROR and "5,000 network interfaces per Region" in f.message
        for f in result.findings
    )


def test_lambda_eni_quota_warning_says_check_service_quotas():
    subnets = [{"name": f"s{i}", "cidr": f"10.0.{i}.0/24", "az": "z"} for i in range(16)]
    functions = [
        {"name": f"f{j}", "subnets": [s["name"] for s in subnets], "security_groups": [f"sg-{j}"]}
        for j in range(16)
    ]
    result = size_plan(plan_from_dict(plan_dict(subnets=subnets, lambda_functions=functions)))
    assert result.lambda_.enis_peak == 256
    messages = [f.message for f in result.findings if f.severity is Severity.ERROR]
    assert any("250 (Lambda quotas page; check Service Quotas)" in m for m in messages)


def test_suggested_split_packs_recommended_sizes_into_the_vpc():
    plan = PRESETS["fargate-three-az"].settings
    result = size_plan(plan)
    assert result.split.fits
    cidrs = {p.name: p.cidr for p in result.split.subnets}
    assert cidrs["private-a"] == "10.0.0.0/23"
    assert all(cidrs[f"public-{x}"].endswith("/28") for x in "abc")
    assert "10.0.8.0/21" in result.split.free


def test_split_that_does_not_fit_says_how_big_the_vpc_must_be():
    plan = plan_from_dict(
        {
            "vpc_cidr": "10.0.0.0/24",
            "subnets": [{"name": "a", "cidr": "10.0.0.0/25", "az": "z"}],
            "ecs_services": [{"name": "web", "subnets": ["a"], "desired": 210, "max_percent": 100}],
        }
    )
    result = size_plan(plan)
    assert not result.split.fits
    assert "a /23 VPC CIDR would hold them" in result.split.message


def test_presets_exist_and_tell_their_story():
    assert list(PRESETS) == ["fargate-three-az", "ec2-no-trunking", "lambda-shared-subnets"]
    for preset in PRESETS.values():
        assert preset.title and len(preset.idea) > 80 and len(preset.watch) > 80
    fargate = size_plan(PRESETS["fargate-three-az"].settings)
    assert len(fargate.azs) == 3
    assert {s.fit for s in fargate.subnets} == {SubnetFit.TIGHT, SubnetFit.OK}
    ec2 = size_plan(PRESETS["ec2-no-trunking"].settings)
    assert any(s.fit is SubnetFit.EXHAUSTED for s in ec2.subnets)
    assert ec2.services[0].tasks_per_instance == 2
    lam = size_plan(PRESETS["lambda-shared-subnets"].settings)
    assert lam.lambda_.enis_peak == 6  # 2 per subnet for the busy set + 1 for the db set
    assert lam.lambda_.legacy_total == 434


def test_plan_token_round_trip_and_tampering():
    plan = PRESETS["ec2-no-trunking"].settings
    token = encode_plan(plan)
    assert decode_plan(token) == plan
    assert all(c.isalnum() or c in "-_." for c in token)
    for bad in (
        "",
        "garbage",
        "1.",
        "1.!!!!",
        token[:-6],
        "2." + token[2:],
        token + "AAAA",
        "1." + "A" * 30_000,
        None,
    ):
        with pytest.raises(SizingError, match="damaged or incomplete"):
            decode_plan(bad)


def test_plan_token_with_invalid_content_is_rejected():
    import base64
    import zlib

    raw = json.dumps({"vpc_cidr": "10.0.0.0/8", "subnets": []}).encode()
    token = "1." + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")
    with pytest.raises(SizingError, match="damaged or incomplete: VPC CIDR"):
        decode_plan(token)


def test_plan_token_refuses_a_decompression_bomb():
    import base64
    import zlib

    raw = b'{"vpc_cidr": "' + b" " * 5_000_000 + b'"}'
    token = "1." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
    with pytest.raises(SizingError, match="damaged or incomplete"):
        decode_plan(token)


def test_csv_exports():
    result = size_plan(PRESETS["fargate-three-az"].settings)
    lines = subnets_csv(result).splitlines()
    assert lines[0].startswith("subnet,az,cidr,usable_ips,steady_ips,peak_ips")
    assert lines[1] == ("private-a,us-east-1a,10.0.0.0/24,251,16,234,17,93.2,tight,/23,10.0.0.0/23")
    assert len(lines) == 7
    uses = uses_csv(result).splitlines()
    assert uses[0] == "subnet,az,workload,kind,steady_ips,peak_ips"
    assert "private-a,us-east-1a,web,ecs-task,10,200" in uses


def test_sizing_to_dict_is_json_ready():
    result = size_plan(PRESETS["lambda-shared-subnets"].settings)
    data = json.loads(json.dumps(sizing_to_dict(result)))
    assert data["lambda"]["hyperplane_enis"] == 6
    assert data["lambda"]["legacy_enis"] == 434
    assert data["subnets"][0]["reserved"][1]["address"] == "10.2.0.1"


def test_plan_yaml_round_trip():
    import yaml

    plan = PRESETS["ec2-no-trunking"].settings
    assert plan_from_dict(yaml.safe_load(plan_to_yaml(plan))) == plan


# --- Diagram ----------------------------------------------------------------------------------


def test_diagram_is_a_tree_from_vpc_to_workloads():
    result = size_plan(PRESETS["fargate-three-az"].settings)
    graph = diagram_graph(result)
    layers = {}
    for node, data in graph.nodes(data=True):
        layers.setdefault(data["layer"], []).append(node)
    assert layers[0] == ["vpc"]
    assert len(layers[1]) == 3 and len(layers[2]) == 6
    assert "use:private-a:web" in graph
    positions = diagram_positions(graph)
    for parent, child in graph.edges:
        assert positions[parent][0] < positions[child][0]  # left to right
    assert len(set(positions.values())) == len(positions)


def test_diagram_figure_colours_subnets_by_peak_fill():
    result = size_plan(PRESETS["ec2-no-trunking"].settings)
    figure = sizing_figure(result)
    subnet_trace = next(t for t in figure.data if t.name == "Subnet")
    assert list(subnet_trace.marker.color) == [1.0, 1.0]  # over 100% is clamped to red
    assert any("app-a" in text for text in subnet_trace.text)


# --- Properties -------------------------------------------------------------------------------


@given(prefix=st.integers(MIN_PREFIX, MAX_PREFIX), data=st.data())
def test_usable_is_size_minus_five_for_every_valid_prefix(prefix, data):
    block = data.draw(st.integers(0, 2**prefix - 1))
    network = ipaddress.IPv4Network((block << (32 - prefix), prefix))
    info = subnet_info(str(network))
    assert info["usable_ips"] == 2 ** (32 - prefix) - 5
    assert len(info["reserved"]) == 5


@given(prefix=st.integers(0, 32).filter(lambda p: not 16 <= p <= 28))
def test_prefixes_outside_16_to_28_are_rejected(prefix):
    with pytest.raises(SizingError, match="/16 to /28"):
        parse_cidr(str(ipaddress.IPv4Network(("10.0.0.0", prefix), strict=False)))


@st.composite
def subnet_lists(draw):
    count = draw(st.integers(1, 8))
    subnets = []
    for i in range(count):
        prefix = draw(st.integers(17, 28))
        block = draw(st.integers(0, 2 ** (prefix - 16) - 1))
        network = ipaddress.IPv4Network((0x0A000000 + (block << (32 - prefix)), prefix))
        subnets.append({"name": f"s{i}", "cidr": str(network), "az": f"az-{i % 3}"})
    return subnets


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(subnet_lists())
def test_a_valid_plan_never_has_overlapping_subnets(subnets):
    try:
        plan = plan_from_dict({"vpc_cidr": "10.0.0.0/16", "subnets": subnets})
    except SizingError as exc:
        assert "overlap" in str(exc)
        return
    networks = [s.network for s in plan.subnets]
    for i, a in enumerate(networks):
        assert a.subnet_of(ipaddress.IPv4Network("10.0.0.0/16"))
        for b in networks[i + 1 :]:
            assert not a.overlaps(b)


@st.composite
def plans(draw):
    count = draw(st.integers(1, 6))
    subnets = [
        {"name": f"s{i}", "cidr": f"10.0.{16 * i}.0/{draw(st.integers(20, 28))}", "az": f"az-{i % 3}"}
        for i in range(count)
    ]
    names = [s["name"] for s in subnets]
    pick = st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True)
    services = []
    for i in range(draw(st.integers(0, 3))):
        desired = draw(st.integers(0, 300))
        service = {
            "name": f"svc{i}",
            "subnets": draw(pick),
            "desired": desired,
            "maximum": desired + draw(st.integers(0, 300)),
            "max_percent": draw(st.integers(100, 200)),
        }
        if draw(st.booleans()):
            instance = draw(st.sampled_from(sorted(instance_table())))
            trunking = draw(st.booleans()) and instance_limits(instance).supports_trunking
            service.update(
                launch_type="ec2",
                instance_type=instance,
                trunking=trunking,
                instances_in_task_subnets=draw(st.booleans()),
            )
        services.append(service)
    functions = [
        {
            "name": f"fn{i}",
            "subnets": draw(pick),
            "security_groups": draw(
                st.lists(st.sampled_from(["sg-a", "sg-b", "sg-c"]), min_size=1, max_size=3, unique=True)
            ),
            "connections": draw(st.integers(0, 300_000)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    others = [
        {
            "name": f"o{i}",
            "subnet": draw(st.sampled_from(names)),
            "kind": draw(st.sampled_from([k.value for k in MANUAL_KINDS])),
            "count": draw(st.integers(0, 5)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    return {
        "vpc_cidr": "10.0.0.0/16",
        "headroom_percent": draw(st.integers(0, 90)),
        "subnets": subnets,
        "ecs_services": services,
        "lambda_functions": functions,
        "other_users": others,
    }


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_peak_is_never_below_steady_state(data):
    result = size_plan(plan_from_dict(data))
    for subnet in result.subnets:
        assert subnet.peak >= subnet.steady >= 0
        for use in subnet.uses:
            assert use.peak >= use.steady >= 0
    for az in result.azs:
        assert az.peak >= az.steady
    for service in result.services:
        assert service.peak_tasks >= service.steady_tasks
        assert service.peak_ips >= service.steady_ips
    assert result.lambda_.enis_peak >= result.lambda_.enis_steady
    assert result.interfaces_peak >= result.interfaces_steady


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_suggested_split_never_overlaps_and_keeps_the_headroom(data):
    plan = plan_from_dict(data)
    result = size_plan(plan)
    vpc = ipaddress.IPv4Network(plan.vpc_cidr)
    split = result.split
    if not split.fits:
        return
    networks = [ipaddress.IPv4Network(p.cidr) for p in split.subnets]
    assert sorted(p.name for p in split.subnets) == sorted(s.name for s in plan.subnets)
    for i, a in enumerate(networks):
        assert a.subnet_of(vpc)
        for b in networks[i + 1 :]:
            assert not a.overlaps(b)
    for p in split.subnets:
        assert p.peak * 100 <= p.usable * (100 - plan.headroom_percent)
    for free in split.free:
        assert not any(ipaddress.IPv4Network(free).overlaps(n) for n in networks)


@given(needed=st.integers(0, 70_000), headroom=st.integers(0, 90))
def test_smallest_prefix_is_the_smallest_that_fits(needed, headroom):
    prefix = smallest_prefix(needed, headroom)
    if prefix is None:
        assert needed * 100 > usable_addresses(16) * (100 - headroom)
        return
    assert needed * 100 <= usable_addresses(prefix) * (100 - headroom)
    if prefix < 28:
        assert needed * 100 > usable_addresses(prefix + 1) * (100 - headroom)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_plan_tokens_round_trip(data):
    plan = plan_from_dict(data)
    assert decode_plan(encode_plan(plan)) == plan


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_random_tokens_never_crash(token):
    try:
        decode_plan(token)
    except SizingError:
        pass


# --- Command line -----------------------------------------------------------------------------


def run(argv, capsys):
    """Run ``trainer`` and return (exit status, stdout, stderr); argparse exits are caught."""
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_subnet_json(capsys):
    status, out, _ = run(["size", "subnet", "10.0.0.0/24", "--json"], capsys)
    data = json.loads(out)
    assert status == 0
    assert data["usable_ips"] == 251
    assert [r["address"] for r in data["reserved"]] == [
        "10.0.0.0",
        "10.0.0.1",
        "10.0.0.2",
        "10.0.0.3",
        "10.0.0.255",
    ]


def test_cli_subnet_text(capsys):
    status, out, _ = run(["size", "subnet", "10.0.0.0/28"], capsys)
    assert status == 0
    assert "11 usable of 16" in out and "VPC router" in out


def test_cli_ecs_ec2_without_and_with_trunking(capsys):
    status, out, _ = run(
        [
            "size",
            "ecs",
            "--launch-type",
            "ec2",
            "--instance-type",
            "c5.large",
            "--tasks",
            "10",
            "--max-percent",
            "100",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert status == 0
    assert (data["tasks_per_instance"], data["instances_needed"], data["peak_ips"]) == (2, 5, 10)
    status, out, _ = run(
        [
            "size",
            "ecs",
            "--launch-type",
            "ec2",
            "--instance-type",
            "c5.large",
            "--trunking",
            "--tasks",
            "10",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert (data["tasks_per_instance"], data["instances_needed"], data["peak_ips"]) == (10, 2, 20)


def test_cli_ecs_fargate_rolling_deployment_doubles_addresses(capsys):
    status, out, _ = run(
        [
            "size",
            "ecs",
            "--launch-type",
            "fargate",
            "--tasks",
            "6",
            "--max-tasks",
            "12",
            "--max-percent",
            "200",
            "--subnets",
            "3",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert status == 0
    assert (data["steady_ips"], data["peak_ips"], data["peak_ips_per_subnet"]) == (6, 24, 8)
    assert "tasks_per_instance" not in data


def test_cli_ecs_text(capsys):
    status, out, _ = run(
        ["size", "ecs", "--launch-type", "ec2", "--instance-type", "t3.large", "--tasks", "4"], capsys
    )
    assert status == 0
    assert "tasks per instance" in out and "not supported" in out


def test_cli_lambda(capsys):
    status, out, _ = run(
        [
            "size",
            "lambda",
            "--subnets",
            "3",
            "--security-group-sets",
            "2",
            "--connections",
            "400000",
            "--concurrency",
            "1000",
            "--memory-mb",
            "1024",
            "--json",
        ],
        capsys,
    )
    data = json.loads(out)
    assert status == 0
    assert data["combinations"] == 6
    assert data["hyperplane_enis"] == 12  # 400,000 / 6 = 66,667 per combination → 2 each
    assert data["legacy_enis"] == 334
    assert "check Service Quotas" in data["quota_enis_per_vpc"]
    assert "assumes one" in data["ips_note"]
    status, out, _ = run(["size", "lambda", "--subnets", "2", "--security-group-sets", "1", "--json"], capsys)
    data = json.loads(out)
    assert (data["hyperplane_enis"], data["legacy_enis"]) == (2, None)


def test_cli_lambda_text(capsys):
    status, out, _ = run(
        [
            "size",
            "lambda",
            "--subnets",
            "2",
            "--security-group-sets",
            "1",
            "--concurrency",
            "100",
            "--memory-mb",
            "3072",
        ],
        capsys,
    )
    assert status == 0
    assert "pre-2019" in out and "100 ENIs" in out and "assumes one" in out


def test_cli_plan_example_file(capsys):
    status, out, _ = run(["size", "plan", str(EXAMPLE_PLAN), "--json"], capsys)
    data = json.loads(out)
    assert status == 0
    assert len(data["subnets"]) == 8
    assert data["split"]["fits"]
    status, out, _ = run(["size", "plan", str(EXAMPLE_PLAN)], capsys)
    assert status == 0
    assert "Suggested split" in out and "app-a" in out and "Assumptions" in out


def test_cli_plan_exits_1_when_a_subnet_runs_out(tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_to_yaml(PRESETS["ec2-no-trunking"].settings))
    status, out, _ = run(["size", "plan", str(path)], capsys)
    assert status == 1
    assert "error: app-a runs out at peak" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["size", "subnet", "10.0.0.0/29"], "/16 to /28"),
        (["size", "subnet", "nonsense"], "not a valid IPv4 CIDR"),
        (["size", "ecs", "--launch-type", "ec2", "--instance-type", "c5.larg"], "did you mean"),
        (["size", "ecs", "--launch-type", "ec2"], "needs an --instance-type"),
        (["size", "ecs", "--launch-type", "ec2", "--instance-type", "t3.micro", "--trunking"], "trunking"),
        (["size", "ecs", "--launch-type", "fargate", "--max-percent", "300"], "--max-percent"),
        (["size", "ecs", "--launch-type", "fargate", "--tasks", "-3"], "must be 0 or more"),
        # The review's 10^18 tasks were accepted with a nonsense answer.
        (["size", "ecs", "--launch-type", "fargate", "--tasks", "10" + "0" * 17], "at most 10,000,000"),
        (["size", "ecs", "--launch-type", "fargate", "--tasks", "ten"], "expected a whole number"),
        (["size", "ecs", "--launch-type", "fargate", "--tasks", "5", "--max-tasks", "1"], "below tasks"),
        (["size", "ecs", "--launch-type", "fargate", "--subnets", "17"], "from 1 to 16"),
        (["size", "ecs", "--launch-type", "k8s"], "invalid choice"),
        (["size", "ecs"], "required: --launch-type"),
        (["size", "ecs", "--launch-type", "fargate", "--whatever"], "unrecognized arguments"),
        (["size", "lambda", "--subnets", "17", "--security-group-sets", "1"], "from 1 to 16"),
        (["size", "lambda", "--subnets", "2", "--security-group-sets", "0"], "at least 1"),
        (
            ["size", "lambda", "--subnets", "2", "--security-group-sets", "1", "--concurrency", "9"],
            "both --concurrency and --memory-mb",
        ),
        (
            [
                "size",
                "lambda",
                "--subnets",
                "2",
                "--security-group-sets",
                "1",
                "--concurrency",
                "9",
                "--memory-mb",
                "50000",
            ],
            "--memory-mb must be from 128",
        ),
        (["size"], "required: KIND"),
        (["size", "plan", "/no/such/plan.yaml"], "cannot read file"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(argv, expected, capsys):
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vpc_cidr: [unclosed", "malformed YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("", "got nothing"),
        (
            "vpc_cidr: 10.0.0.0/16\nsubnets:\n  - {name: a, cidr: 10.0.0.0/24, az: z}\n"
            "ecs_services:\n  - name: web\n    subnets: [a]\n    desierd: 4\n",
            "ECS service 'web' (row 1, line 7): unknown key 'desierd'",
        ),
        (
            "vpc_cidr: 10.0.0.0/16\nsubnets:\n  - {name: a, cidr: 10.0.0.0/24, az: z}\n"
            "  - {name: b, cidr: 10.0.0.0/25, az: z}\n",
            "overlap",
        ),
        (
            "vpc_cidr: 10.0.0.0/16\nsubnets:\n  - {name: a, cidr: 10.0.0.0/24, az: z}\n"
            "ecs_services:\n  - {name: web, subnets: [a], desired: 4, launch_type: ec2,"
            " instance_type: c9.large}\n",
            "ECS service 'web' (row 1, line 5): unknown instance type",
        ),
        ("!!python/object/apply:os.system ['true']\n", "malformed YAML"),
    ],
)
def test_cli_bad_plan_files_exit_2_with_one_line(text, expected, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    status, out, err = run(["size", "plan", str(path), "--json"], capsys)
    assert status == 2
    assert out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1
