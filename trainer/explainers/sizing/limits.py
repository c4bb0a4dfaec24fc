"""The numbers the sizing calculator works with: AWS limits, and the calculator's own choices.

Every AWS limit comes from the trainer's fact sheet (``shared/reference/aws-facts.md``, sections
a-c). The second group is not AWS's: thresholds and ranges this calculator picked, kept apart
so nobody mistakes them for documented limits. Where AWS documents nothing the calculator
needs, it assumes something and says so (:data:`HYPERPLANE_ADDRESS_ASSUMPTION`).
"""

from __future__ import annotations

# --- Limits from the fact sheet -------------------------------------------------------------

#: VPC and subnet IPv4 CIDRs must be between /16 and /28 (VPC user guide).
MIN_PREFIX, MAX_PREFIX = 16, 28
#: AWS reserves five addresses in every subnet: the first four and the last.
RESERVED_PER_SUBNET = 5
#: Subnets per VPC (VPC quotas).
MAX_SUBNETS_PER_VPC = 200
#: IPv4 CIDR blocks per VPC, default (VPC quotas); used in advice when a VPC is too small.
CIDR_BLOCKS_PER_VPC = 5
#: "Network interfaces per Region" (VPC quotas, adjustable); it was 350 before 2020.
REGION_ENI_QUOTA = 5_000
#: Lambda "Elastic network interfaces per VPC" default from the Lambda quotas page. A re:Post
#: article says 500, so every message tells the reader to check Service Quotas.
LAMBDA_VPC_ENI_QUOTA = 250
LAMBDA_VPC_ENI_QUOTA_TEXT = "250 (Lambda quotas page; check Service Quotas)"
#: Each Hyperplane ENI supports up to 65,000 connections; beyond that Lambda adds another.
CONNECTIONS_PER_HYPERPLANE_ENI = 65_000
#: awsVpcConfiguration and Lambda VpcConfig both take at most 16 subnets and 5 security groups.
MAX_WORKLOAD_SUBNETS = 16
MAX_SECURITY_GROUPS = 5
#: Lambda memory: 128 MB to 10,240 MB.
LAMBDA_MEMORY_MB = (128, 10_240)
#: The pre-2019 formula divided by 3 GB: peak concurrency x (memory in GB / 3 GB).
LEGACY_MB_PER_ENI = 3 * 1024

# --- Choices of this calculator (not AWS limits) ------------------------------------------

#: A subnet above this fill at peak gets a warning.
TIGHT_FILL = 0.80
#: The fact sheet does not list ECS's own bounds for maximumPercent. The calculator accepts
#: 100% (no extra tasks during a deployment) to 200% (a complete second set of tasks, which is
#: what a rolling deployment at 200% briefly needs) and rejects the rest rather than guess.
MAX_PERCENT_RANGE = (100, 200)
DEFAULT_MAX_PERCENT = 200
DEFAULT_HEADROOM_PERCENT = 20
#: No count the calculator reads (tasks, functions' connections, addresses added by hand) may
#: exceed ten million: a VPC holds at most 5 blocks of a /16, 327,680 addresses, so anything
#: larger is a typo, and refusing it keeps a nonsense answer from looking like a result.
MAX_COUNT = 10_000_000
HEADROOM_RANGE = (0, 90)

HYPERPLANE_ADDRESS_ASSUMPTION = (
    "AWS does not document the address count per Hyperplane ENI; the calculator assumes one."
)
