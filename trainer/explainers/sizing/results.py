"""What sizing a plan produces: addresses per workload and subnet, per Availability Zone, Lambda's
Hyperplane ENIs, a suggested split of the VPC CIDR, and findings.

Plain frozen records; the arithmetic that fills them is in :mod:`.calculation` and
:mod:`.findings`, and their plain-data form (JSON, CSV) in :mod:`.export`.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.explainers.sizing.addresses import ReservedAddress
from trainer.explainers.sizing.kinds import LaunchType, Severity, SubnetFit, UseKind
from trainer.explainers.sizing.limits import TIGHT_FILL
from trainer.explainers.sizing.plan import Plan, Subnet


@dataclass(frozen=True)
class AddressUse:
    """Addresses (one per network interface) that one workload takes in one subnet."""

    subnet: str
    workload: str
    kind: UseKind
    steady: int
    peak: int


@dataclass(frozen=True)
class ServiceSizing:
    name: str
    launch_type: LaunchType
    subnets: tuple[str, ...]
    steady_tasks: int
    peak_tasks: int
    tasks_per_instance: int | None = None  # EC2 only
    instances_steady: int | None = None
    instances_peak: int | None = None
    interfaces_per_instance: int = 0  # primary (+ trunk) counted in the subnets
    steady_ips: int = 0  # task addresses
    peak_ips: int = 0
    instance_ips_steady: int = 0
    instance_ips_peak: int = 0


@dataclass(frozen=True)
class HyperplaneCombination:
    """One Hyperplane ENI group: a subnet + security-group set, shared by its functions."""

    subnet: str
    security_groups: tuple[str, ...]
    functions: tuple[str, ...]
    connections: int
    enis_steady: int
    enis_peak: int


@dataclass(frozen=True)
class LegacyEstimate:
    """The pre-2019 model: peak concurrency x (memory in GB / 3 GB) ENIs, one address each."""

    function: str
    concurrency: int
    memory_mb: int
    enis: int


@dataclass(frozen=True)
class LambdaSizing:
    combinations: tuple[HyperplaneCombination, ...] = ()
    legacy: tuple[LegacyEstimate, ...] = ()

    @property
    def enis_steady(self) -> int:
        return sum(c.enis_steady for c in self.combinations)

    @property
    def enis_peak(self) -> int:
        return sum(c.enis_peak for c in self.combinations)

    @property
    def legacy_total(self) -> int | None:
        return sum(e.enis for e in self.legacy) if self.legacy else None


@dataclass(frozen=True)
class SubnetSizing:
    subnet: Subnet
    usable: int
    reserved: tuple[ReservedAddress, ...]
    steady: int
    peak: int
    uses: tuple[AddressUse, ...]
    recommended_prefix: int | None

    @property
    def headroom(self) -> int:
        """Usable addresses left at peak (negative when the subnet runs out)."""
        return self.usable - self.peak

    @property
    def fill_steady(self) -> float:
        return self.steady / self.usable

    @property
    def fill_peak(self) -> float:
        return self.peak / self.usable

    @property
    def fit(self) -> SubnetFit:
        if self.peak > self.usable:
            return SubnetFit.EXHAUSTED
        if self.fill_peak > TIGHT_FILL:
            return SubnetFit.TIGHT
        return SubnetFit.OK


@dataclass(frozen=True)
class AzSizing:
    az: str
    subnets: tuple[str, ...]
    usable: int
    steady: int
    peak: int

    @property
    def fill_peak(self) -> float:
        return self.peak / self.usable if self.usable else 0.0


@dataclass(frozen=True)
class Finding:
    """Something the reader should know about the plan, most severe first in a result."""

    severity: Severity
    message: str
    subnet: str | None = None


@dataclass(frozen=True)
class SplitSubnet:
    name: str
    az: str
    cidr: str
    usable: int
    peak: int


@dataclass(frozen=True)
class Split:
    """Subnets of the recommended sizes packed into the VPC CIDR, largest first, plus the
    space left over. Power-of-two blocks placed largest first never fragment, so the split
    fits whenever the total fits."""

    fits: bool
    subnets: tuple[SplitSubnet, ...]
    free: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class PlanSizing:
    plan: Plan
    subnets: tuple[SubnetSizing, ...]
    azs: tuple[AzSizing, ...]
    services: tuple[ServiceSizing, ...]
    lambda_: LambdaSizing
    other_interfaces: int
    split: Split
    findings: tuple[Finding, ...]
    assumptions: tuple[str, ...]

    @property
    def interfaces_steady(self) -> int:
        """Network interfaces in the whole plan at steady state (for the Region quota)."""
        return (
            sum(s.steady_ips + s.instance_ips_steady for s in self.services)
            + self.lambda_.enis_steady
            + self.other_interfaces
        )

    @property
    def interfaces_peak(self) -> int:
        return (
            sum(s.peak_ips + s.instance_ips_peak for s in self.services)
            + self.lambda_.enis_peak
            + self.other_interfaces
        )

    @property
    def steady(self) -> int:
        return sum(s.steady for s in self.subnets)

    @property
    def peak(self) -> int:
        return sum(s.peak for s in self.subnets)

    @property
    def usable(self) -> int:
        return sum(s.usable for s in self.subnets)
