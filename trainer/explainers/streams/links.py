"""Deep links for the streams explainer: every setting in the URL query, and back.

A shared link reproduces the view: ``to_query`` writes each setting under a short name (plus
``preset=<id>`` while the settings are that preset's), ``from_query`` reads them back. A link
someone edited by hand is read strictly: an unknown name, a value that is not a number, or
settings AWS would refuse raise :class:`~trainer.explainers.traffic.SimulationError` with a
plain sentence, and the page falls back to the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping

from trainer.explainers.preset import Preset
from trainer.explainers.query import QueryField, flag, settings_from_query, settings_to_query, shown, whole
from trainer.explainers.streams.settings import StreamSettings


def _poison(text: str) -> float | None:
    return None if text == "none" else float(text)


def _poison_shown(value: float | None) -> str:
    return "none" if value is None else shown(value)


QUERY_FIELDS = (
    QueryField("shards", "shards", whole),
    QueryField("factor", "parallelization_factor", whole),
    QueryField("rate", "records_per_second", float),
    QueryField("keys", "partition_keys", whole),
    QueryField("batch", "batch_size", whole),
    QueryField("window", "window_s", whole),
    QueryField("duration", "duration_ms", float),
    QueryField("seconds", "seconds", whole),
    QueryField("poison", "poison_at_s", _poison, _poison_shown),
    QueryField("bisect", "bisect", flag),
    QueryField("rbif", "report_batch_item_failures", flag),
    QueryField("retries", "max_retry_attempts", whole),
    QueryField("age", "max_record_age_s", whole),
    QueryField("dest", "on_failure_destination", flag),
)


def to_query(settings: StreamSettings, preset: str | None = None) -> dict[str, str]:
    """Every setting as a URL query, with the preset id first when there is one."""
    return settings_to_query(settings, QUERY_FIELDS, preset)


def from_query(
    query: Mapping[str, str], presets: Mapping[str, Preset[StreamSettings]]
) -> tuple[StreamSettings, str | None]:
    """The settings (and preset id) a URL query names. Missing settings come from the preset or
    the defaults; anything unreadable raises SimulationError with one plain sentence."""
    return settings_from_query(query, presets, StreamSettings, QUERY_FIELDS)
