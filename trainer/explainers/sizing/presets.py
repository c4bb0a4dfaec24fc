"""The sizing page's worked examples: each plan teaches one lesson, with what to watch.

Preset ids are stable: content YAML links cards to them (``explainer: {page: sizing, preset:
...}``) and the page loads them from ``?preset=<id>``. Plans are written as plain data and read
with :func:`~trainer.explainers.sizing.plan_io.plan_from_dict`, as a file the user writes would be.
"""

from __future__ import annotations

from typing import Any

from trainer.explainers.preset import Preset
from trainer.explainers.sizing.plan import Plan
from trainer.explainers.sizing.plan_io import plan_from_dict


def _preset(id: str, title: str, idea: str, watch: str, data: dict[str, Any]) -> Preset[Plan]:
    return Preset(id=id, title=title, idea=idea, watch=watch, settings=plan_from_dict(data))


_AZS = ("us-east-1a", "us-east-1b", "us-east-1c")

PRESETS: dict[str, Preset[Plan]] = {
    p.id: p
    for p in (
        _preset(
            "fargate-three-az",
            "Fargate service in three AZs",
            "A web service on Fargate spread over three private /24 subnets, one per "
            "Availability Zone, with a small worker service beside it. At steady state the "
            "subnets are mostly empty; at the auto scaling maximum, during a rolling "
            "deployment at maximumPercent 200, every task briefly has a twin.",
            "Compare Steady with Peak: the same private subnets end up over 80% full and turn "
            "orange in the diagram, while the public /26s, which hold only the NAT gateways and "
            "load balancer nodes, stay nearly empty. The suggested split gives each private "
            "subnet a /23.",
            {
                "vpc_cidr": "10.0.0.0/20",
                "headroom_percent": 20,
                "subnets": [
                    *(
                        {"name": f"private-{az[-1]}", "cidr": f"10.0.{i}.0/24", "az": az}
                        for i, az in enumerate(_AZS)
                    ),
                    *(
                        {"name": f"public-{az[-1]}", "cidr": f"10.0.3.{64 * i}/26", "az": az}
                        for i, az in enumerate(_AZS)
                    ),
                ],
                "ecs_services": [
                    {
                        "name": "web",
                        "launch_type": "fargate",
                        "desired": 30,
                        "maximum": 300,
                        "max_percent": 200,
                        "subnets": ["private-a", "private-b", "private-c"],
                    },
                    {
                        "name": "worker",
                        "launch_type": "fargate",
                        "desired": 6,
                        "maximum": 60,
                        "max_percent": 150,
                        "subnets": ["private-a", "private-b", "private-c"],
                    },
                ],
                "other_users": [
                    *(
                        {
                            "name": f"endpoints-{x}",
                            "kind": "interface-endpoint",
                            "subnet": f"private-{x}",
                            "count": 4,
                        }
                        for x in "abc"
                    ),
                    *(
                        {"name": f"nat-{x}", "kind": "nat-gateway", "subnet": f"public-{x}", "count": 1}
                        for x in "abc"
                    ),
                    *(
                        {
                            "name": f"alb-{x}",
                            "kind": "load-balancer-node",
                            "subnet": f"public-{x}",
                            "count": 1,
                        }
                        for x in "abc"
                    ),
                ],
            },
        ),
        _preset(
            "ec2-no-trunking",
            "EC2 cluster without trunking",
            "An API service on c5.large container instances with ENI trunking off: each "
            "instance has 3 network interfaces, the primary one is taken, so it runs only 2 "
            "awsvpc tasks, however much CPU and memory are left. A batch service on t3.medium "
            "can't use trunking at all.",
            "Both /26 subnets run out at peak and are red in the diagram; the ECS services tab "
            "shows 2 tasks per instance for api. Turn trunking on for api to see the same "
            "tasks fit on 10 per instance.",
            {
                "vpc_cidr": "10.1.0.0/22",
                "headroom_percent": 20,
                "subnets": [
                    {"name": "app-a", "cidr": "10.1.0.0/26", "az": "us-east-1a"},
                    {"name": "app-b", "cidr": "10.1.0.64/26", "az": "us-east-1b"},
                ],
                "ecs_services": [
                    {
                        "name": "api",
                        "launch_type": "ec2",
                        "instance_type": "c5.large",
                        "trunking": False,
                        "desired": 12,
                        "maximum": 36,
                        "max_percent": 200,
                        "subnets": ["app-a", "app-b"],
                    },
                    {
                        "name": "batch",
                        "launch_type": "ec2",
                        "instance_type": "t3.medium",
                        "trunking": False,
                        "desired": 2,
                        "maximum": 6,
                        "max_percent": 100,
                        "subnets": ["app-a", "app-b"],
                    },
                ],
                "other_users": [
                    {"name": "endpoints-a", "kind": "interface-endpoint", "subnet": "app-a", "count": 2},
                    {"name": "endpoints-b", "kind": "interface-endpoint", "subnet": "app-b", "count": 2},
                ],
            },
        ),
        _preset(
            "lambda-shared-subnets",
            "Lambda functions sharing subnets",
            "Four functions attached to the same two subnets. Three share one security group, "
            "so they share one Hyperplane ENI per subnet; the fourth adds a database security "
            "group, which is a new combination and a new ENI per subnet.",
            "The busiest combination passes 65,000 connections and gets a second ENI: 4 "
            "Hyperplane ENIs at steady state, 6 at peak. For contrast, the pre-2019 formula "
            "(peak concurrency × memory / 3 GB) would have needed 434 ENIs for the same "
            "functions.",
            {
                "vpc_cidr": "10.2.0.0/24",
                "headroom_percent": 20,
                "subnets": [
                    {"name": "lambda-a", "cidr": "10.2.0.0/27", "az": "eu-west-1a"},
                    {"name": "lambda-b", "cidr": "10.2.0.32/27", "az": "eu-west-1b"},
                ],
                "lambda_functions": [
                    {
                        "name": "orders-api",
                        "subnets": ["lambda-a", "lambda-b"],
                        "security_groups": ["sg-lambda"],
                        "connections": 120_000,
                        "concurrency": 1000,
                        "memory_mb": 1024,
                    },
                    {
                        "name": "payments-api",
                        "subnets": ["lambda-a", "lambda-b"],
                        "security_groups": ["sg-lambda"],
                        "connections": 30_000,
                        "concurrency": 300,
                        "memory_mb": 512,
                    },
                    {
                        "name": "reports",
                        "subnets": ["lambda-a", "lambda-b"],
                        "security_groups": ["sg-lambda"],
                        "connections": 2_000,
                        "concurrency": 50,
                        "memory_mb": 3008,
                    },
                    {
                        "name": "db-migrator",
                        "subnets": ["lambda-a", "lambda-b"],
                        "security_groups": ["sg-lambda", "sg-db"],
                        "connections": 100,
                        "concurrency": 5,
                        "memory_mb": 256,
                    },
                ],
            },
        ),
    )
}

DEFAULT_PRESET = "fargate-three-az"
