"""Scheduling: FSRS (the ``fsrs`` package) plus what it lacks and Anki users expect.

py-fsrs schedules one card at a time. Around it this module adds a New state (a card never
seen), a lapse counter with leech handling, a study day that starts at a set local hour,
interval previews for the four buttons, and fuzz that is deterministic per card and review
so that the interval a button shows is the interval it gives. Nothing here touches the
database: ``trainer.study.queue`` combines this with the store (``trainer.store``).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs

from trainer.store.enums import MemoryState
from trainer.study.exam_date import exam_due, exam_start
from trainer.study.load_balance import NORMAL_DAYS, Vacation, check_easy_days, out_of_vacation, pick_day

if TYPE_CHECKING:
    from trainer.study.load_balance import DueLoad


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class SettingsError(ValueError):
    """A scheduling setting that cannot work; the message says what to enter instead."""


_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_steps(text: str, what: str = "steps") -> tuple[timedelta, ...]:
    """Parse Anki-style steps such as ``"1m 10m"`` or ``"10m 1h"``."""
    steps = []
    for token in text.replace(",", " ").split():
        match = _STEP.match(token.strip().lower())
        if not match:
            raise SettingsError(
                f"{what}: {token!r} is not a step; write numbers with a unit, e.g. '1m 10m' (s, m, h or d)"
            )
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if seconds <= 0 or seconds > 7 * 86400:
            raise SettingsError(f"{what}: each step must be more than 0 and at most 7 days")
        steps.append(timedelta(seconds=seconds))
    return tuple(steps)


def format_steps(steps: tuple[timedelta, ...]) -> str:
    return " ".join(format_interval(s) for s in steps)


@dataclass(frozen=True)
class Settings:
    """One profile's scheduling settings. Defaults are Anki's, with FSRS's 0.9 retention."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    leech_threshold: int = 8
    leech_action: str = "suspend"
    day_starts_at: int = 4
    timezone: str = "UTC"
    # Anki shows learning cards up to 20 minutes early when nothing else is left.
    learn_ahead: timedelta = timedelta(minutes=20)
    maximum_interval: int = 36500
    # Studying toward an exam (trainer.study.exam_date): the date, and the most new cards a day
    # the pace may rise to.
    exam_date: date | None = None
    exam_max_new_per_day: int = 50
    # FSRS parameters fitted to this learner (trainer.study.optimizer); None: FSRS's defaults.
    parameters: tuple[float, ...] | None = None
    # Anki 24.11's load balancing, easy days and a vacation (trainer.study.load_balance): due days
    # within the fuzz range go to the lighter day; each weekday's share of a normal day's reviews,
    # Monday first; no card due from the vacation's first to its last day.
    load_balancing: bool = True
    easy_days: tuple[int, ...] = NORMAL_DAYS
    vacation: Vacation | None = None

    def __post_init__(self) -> None:
        problems = []
        try:
            check_easy_days(self.easy_days)
        except ValueError as exc:
            problems.append(str(exc))
        if self.vacation is not None and self.vacation.end < self.vacation.start:
            problems.append("vacation: the last day must be on or after the first")
        if not 1 <= self.exam_max_new_per_day <= 9999:
            problems.append("the most new cards a day before an exam must be between 1 and 9999")
        if not 0 <= self.new_per_day <= 9999:
            problems.append("new cards per day must be between 0 and 9999")
        if not 0 <= self.reviews_per_day <= 99999:
            problems.append("reviews per day must be between 0 and 99999")
        if not 0.70 <= self.desired_retention <= 0.99:
            problems.append("desired retention must be between 0.70 and 0.99 (0.90 is the default)")
        if not 1 <= self.leech_threshold <= 99:
            problems.append("the leech threshold must be between 1 and 99 lapses")
        if self.leech_action not in ("suspend", "tag"):
            problems.append("the leech action must be 'suspend' or 'tag'")
        if not 0 <= self.day_starts_at <= 23:
            problems.append("the day must start at an hour between 0 and 23")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"unknown time zone {self.timezone!r}; use a name like 'Europe/Berlin'")
        if problems:
            raise SettingsError("; ".join(problems))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def exam_at(self) -> datetime | None:
        """When the exam's study day begins (UTC), or None without an exam date."""
        if self.exam_date is None:
            return None
        return exam_start(self.exam_date, self.day_starts_at, self.zone)


@dataclass(frozen=True)
class Memory:
    """What the scheduler knows about one card for one learner."""

    card_id: str
    state: MemoryState = MemoryState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    leech: bool = False
    suspended: bool = False


@dataclass(frozen=True)
class Outcome:
    """The result of answering a card with one rating."""

    rating: Rating
    memory: Memory
    interval: timedelta
    became_leech: bool = False


_STATE_TO_FSRS = {
    MemoryState.LEARNING: fsrs.State.Learning,
    MemoryState.REVIEW: fsrs.State.Review,
    MemoryState.RELEARNING: fsrs.State.Relearning,
}
_FSRS_TO_STATE = {v: k for k, v in _STATE_TO_FSRS.items()}

# Anki's and FSRS's fuzz ranges: (start day, end day, share of the interval).
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05))


class Scheduler:
    """FSRS with a New state, leeches, day boundaries and deterministic fuzz."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        # Fuzz is applied here, deterministically, instead of inside fsrs (which draws from the
        # global random generator): then a previewed interval is exactly the one applied.
        self._exam_at = self.settings.exam_at
        self._fsrs = fsrs.Scheduler(
            parameters=self.settings.parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=self.settings.desired_retention,
            learning_steps=self.settings.learning_steps,
            relearning_steps=self.settings.relearning_steps,
            maximum_interval=self.settings.maximum_interval,
            enable_fuzzing=False,
        )
        # FSRS-6's forgetting curve, R = (1 + factor * days / S) ** -decay, as fsrs computes it.
        self._decay = -float(self._fsrs.parameters[20])
        self._factor = 0.9 ** (1 / self._decay) - 1

    # -- answering -------------------------------------------------------------

    def review(self, memory: Memory, rating: Rating, now: datetime, load: DueLoad | None = None) -> Outcome:
        """Answer a card: the new memory state, the interval, and whether it became a leech.

        ``load``: the learner's review cards due per study day (the card itself left out), for
        load balancing; a preview and the answer after it must be given the same one.
        """
        now = now.astimezone(UTC)
        card = self._to_fsrs(memory, now)
        new_card, _log = self._fsrs.review_card(card, fsrs.Rating(int(rating)), now)
        state = _FSRS_TO_STATE[new_card.state]
        due = new_card.due
        if state is MemoryState.REVIEW:
            due = now + self._fuzz(due - now, memory.card_id, memory.reps, now, load)
            if self._exam_at is not None:
                # Before an exam date the interval leads up to it; preview and answer both pass
                # here, so a button's interval is still exactly the one applied.
                graduating = memory.state is not MemoryState.REVIEW
                due = exam_due(now, due, self._exam_at, graduating, f"{memory.card_id}:{memory.reps}")
            due = self._avoid_vacation(due, now, load)
        lapsed = memory.state == MemoryState.REVIEW and rating == Rating.AGAIN
        lapses = memory.lapses + (1 if lapsed else 0)
        became_leech = lapsed and self._is_leech_lapse(lapses)
        new_memory = Memory(
            card_id=memory.card_id,
            state=state,
            step=new_card.step,
            stability=new_card.stability,
            difficulty=new_card.difficulty,
            due=due,
            last_review=now,
            reps=memory.reps + 1,
            lapses=lapses,
            leech=memory.leech or became_leech,
            suspended=memory.suspended or (became_leech and self.settings.leech_action == "suspend"),
        )
        return Outcome(rating=rating, memory=new_memory, interval=due - now, became_leech=became_leech)

    def preview(self, memory: Memory, now: datetime, load: DueLoad | None = None) -> dict[Rating, Outcome]:
        """What each of the four buttons would do, as Anki shows above them (``load`` as for
        :meth:`review`: give both the same one and the intervals shown are the ones applied)."""
        return {rating: self.review(memory, rating, now, load) for rating in Rating}

    def retrievability(self, memory: Memory, now: datetime) -> float:
        """Predicted probability of recalling the card now (0 for a card never reviewed)."""
        if memory.state == MemoryState.NEW:
            return 0.0
        return self.recall_after(memory.stability, memory.last_review, now)

    def recall_after(self, stability: float | None, last_review: datetime | None, now: datetime) -> float:
        """FSRS's predicted recall at ``now`` of a memory of ``stability`` last reviewed then (0
        without either): fsrs's ``get_card_retrievability`` (whole days elapsed, never negative)
        without building a card for it, which made a forecast of every card slow."""
        if stability is None or last_review is None:
            return 0.0
        days = max(0, (now - last_review).days)
        return float((1 + self._factor * days / stability) ** self._decay)

    def _is_leech_lapse(self, lapses: int) -> bool:
        # As in Anki: at the threshold, then again every half threshold.
        threshold = self.settings.leech_threshold
        if lapses < threshold:
            return False
        return (lapses - threshold) % max(1, threshold // 2) == 0

    def _to_fsrs(self, memory: Memory, now: datetime) -> fsrs.Card:
        if memory.state == MemoryState.NEW:
            return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=1,
            state=_STATE_TO_FSRS[MemoryState(memory.state)],
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due or now,
            last_review=memory.last_review,
        )

    def _fuzz(
        self, interval: timedelta, card_id: str, reps: int, now: datetime, load: DueLoad | None
    ) -> timedelta:
        """A whole number of days in Anki's fuzz range around ``interval``: the lightest day when
        load balancing has a load, away from easy days and the vacation (load_balance.pick_day)."""
        days = interval.total_seconds() / 86400
        if days < 2.5:
            return interval
        delta = 1.0
        for start, end, factor in _FUZZ_RANGES:
            delta += factor * max(min(days, end) - start, 0.0)
        low = max(2, round(days - delta))
        high = min(round(days + delta), self.settings.maximum_interval)
        low = min(low, high)
        settings = self.settings
        balancing = settings.load_balancing and load is not None
        if not balancing and settings.easy_days == NORMAL_DAYS and settings.vacation is None:
            seed = hashlib.blake2b(f"{card_id}:{reps}".encode(), digest_size=8).digest()
            return timedelta(days=random.Random(seed).randint(low, high))
        dates = _due_dates(now, low, high, settings)
        counts = load.due_counts(dates[0], dates[-1]) if balancing and load is not None else None
        chosen = pick_day(dates, counts, settings.easy_days, settings.vacation, f"{card_id}:{reps}")
        if chosen is None:  # the whole range is inside the vacation: _avoid_vacation moves it
            return timedelta(days=round(days))
        return timedelta(days=low + chosen)

    def _avoid_vacation(self, due: datetime, now: datetime, load: DueLoad | None) -> datetime:
        """A due moment outside the vacation, the same time of day, days moved whole."""
        vacation = self.settings.vacation
        if vacation is None:
            return due
        due_day = study_date(due, self.settings)
        if due_day not in vacation:
            return due
        today = study_date(now, self.settings)
        day = out_of_vacation(
            due_day,
            today,
            today,
            vacation,
            load if self.settings.load_balancing else None,
            self.settings.easy_days,
        )
        return due + timedelta(days=(day - due_day).days)


# -- study days ----------------------------------------------------------------


def _due_dates(now: datetime, low: int, high: int, settings: Settings) -> list[date]:
    """The study dates of ``now`` plus ``low`` to ``high`` days: consecutive dates, unless summer
    time moves one of those moments across the hour the day starts (then each is worked out;
    a range under 150 days holds at most one change of the clocks, which the ends would show)."""
    first = study_date(now + timedelta(days=low), settings)
    last = study_date(now + timedelta(days=high), settings)
    if high - low < 150 and (last - first).days == high - low:
        return [first + timedelta(days=k) for k in range(high - low + 1)]
    return [study_date(now + timedelta(days=k), settings) for k in range(low, high + 1)]


def day_start(now: datetime, settings: Settings) -> datetime:
    """Start (in UTC) of the study day that contains ``now``: the last local day_starts_at hour."""
    local = now.astimezone(settings.zone)
    start = datetime.combine(local.date(), time(settings.day_starts_at), tzinfo=settings.zone)
    if local < start:
        start = datetime.combine(
            local.date() - timedelta(days=1), time(settings.day_starts_at), tzinfo=settings.zone
        )
    return start.astimezone(UTC)


def next_day_start(now: datetime, settings: Settings) -> datetime:
    start = day_start(now, settings).astimezone(settings.zone)
    following = datetime.combine(
        start.date() + timedelta(days=1), time(settings.day_starts_at), tzinfo=settings.zone
    )
    return following.astimezone(UTC)


def study_date(moment: datetime, settings: Settings) -> date:
    """The calendar date a moment counts towards, given the day's start hour."""
    return (moment.astimezone(settings.zone) - timedelta(hours=settings.day_starts_at)).date()


def format_interval(interval: timedelta) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
