"""EC2 instance types and how many awsvpc tasks each can run, from ``data/instance_limits.yaml``.

The table ships with the trainer and is read through :func:`trainer.resources.data_file`, so an
installed wheel finds it as well as a checkout does. It is read once and cached.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from trainer.explainers.sizing.checks import SizingError
from trainer.resources import data_file

DATA_FILE = data_file("instance_limits.yaml")


@dataclass(frozen=True)
class InstanceLimits:
    """How many awsvpc tasks an EC2 instance type can run: each task needs its own network
    interface, and the instance's primary interface counts toward the limit. ENI trunking
    raises the limit by multiplexing task interfaces over one trunk interface."""

    name: str
    max_enis: int
    ipv4_per_eni: int | None
    tasks_without_trunking: int
    tasks_with_trunking: int | None  # None: trunking not supported on this type

    @property
    def supports_trunking(self) -> bool:
        return self.tasks_with_trunking is not None

    def tasks_per_instance(self, trunking: bool) -> int:
        if trunking:
            if self.tasks_with_trunking is None:
                raise SizingError(no_trunking_message(self.name))
            return self.tasks_with_trunking
        return self.tasks_without_trunking


@lru_cache(maxsize=1)
def _instance_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def instance_table() -> dict[str, InstanceLimits]:
    """The instance types the calculator knows, from ``data/instance_limits.yaml``."""
    rows = _instance_data()["instance_types"]
    return {name: InstanceLimits(name=name, **values) for name, values in rows.items()}


def _family(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def no_trunking_message(name: str) -> str:
    """Why instance type ``name`` can't use ENI trunking, in one line."""
    family = _family(name)
    if family in _instance_data()["trunking_unsupported"]["not_listed_families"]:
        why = f"the {family} family is not in the ECS ENI trunking list"
    else:
        why = "ECS does not support ENI trunking on it"
    return f"instance type {name} can't use ENI trunking: {why}"


def instance_limits(name: str) -> InstanceLimits:
    """Look an instance type up; an unknown one is an error that names the close matches."""
    key = str(name).strip().lower()
    table = instance_table()
    if key in table:
        return table[key]
    matches = difflib.get_close_matches(key, list(table), n=4, cutoff=0.6)
    if not matches:
        family = _family(key)
        matches = [known for known in table if _family(known) == family]
    hint = f"did you mean {', '.join(matches)}?" if matches else f"known types: {', '.join(table)}"
    unsupported = _instance_data()["trunking_unsupported"]
    family = _family(key)
    note = ""
    if (
        key in unsupported["types"]
        or family in unsupported["families"]
        or any(fam.endswith("*") and key.startswith(fam[:-1]) for fam in unsupported["families"])
    ):
        note = f" (note: ENI trunking is not supported on {key})"
    raise SizingError(f"unknown instance type {name!r}; {hint}{note}")
