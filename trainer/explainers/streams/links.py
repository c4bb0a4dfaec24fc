"""Deep links for the streams explainer: every setting in the URL query, and back.

A shared link reproduces the view: ``to_query`` writes each setting under a short name (plus
``preset=<id>`` while the settings are that preset's), ``from_query`` reads them back. A link
someone edited by hand is read strictly: an unknown name, a value that is not a number, or
settings AWS would refuse raise :class:`~trainer.explainers.traffic.SimulationError` with a
plain sentence, and the page falls back to the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trainer.explainers.preset import Preset
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.traffic import SimulationError


@dataclass(frozen=True)
class QueryField:
    name: str  # the URL name
    field: str  # the StreamSettings field
    parse: Callable[[str], Any]
    show: Callable[[Any], str]


def _number(text: str) -> float:
    return float(text)


def _whole(text: str) -> int:
    value = float(text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def _poison(text: str) -> float | None:
    return None if text == "none" else float(text)


def _g(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


QUERY_FIELDS = (
    QueryField("shards", "shards", _whole, str),
    QueryField("factor", "parallelization_factor", _whole, str),
    QueryField("rate", "records_per_second", _number, _g),
    QueryField("keys", "partition_keys", _whole, str),
    QueryField("batch", "batch_size", _whole, str),
    QueryField("window", "window_s", _whole, str),
    QueryField("duration", "duration_ms", _number, _g),
    QueryField("seconds", "seconds", _whole, str),
    QueryField("poison", "poison_at_s", _poison, lambda v: "none" if v is None else _g(v)),
    QueryField("bisect", "bisect", _flag, lambda v: "1" if v else "0"),
    QueryField("rbif", "report_batch_item_failures", _flag, lambda v: "1" if v else "0"),
    QueryField("retries", "max_retry_attempts", _whole, str),
    QueryField("age", "max_record_age_s", _whole, str),
    QueryField("dest", "on_failure_destination", _flag, lambda v: "1" if v else "0"),
)
SETTING_NAMES = tuple(f.name for f in QUERY_FIELDS)


def to_query(settings: StreamSettings, preset: str | None = None) -> dict[str, str]:
    """Every setting as a URL query, with the preset id first when there is one."""
    out = {"preset": preset} if preset else {}
    out.update({f.name: f.show(getattr(settings, f.field)) for f in QUERY_FIELDS})
    return out


def from_query(
    query: Mapping[str, str], presets: Mapping[str, Preset[StreamSettings]]
) -> tuple[StreamSettings, str | None]:
    """The settings (and preset id) a URL query names. Missing settings come from the preset or
    the defaults; anything unreadable raises SimulationError with one plain sentence."""
    unknown = sorted(set(query) - {"preset", *SETTING_NAMES})
    if unknown:
        raise SimulationError(f"the link has settings this page does not know ({', '.join(unknown)})")
    preset = query.get("preset")
    if preset is not None and preset not in presets:
        raise SimulationError(f"there is no preset called “{preset}”")
    base = presets[preset].settings if preset else StreamSettings()
    changes: dict[str, Any] = {}
    for f in QUERY_FIELDS:
        if f.name in query:
            try:
                changes[f.field] = f.parse(query[f.name])
            except (TypeError, ValueError, OverflowError):
                raise SimulationError(
                    f"the link's “{f.name}” is not a valid value ({query[f.name]!r})"
                ) from None
    settings = base.with_(**changes)
    problems = settings.problems()
    if problems:
        raise SimulationError(f"the link's settings are not allowed: {problems[0]}", problems)
    if preset and settings != presets[preset].settings:
        preset = None  # the link changed the preset's settings: it is no longer that preset
    return settings, preset
