"""A function's versions and aliases as the diagram draws them, and what AWS allows.

``$LATEST`` is the one editable version; publishing takes an immutable snapshot numbered 1, 2,
3 …; an alias is a named pointer to one version (``$LATEST`` allowed) and may send a weight
of its traffic to a second *published* version. Provisioned concurrency goes on a published
version or an alias, never on ``$LATEST``. Callers (API Gateway, an event source mapping)
invoke whatever ARN they were given: unqualified means ``$LATEST``.

Sources: https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html,
https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html,
https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from trainer.explainers.traffic import SimulationError

MAX_VERSIONS = 9  # the diagram has room for nine published versions
MAX_PROVISIONED = 10_000
LATEST = "$LATEST"
ALIAS = "live"  # the diagram's alias name


class CallerTarget(StrEnum):
    """What ARN a caller (API Gateway, an event source mapping) invokes."""

    ALIAS = "alias"
    VERSION = "version"
    LATEST = "latest"

    @property
    def label(self) -> str:
        return {
            "alias": f"The alias ({ALIAS})",
            "version": "A version number (the alias's main version)",
            "latest": "The unqualified ARN ($LATEST)",
        }[self.value]


class ProvisionedOn(StrEnum):
    NONE = "none"
    ALIAS = "alias"
    VERSION = "version"
    LATEST = "latest"

    @property
    def label(self) -> str:
        return {
            "none": "Nowhere",
            "alias": f"The alias ({ALIAS})",
            "version": "A published version",
            "latest": "$LATEST",
        }[self.value]


@dataclass(frozen=True)
class AliasSetup:
    """Versions 1..``published``, the alias ``live`` and who points where."""

    published: int = 3
    live_version: int = 3
    weighted_version: int = 0  # 0: no routing config
    weight: float = 0.1  # AdditionalVersionWeights: share sent to ``weighted_version``
    dev_on_latest: bool = True  # a second alias, ``dev``, on $LATEST
    provisioned_on: ProvisionedOn = ProvisionedOn.NONE
    provisioned_version: int = 3
    provisioned: int = 50
    api_target: CallerTarget = CallerTarget.ALIAS
    esm_target: CallerTarget = CallerTarget.ALIAS

    def with_(self, **changes: Any) -> AliasSetup:
        return replace(self, **changes)

    @property
    def weighted(self) -> bool:
        return self.weighted_version != 0

    def routes(self) -> dict[str, float]:
        """Share of the alias's requests each version gets (version name -> share)."""
        if not self.weighted:
            return {str(self.live_version): 1.0}
        return {str(self.live_version): 1.0 - self.weight, str(self.weighted_version): self.weight}

    def problems(self) -> list[str]:
        """What AWS (or the diagram) refuses, worded like AWS's error where there is one."""
        out = []
        n = self.published
        if _bad_int(n) or not 1 <= n <= MAX_VERSIONS:
            return [f"Published versions must be 1 to {MAX_VERSIONS}; got {n}."]
        if _bad_int(self.live_version) or not 1 <= self.live_version <= n:
            out.append(f"The alias must point to a published version 1 to {n}; got {self.live_version}.")
        if self.weighted:
            if _bad_int(self.weighted_version) or not 1 <= self.weighted_version <= n:
                out.append(
                    f"The alias's second version must be a published version 1 to {n} "
                    f"($LATEST is not allowed in a routing config); got {self.weighted_version}."
                )
            elif self.weighted_version == self.live_version:
                out.append("The alias's second version must differ from its main version.")
            if _bad_float(self.weight) or not 0 < self.weight < 1:
                out.append(f"The additional version's weight must be between 0 and 1; got {self.weight}.")
        if self.provisioned_on is not ProvisionedOn.NONE:
            if _bad_int(self.provisioned) or not 1 <= self.provisioned <= MAX_PROVISIONED:
                out.append(
                    f"Provisioned concurrency must be 1 to {MAX_PROVISIONED:,}; got {self.provisioned}."
                )
            if self.provisioned_on is ProvisionedOn.LATEST:
                out.append(
                    "Provisioned concurrency can't go on $LATEST (an unpublished version): "
                    "put it on a published version or an alias."
                )
            elif self.provisioned_on is ProvisionedOn.VERSION and (
                _bad_int(self.provisioned_version) or not 1 <= self.provisioned_version <= n
            ):
                out.append(
                    f"Provisioned concurrency must go on a published version 1 to {n}; "
                    f"got {self.provisioned_version}."
                )
            elif self.provisioned_on is ProvisionedOn.ALIAS and self.weighted:
                out.append(
                    "You can't manage provisioned concurrency on an alias while it has a routing "
                    "config (a weight on a second version): remove the weight first."
                )
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise SimulationError("\n".join(problems), problems)

    def advice(self) -> list[str]:
        """Consequences of a valid setup worth pointing out (the lessons of the diagram)."""
        out = []
        for caller, target in (
            ("API Gateway", self.api_target),
            ("The event source mapping", self.esm_target),
        ):
            if target is CallerTarget.LATEST:
                out.append(
                    f"{caller} invokes $LATEST: every code change goes live the moment it is "
                    "saved, untested, and there is no older version to roll back to."
                )
            elif target is CallerTarget.VERSION:
                out.append(
                    f"{caller} invokes version {self.live_version} directly: to release version "
                    f"{self.live_version + 1} you must reconfigure {caller.lower().replace('the ', '')} "
                    "itself. Pointing it at an alias means a release only moves the alias."
                )
        if self.provisioned_on is ProvisionedOn.VERSION and self.provisioned_version not in {
            int(v) for v in self.routes()
        }:
            out.append(
                f"Provisioned concurrency is on version {self.provisioned_version}, but the "
                f"alias sends no traffic there: you pay for {self.provisioned} idle "
                "environments while the alias's requests start cold."
            )
        if self.provisioned_on is ProvisionedOn.ALIAS:
            out.append(
                "Provisioned concurrency on the alias follows it: move the alias to a new "
                "version and Lambda deallocates it from the old version and allocates it on the new one."
            )
        if self.weighted:
            out.append(
                f"The alias sends about {100 * self.weight:g} % of requests to version "
                f"{self.weighted_version} at random; that is what CodeDeploy changes step by step "
                "during a canary or linear deployment."
            )
        return out


def _bad_int(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, int)


def _bad_float(value: object) -> bool:
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
