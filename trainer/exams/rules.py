"""The rules of an exam: the real exam's numbers, the modes, an attempt's status, what to draw.

Everything else in ``trainer.exams`` builds on these records; they import nothing from the
rest of the package except the content layer, so any module may import them without a cycle.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from trainer.content.model import Domain
from trainer.content.selection import QuestionFilter

# The modes, kinds and statuses are columns of the exam tables, so they are the store's enums.
from trainer.store.enums import AttemptStatus as AttemptStatus
from trainer.store.enums import ExamKind as ExamKind
from trainer.store.enums import ExamMode as ExamMode

# -- the real exam's numbers ----------------------------------------------------------------------

MIN_SCALED = 100
MAX_SCALED = 1000
PASS_SCALED = 720
# The raw share correct that the estimate maps to 720. AWS does not publish its scaling (it
# equates forms of different difficulty); 72 % is the rule of thumb candidates quote.
PASS_RAW_ANCHOR = 0.72
MAX_REPORT_CHARS = 2000
# Time spent on one visit of a question is capped, so a tab left open overnight does not count.
MAX_VISIT_MS = 30 * 60 * 1000


# -- errors -------------------------------------------------------------------------------------------


class ExamError(ValueError):
    """Something the learner asked for that cannot be done; the message says why, in plain words."""


class ExamNotFound(ExamError):
    """No attempt has that id."""


class ExamForbidden(ExamError):
    """The attempt belongs to another profile."""


class ExamClosed(ExamError):
    """The attempt is no longer in progress (submitted, timed out or abandoned)."""


# -- what to draw ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamSpec:
    """What to draw and how to run it. ``minutes=None`` means untimed."""

    mode: ExamMode = ExamMode.TIMED
    length: int = 65
    minutes: int | None = 130
    kind: ExamKind = ExamKind.FULL
    domain: str | None = None
    topic: str | None = None
    concept: str | None = None
    question_ids: tuple[str, ...] = ()
    shuffle_options: bool = True

    @property
    def weighted(self) -> bool:
        """Drawn across all domains to the DVA-C02 weights (not a drill of one area)."""
        return not (self.domain or self.topic or self.concept or self.question_ids)

    @property
    def question_filter(self) -> QuestionFilter:
        """Which bank questions this exam may draw from (the pool is chosen by content.selection,
        the same rule workshop rooms use)."""
        return QuestionFilter(
            question_ids=self.question_ids, domain=self.domain, topic=self.topic, concept=self.concept
        )

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.minutes) if self.minutes else None

    def limit_for(self, count: int) -> timedelta | None:
        """The time limit for an exam of ``count`` questions: the spec's limit, shortened in
        proportion (to the next whole minute) when the bank cannot fill the requested length."""
        if not self.minutes:
            return None
        if count >= self.length:
            return timedelta(minutes=self.minutes)
        return timedelta(minutes=max(1, math.ceil(self.minutes * count / self.length)))

    def to_data(self) -> dict[str, Any]:
        """Plain data for the attempt's JSON ``spec`` column."""
        data = asdict(self)
        data["mode"] = self.mode.value
        data["kind"] = ExamKind(self.kind).value
        data["question_ids"] = list(self.question_ids)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ExamSpec:
        """Read a stored spec; fields it does not know (or lacks) are ignored (or defaulted)."""
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["mode"] = ExamMode(values.get("mode", "timed"))
        values["kind"] = ExamKind(values.get("kind", "full"))
        values["question_ids"] = tuple(values.get("question_ids") or ())
        return cls(**values)


FULL_MOCK = ExamSpec(ExamMode.TIMED, 65, 130, kind=ExamKind.FULL)
SHORT_MOCK = ExamSpec(ExamMode.TIMED, 20, 30, kind=ExamKind.SHORT)


def describe(spec: ExamSpec) -> str:
    """A short label for an attempt: 'Full mock', 'Drill · topic Lambda concurrency'..."""
    names = {
        "full": "Full mock",
        "short": "Short mock",
        "review": "Review mode",
        "missed": "Drill · missed questions",
    }
    if spec.kind in names:
        return names[spec.kind]
    if spec.kind == "domain" and spec.domain:
        try:
            return f"Drill · {Domain(spec.domain).label}"
        except ValueError:
            return f"Drill · {spec.domain}"
    what = spec.topic or spec.concept or spec.domain or ""
    return f"Drill · {what}" if what else spec.mode.label
