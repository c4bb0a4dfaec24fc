"""The page's URL state: every setting as a short query parameter, and back.

A shared link reproduces the view: ``?preset=<id>`` for an unchanged preset, otherwise every
setting spelled out (``?view=deployment&strategy=AllAtOnce&rps=100…``). Reading is strict: an
unknown key value, a number that does not parse or a setting out of bounds raises
:class:`SimulationError` with one plain sentence, and the page falls back to the defaults.
Parameters that are missing keep their default, so older or hand-written links still work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from enum import StrEnum
from typing import Any

from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
from trainer.explainers.aliases.scenario import AliasesScenario, View
from trainer.explainers.aliases.strategies import strategy_named
from trainer.explainers.aliases.topology import CallerTarget, ProvisionedOn
from trainer.explainers.traffic import SimulationError

# Query key -> setup field; the deployment fields use their own names with "_" as "-".
_SETUP_KEYS = {
    "versions": "published",
    "live": "live_version",
    "second": "weighted_version",
    "weight": "weight",
    "dev": "dev_on_latest",
    "pc-on": "provisioned_on",
    "pc-version": "provisioned_version",
    "pc": "provisioned",
    "api": "api_target",
    "esm": "esm_target",
}
_DEPLOY_KEYS = {f.name.replace("_", "-"): f.name for f in fields(DeploymentSettings)}
_ENUMS: dict[str, type[StrEnum]] = {
    "provisioned_on": ProvisionedOn,
    "api_target": CallerTarget,
    "esm_target": CallerTarget,
    "alarm_metric": AlarmMetric,
}
QUERY_KEYS = ("view", *_SETUP_KEYS, *_DEPLOY_KEYS)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return str(value)


def to_query(scenario: AliasesScenario) -> dict[str, str]:
    """Every setting of the scenario as query parameters."""
    out = {"view": scenario.view.value}
    out |= {key: _text(getattr(scenario.setup, name)) for key, name in _SETUP_KEYS.items()}
    out |= {key: _text(getattr(scenario.deployment, name)) for key, name in _DEPLOY_KEYS.items()}
    return out


def from_query(query: Mapping[str, str]) -> AliasesScenario:
    """The scenario a query describes (missing keys keep their defaults); raises on bad input."""
    base = AliasesScenario()
    view = _parse("view", query.get("view", base.view.value), lambda v: View(v))
    setup = base.setup.with_(**_changes(query, _SETUP_KEYS, base.setup))
    deployment = base.deployment.with_(**_changes(query, _DEPLOY_KEYS, base.deployment))
    if "strategy" in query:  # accept CodeDeploy's spelling too; keep SAM's
        deployment = deployment.with_(strategy=strategy_named(deployment.strategy).name)
    problems = setup.problems() + deployment.problems()
    if problems:
        raise SimulationError("\n".join(problems), problems)
    return AliasesScenario(view, setup, deployment)


def _changes(query: Mapping[str, str], keys: dict[str, str], base: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in keys.items():
        if key not in query:
            continue
        default = getattr(base, name)
        out[name] = _parse(key, query[key], _parser(name, default))
    return out


def _parser(name: str, default: Any) -> Callable[[str], Any]:
    if name in _ENUMS:
        return _ENUMS[name]
    if isinstance(default, bool):
        return _boolean
    if isinstance(default, int):
        return int
    if isinstance(default, float):
        return float
    return str


def _boolean(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def _parse(key: str, text: str, parse: Callable[[str], Any]) -> Any:
    try:
        return parse(str(text)[:80])
    except (ValueError, TypeError):
        raise SimulationError(f"The link's {key!r} value {str(text)[:40]!r} is not valid.") from None
