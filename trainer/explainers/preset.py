"""A preset: a named set of explainer inputs that teaches one lesson.

Every explainer offers presets, loads them from a deep link (``?preset=<id>``) and links content
cards to them, so the record is shared. ``settings`` is the explainer's own input record (the
concurrency playground's settings, a sizing plan, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

InputsT = TypeVar("InputsT")


@dataclass(frozen=True)
class Preset(Generic[InputsT]):
    id: str  # stable: content YAML and deep links name presets by id
    title: str
    idea: str  # the one lesson, in a sentence or two
    watch: str  # what to look at in the chart and the numbers; may be empty
    settings: InputsT = field(repr=False)
