"""The tuner's settings as URL query parameters, so a shared link reproduces the view.

Every setting is in the link (the Arm speed only for Arm). :func:`settings_from_query` accepts
only what :func:`query_from_settings` writes, in range; anything else raises SimulationError
with one plain sentence, and the page falls back to the defaults.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from trainer.explainers.memory.pricing import Arch
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.memory.workloads import Workload
from trainer.explainers.traffic import SimulationError

KEYS = ("workload", "ms", "arch", "arm_speed", "init_ms", "needed_mb", "weight")


def query_from_settings(s: TuningSettings) -> dict[str, str]:
    out = {
        "workload": s.workload.value,
        "ms": f"{s.duration_ms_at_1024:g}",
        "arch": s.arch.value,
        "init_ms": f"{s.init_ms_at_1024:g}",
        "needed_mb": str(int(s.needed_mb)),
        "weight": f"{s.cost_weight:g}",
    }
    if s.arch is Arch.ARM:
        out["arm_speed"] = f"{s.arm_speed:g}"
    return out


def settings_from_query(query: Mapping[str, str]) -> TuningSettings:
    """Settings from link parameters; defaults for the ones left out."""
    d = TuningSettings()
    try:
        workload = Workload(query.get("workload", d.workload.value))
    except ValueError:
        raise SimulationError(
            f"The link's workload “{query.get('workload')}” is not one of "
            f"{', '.join(w.value for w in Workload)}."
        ) from None
    try:
        arch = Arch(query.get("arch", d.arch.value))
    except ValueError:
        raise SimulationError(f"The link's architecture “{query.get('arch')}” is not x86 or arm.") from None
    settings = TuningSettings(
        workload=workload,
        duration_ms_at_1024=_number(query, "ms", d.duration_ms_at_1024),
        arch=arch,
        arm_speed=_number(query, "arm_speed", d.arm_speed),
        init_ms_at_1024=_number(query, "init_ms", d.init_ms_at_1024),
        needed_mb=int(_number(query, "needed_mb", d.needed_mb, whole=True)),
        cost_weight=_number(query, "weight", d.cost_weight),
    )
    settings.validate()
    return settings


def _number(query: Mapping[str, str], key: str, default: float, whole: bool = False) -> float:
    raw = query.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise SimulationError(f"The link's {key} “{raw[:40]}” is not {kind}.")
    return value
