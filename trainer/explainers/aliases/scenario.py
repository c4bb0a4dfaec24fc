"""Everything the Aliases & canaries page shows: which view, the alias setup, the deployment."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from trainer.explainers.aliases.deployment import DeploymentSettings
from trainer.explainers.aliases.topology import AliasSetup


class View(StrEnum):
    DIAGRAM = "diagram"
    DEPLOYMENT = "deployment"

    @property
    def label(self) -> str:
        return {"diagram": "Versions & aliases", "deployment": "Canary deployment"}[self.value]


@dataclass(frozen=True)
class AliasesScenario:
    view: View = View.DIAGRAM
    setup: AliasSetup = field(default_factory=AliasSetup)
    deployment: DeploymentSettings = field(default_factory=DeploymentSettings)
