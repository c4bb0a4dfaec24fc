"""ENI & subnet sizing: turn "make sure your subnets have enough IP addresses" into numbers.

A :class:`~.plan.Plan` describes one VPC: its IPv4 CIDR, its subnets (each in an Availability
Zone), the ECS services and VPC-attached Lambda functions that run in them, and other address
users added by hand (NAT gateways, interface endpoints, load balancer nodes).
:func:`~.calculation.size_plan` says how many addresses each subnet needs at steady state and
at peak, where it runs out, which quotas come close, the smallest prefix that keeps a chosen
headroom, and a split of the VPC CIDR into subnets of those sizes.

Every limit comes from the trainer's fact sheet. Where AWS does not document a number the
calculator needs, it makes an assumption and says so in the result's ``assumptions`` rather
than presenting it as fact. Invalid input raises :class:`~.checks.SizingError` with a one-line
message meant for the user.

The modules, lowest first (each imports only those above it):

* ``limits`` — AWS limits from the fact sheet, and the calculator's own thresholds;
* ``kinds`` — the enums: launch type, address user, finding severity, subnet fit;
* ``checks`` — :class:`SizingError` and the input checks several records share;
* ``addresses`` — CIDR parsing, the five reserved addresses, the smallest prefix that fits;
* ``instances`` — EC2 instance types and their awsvpc task limits (``data/instance_limits.yaml``);
* ``plan`` — the plan and its parts, each validated on construction;
* ``plan_io`` — a plan from and to plain data, YAML, and compact URL tokens;
* ``results`` — the records sizing produces;
* ``findings`` — what a sized plan tells the reader, and the assumptions behind it;
* ``calculation`` — :func:`size_plan` and the per-workload arithmetic;
* ``export`` — a sized plan as JSON-ready data and CSV;
* ``quick`` — one-workload calculators for ``trainer size ecs`` and ``trainer size lambda``;
* ``presets`` — the worked examples, each teaching one lesson;
* ``diagram`` — the VPC → AZ → subnet → workload tree and its layout.

Nothing here imports Streamlit or plotly; the page is ``trainer/ui/sizing.py``, its figure
``trainer/charts/sizing.py``, the command ``trainer/cli/size.py``.
"""
