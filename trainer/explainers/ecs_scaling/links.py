"""Deep links for the ECS auto scaling explainer: every setting in the URL query, and back.

``to_query`` writes each setting under a short name (plus ``preset=<id>`` while the settings are
that preset's); ``from_query`` reads them back strictly: an unknown name, a value that is not a
number, or settings AWS would refuse raise :class:`~trainer.explainers.traffic.SimulationError`
with one plain sentence, and the page falls back to the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement, PolicyKind, ScalingMetric
from trainer.explainers.preset import Preset
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.traffic import Load, LoadKind, SimulationError


@dataclass(frozen=True)
class QueryField:
    name: str  # the URL name
    field: str  # the EcsSettings field
    parse: Callable[[str], Any]
    show: Callable[[Any], str]


def _whole(text: str) -> int:
    value = float(text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def _optional(text: str) -> float | None:
    return None if text == "off" else float(text)


def _optional_whole(text: str) -> int | None:
    return None if text == "off" else _whole(text)


def _g(value: Any) -> str:
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "1" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _f(name: str, field: str, parse: Callable[[str], Any]) -> QueryField:
    return QueryField(name, field, parse, _g)


QUERY_FIELDS = (
    _f("seconds", "seconds", _whole),
    _f("task_rps", "task_rps", float),
    _f("cpu_units", "task_cpu", _whole),
    _f("mem_mib", "task_memory_mib", _whole),
    _f("mem_idle", "memory_idle_pct", float),
    _f("mem_load", "memory_per_load_pct", float),
    _f("min", "min_tasks", _whole),
    _f("max", "max_tasks", _whole),
    _f("start", "start_tasks", _whole),
    QueryField("policy", "policy", PolicyKind, str),
    _f("cpu", "target_cpu", _optional),
    _f("mem", "target_memory", _optional),
    _f("req", "target_requests", _optional),
    _f("out_cd", "scale_out_cooldown_s", _whole),
    _f("in_cd", "scale_in_cooldown_s", _whole),
    _f("no_in", "disable_scale_in", _flag),
    QueryField("step_metric", "step_metric", ScalingMetric, str),
    _f("step_up", "step_upper", float),
    _f("step_low", "step_lower", float),
    _f("step_out_dp", "step_out_datapoints", _whole),
    _f("step_in_dp", "step_in_datapoints", _whole),
    _f("step_cd", "step_cooldown_s", _whole),
    QueryField("launch", "launch_type", LaunchType, str),
    _f("task_start", "task_start_s", _whole),
    QueryField("instance", "instance_type", str, str),
    _f("trunk", "trunking", _flag),
    QueryField("placement", "placement", Placement, str),
    _f("target_cap", "target_capacity", _whole),
    _f("boot", "instance_start_s", _whole),
    _f("warmup", "warmup_s", _whole),
    _f("min_step", "min_step", _whole),
    _f("max_step", "max_step", _whole),
    _f("protect", "termination_protection", _flag),
    _f("min_inst", "min_instances", _whole),
    _f("max_inst", "max_instances", _whole),
    _f("start_inst", "start_instances", _whole),
    _f("deploy", "deploy_at_s", _optional_whole),
    _f("bad", "bad_revision", _flag),
    _f("min_healthy", "min_healthy_pct", _whole),
    _f("max_pct", "max_pct", _whole),
    _f("grace", "grace_s", _whole),
    _f("breaker", "circuit_breaker", _flag),
    _f("rollback", "rollback", _flag),
)
LOAD_NAMES = ("load", "rps", "peak", "at", "for")
SETTING_NAMES = (*LOAD_NAMES, *(f.name for f in QUERY_FIELDS))


def to_query(settings: EcsSettings, preset: str | None = None) -> dict[str, str]:
    """Every setting as a URL query, with the preset id first when there is one."""
    out = {"preset": preset} if preset else {}
    load = settings.load
    out.update({"load": load.kind.value, "rps": _g(float(load.level)), "peak": _g(float(load.peak)),
                "at": _g(float(load.start_s)), "for": _g(float(load.length_s))})  # fmt: skip
    out.update({f.name: f.show(getattr(settings, f.field)) for f in QUERY_FIELDS})
    return out


def from_query(
    query: Mapping[str, str], presets: Mapping[str, Preset[EcsSettings]]
) -> tuple[EcsSettings, str | None]:
    """The settings (and preset id) a URL query names; SimulationError with one sentence otherwise."""
    unknown = sorted(set(query) - {"preset", *SETTING_NAMES})
    if unknown:
        raise SimulationError(f"the link has settings this page does not know ({', '.join(unknown)})")
    preset = query.get("preset")
    if preset is not None and preset not in presets:
        raise SimulationError(f"there is no preset called “{preset[:40]}”")
    base = presets[preset].settings if preset else EcsSettings()
    changes: dict[str, Any] = {}
    try:
        for f in QUERY_FIELDS:
            if f.name in query:
                changes[f.field] = f.parse(query[f.name])
        if any(name in query for name in LOAD_NAMES):
            old = base.load
            changes["load"] = Load(
                LoadKind(query.get("load", old.kind.value)),
                level=float(query.get("rps", old.level)),
                peak=float(query.get("peak", old.peak)),
                start_s=float(query.get("at", old.start_s)),
                length_s=float(query.get("for", old.length_s)),
            ).canonical()
    except (TypeError, ValueError, OverflowError):
        raise SimulationError("the link has a value that is not valid for its setting") from None
    settings = base.with_(**changes)
    problems = settings.problems()
    if problems:
        raise SimulationError(f"the link's settings are not allowed: {problems[0]}", problems)
    if preset and settings != presets[preset].settings:
        preset = None
    return settings, preset
