"""Deep links: an explainer's settings in the URL query, and back.

A shared link reproduces the view, so every setting travels under a short URL name, plus
``preset=<id>`` while the settings are still that preset's. A link may have been edited by hand,
so it is read strictly: an unknown name, a value that does not parse, or settings AWS would refuse
raise :class:`~trainer.explainers.traffic.SimulationError` with one plain sentence, and the page
falls back to the defaults. The explainers differ only in their fields, so each keeps a table of
:class:`QueryField` and the reading and writing live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from trainer.explainers.preset import Preset
from trainer.explainers.traffic import SimulationError

_QUOTED_MAX = 40  # a hand-edited value is quoted back, but never at length
_UNKNOWN_LISTED = 5  # a link with hundreds of made-up names gets a short sentence


class LinkableSettings(Protocol):
    """An explainer's settings record: a frozen dataclass with a copy-with-changes and a check."""

    def with_(self: SettingsT, **changes: Any) -> SettingsT: ...

    def problems(self) -> list[str]: ...


SettingsT = TypeVar("SettingsT", bound=LinkableSettings)


def whole(text: str) -> int:
    """A whole number; "3.0" is accepted (spreadsheets write it), "3.5" is not."""
    value = float(text)
    if value != int(value):
        raise ValueError(text)
    return int(value)


def flag(text: str) -> bool:
    """An on/off setting, written as 1 or 0."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def optional(text: str) -> float | None:
    """A number, or ``off`` for a setting that is switched off."""
    return None if text == "off" else float(text)


def optional_whole(text: str) -> int | None:
    """A whole number, or ``off``."""
    return None if text == "off" else whole(text)


def shown(value: Any) -> str:
    """A setting as the URL writes it: ``off`` for None, 1/0 for flags, floats without noise."""
    if value is None:
        return "off"
    if isinstance(value, bool):
        return "1" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class QueryField:
    """One setting in the URL: its short name, the settings field, and how to read and write it."""

    name: str
    field: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = shown


def settings_to_query(
    settings: Any, fields: Sequence[QueryField], preset: str | None = None
) -> dict[str, str]:
    """Every field of ``settings`` as a URL query, with the preset id first when there is one."""
    out = {"preset": preset} if preset else {}
    out.update({f.name: f.show(getattr(settings, f.field)) for f in fields})
    return out


def settings_from_query(
    query: Mapping[str, str],
    presets: Mapping[str, Preset[SettingsT]],
    default: Callable[[], SettingsT],
    fields: Sequence[QueryField],
    *,
    more_names: Sequence[str] = (),
    more_changes: Callable[[SettingsT, Mapping[str, str]], dict[str, Any]] | None = None,
) -> tuple[SettingsT, str | None]:
    """The settings (and preset id) a URL query names. Missing settings come from the preset or
    ``default()``; ``more_names`` and ``more_changes`` read settings that span several URL names
    (a load shape, say). Anything unreadable raises SimulationError with one plain sentence."""
    unknown = sorted(set(query) - {"preset", *more_names, *(f.name for f in fields)})
    if unknown:
        named = ", ".join(name[:_QUOTED_MAX] for name in unknown[:_UNKNOWN_LISTED])
        more = f" and {len(unknown) - _UNKNOWN_LISTED} more" if len(unknown) > _UNKNOWN_LISTED else ""
        raise SimulationError(f"the link has settings this page does not know ({named}{more})")
    preset = query.get("preset")
    if preset is not None and preset not in presets:
        raise SimulationError(f"there is no preset called “{preset[:_QUOTED_MAX]}”")
    base = presets[preset].settings if preset else default()
    changes: dict[str, Any] = {}
    for f in fields:
        if f.name in query:
            changes[f.field] = _parsed(f.name, f.parse, query[f.name])
    if more_changes is not None and any(name in query for name in more_names):
        try:
            changes.update(more_changes(base, query))
        except (TypeError, ValueError, OverflowError):
            names = ", ".join(name for name in more_names if name in query)
            raise SimulationError(f"the link's {names} values are not valid together") from None
    settings = base.with_(**changes)
    problems = settings.problems()
    if problems:
        raise SimulationError(f"the link's settings are not allowed: {problems[0]}", problems)
    if preset and settings != presets[preset].settings:
        preset = None  # the link changed the preset's settings: it is no longer that preset
    return settings, preset


def _parsed(name: str, parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except (TypeError, ValueError, OverflowError):
        raise SimulationError(f"the link's “{name}” is not a valid value ({text[:_QUOTED_MAX]!r})") from None
