"""Invalid input and the checks that find it.

Every part of the calculator that reads input raises :class:`SizingError` with one line that
says what is wrong and where, so the page, the command line and the URL decoder can show it
as it is. The checks here are the ones several records share.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any, TypeVar

from trainer.explainers.sizing.limits import MAX_COUNT, MAX_WORKLOAD_SUBNETS

EnumT = TypeVar("EnumT", bound=Enum)


class SizingError(ValueError):
    """Invalid sizing input. ``str(error)`` is one line that says what is wrong and where."""


def require_name(name: Any, what: str) -> None:
    """A name can't hold a comma: plans list names as comma-separated text (``subnets: a, b``)."""
    if not isinstance(name, str) or not name.strip():
        raise SizingError(f"every {what} needs a name")
    if name != name.strip() or "," in name:
        raise SizingError(f"{what} name {name!r}: no commas or surrounding spaces")


def require_count(value: Any, what: str) -> None:
    """A whole number from 0 to :data:`MAX_COUNT` (a bool is not a count, although Python says
    it is an int)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SizingError(f"{what} must be a whole number, got {value!r}")
    if value < 0:
        raise SizingError(f"{what} must be 0 or more, got {value}")
    if value > MAX_COUNT:
        raise SizingError(
            f"{what} must be at most {MAX_COUNT:,} (no VPC holds more addresses), got {value:,}"
        )


def parse_enum(kind: type[EnumT], value: Any, what: str, key: str) -> EnumT:
    """The member of ``kind`` for ``value``; text is forgiving (``NAT_gateway`` works)."""
    try:
        return kind(value.strip().lower().replace("_", "-") if isinstance(value, str) else value)
    except ValueError:
        choices = ", ".join(str(k.value) for k in kind)
        raise SizingError(f"{what}: {key} must be one of {choices}, got {value!r}") from None


def check_workload_subnets(subnets: Sequence[str], what: str) -> None:
    """The subnets of one ECS service or Lambda function: 1 to 16, none twice."""
    if isinstance(subnets, str) or not subnets:
        raise SizingError(f"{what}: list the subnets it runs in")
    if len(subnets) > MAX_WORKLOAD_SUBNETS:
        raise SizingError(f"{what}: {len(subnets)} subnets; AWS takes at most {MAX_WORKLOAD_SUBNETS}")
    if len(set(subnets)) != len(subnets):
        raise SizingError(f"{what}: a subnet is listed twice")
