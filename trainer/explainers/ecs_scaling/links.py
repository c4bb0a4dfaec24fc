"""Deep links for the ECS auto scaling explainer: every setting in the URL query, and back.

``to_query`` writes each setting under a short name (plus ``preset=<id>`` while the settings are
that preset's); ``from_query`` reads them back strictly: an unknown name, a value that is not a
number, or settings AWS would refuse raise :class:`~trainer.explainers.traffic.SimulationError`
with one plain sentence, and the page falls back to the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement, PolicyKind, ScalingMetric
from trainer.explainers.preset import Preset
from trainer.explainers.query import (
    QueryField,
    flag,
    optional,
    optional_whole,
    settings_from_query,
    settings_to_query,
    shown,
    whole,
)
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.traffic import Load, LoadKind

QUERY_FIELDS = (
    QueryField("seconds", "seconds", whole),
    QueryField("task_rps", "task_rps", float),
    QueryField("cpu_units", "task_cpu", whole),
    QueryField("mem_mib", "task_memory_mib", whole),
    QueryField("mem_idle", "memory_idle_pct", float),
    QueryField("mem_load", "memory_per_load_pct", float),
    QueryField("min", "min_tasks", whole),
    QueryField("max", "max_tasks", whole),
    QueryField("start", "start_tasks", whole),
    QueryField("policy", "policy", PolicyKind),
    QueryField("cpu", "target_cpu", optional),
    QueryField("mem", "target_memory", optional),
    QueryField("req", "target_requests", optional),
    QueryField("out_cd", "scale_out_cooldown_s", whole),
    QueryField("in_cd", "scale_in_cooldown_s", whole),
    QueryField("no_in", "disable_scale_in", flag),
    QueryField("step_metric", "step_metric", ScalingMetric),
    QueryField("step_up", "step_upper", float),
    QueryField("step_low", "step_lower", float),
    QueryField("step_out_dp", "step_out_datapoints", whole),
    QueryField("step_in_dp", "step_in_datapoints", whole),
    QueryField("step_cd", "step_cooldown_s", whole),
    QueryField("launch", "launch_type", LaunchType),
    QueryField("task_start", "task_start_s", whole),
    QueryField("instance", "instance_type", str),
    QueryField("trunk", "trunking", flag),
    QueryField("placement", "placement", Placement),
    QueryField("target_cap", "target_capacity", whole),
    QueryField("boot", "instance_start_s", whole),
    QueryField("warmup", "warmup_s", whole),
    QueryField("min_step", "min_step", whole),
    QueryField("max_step", "max_step", whole),
    QueryField("protect", "termination_protection", flag),
    QueryField("min_inst", "min_instances", whole),
    QueryField("max_inst", "max_instances", whole),
    QueryField("start_inst", "start_instances", whole),
    QueryField("deploy", "deploy_at_s", optional_whole),
    QueryField("bad", "bad_revision", flag),
    QueryField("min_healthy", "min_healthy_pct", whole),
    QueryField("max_pct", "max_pct", whole),
    QueryField("grace", "grace_s", whole),
    QueryField("breaker", "circuit_breaker", flag),
    QueryField("rollback", "rollback", flag),
)
LOAD_NAMES = ("load", "rps", "peak", "at", "for")


def to_query(settings: EcsSettings, preset: str | None = None) -> dict[str, str]:
    """Every setting as a URL query, with the preset id first when there is one."""
    load = settings.load
    out = settings_to_query(settings, (), preset)
    out.update({"load": load.kind.value, "rps": shown(float(load.level)), "peak": shown(float(load.peak)),
                "at": shown(float(load.start_s)), "for": shown(float(load.length_s))})  # fmt: skip
    out.update(settings_to_query(settings, QUERY_FIELDS))
    return out


def _load(base: EcsSettings, query: Mapping[str, str]) -> dict[str, Any]:
    """The load shape, whose five URL names make one setting (missing ones keep the base's)."""
    old = base.load
    load = Load(
        LoadKind(query.get("load", old.kind.value)),
        level=float(query.get("rps", old.level)),
        peak=float(query.get("peak", old.peak)),
        start_s=float(query.get("at", old.start_s)),
        length_s=float(query.get("for", old.length_s)),
    )
    return {"load": load.canonical()}


def from_query(
    query: Mapping[str, str], presets: Mapping[str, Preset[EcsSettings]]
) -> tuple[EcsSettings, str | None]:
    """The settings (and preset id) a URL query names; SimulationError with one sentence otherwise."""
    return settings_from_query(
        query, presets, EcsSettings, QUERY_FIELDS, more_names=LOAD_NAMES, more_changes=_load
    )
