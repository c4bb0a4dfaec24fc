"""Load balancing, easy days and vacations: which day, within what FSRS allows, a card is due.

FSRS gives an interval; fuzz widens it to a range of days (a few percent either side) so that
cards learned together do not stay together. Anki 24.11 uses that freedom to even out the daily
load, and this module does the same, as pure functions (dates and counts in, a day out) that
``trainer.study.scheduling`` calls in the one place a button's interval is computed, so the
interval a button shows is still exactly the one applied:

* **Load balancing** (:func:`pick_day`): of the days in the fuzz range, the one with the fewest
  review cards already due. Ties are broken by a per-card seed, so a learner with an empty
  calendar gets the same spread as plain fuzz. A day outside the fuzz range is never chosen: the
  range is what FSRS's retention target tolerates.
* **Easy days**: each weekday has a percentage of a normal day's reviews (100 normal, 50 half, 0
  none). A day's load counts as ``(due + 1) / share``, so a 50 % day fills up to about half as
  much as its neighbours, and a 0 % day is chosen only when every day in the range is a 0 % day.
* **Vacation** (:func:`out_of_vacation`): no card is due between two dates. A card whose due day
  falls inside goes to the lightest day before the vacation when that keeps at least half its
  interval (an early review costs little memory-wise), otherwise to the lightest day of the first
  days after it, as many days as the vacation lasts (at most four weeks): the backlog of N days is
  spread over N days rather than piled on the first one.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

# Monday first, as date.weekday() counts.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NORMAL_DAYS: tuple[int, ...] = (100,) * 7
# A card may be brought before a vacation when it keeps at least this share of its interval.
MIN_SHARE_BEFORE = 0.5
# The backlog of a vacation is spread over as many days as it lasted, at most this many.
MAX_SPREAD_DAYS = 28
MAX_VACATION_DAYS = 366
_MASK_64 = (1 << 64) - 1


class DueLoad(Protocol):
    """How many review cards are due on each study day: the input of load balancing."""

    def due_counts(self, first: date, last: date) -> Mapping[date, int]:
        """Review cards due on each study day from ``first`` to ``last`` (missing days: 0)."""
        ...


@dataclass(frozen=True)
class FixedLoad:
    """A load given as a mapping (tests, simulations, a page that already counted)."""

    counts: Mapping[date, int]

    def due_counts(self, first: date, last: date) -> Mapping[date, int]:
        return {day: n for day, n in self.counts.items() if first <= day <= last}


@dataclass(frozen=True)
class Vacation:
    """No reviews from ``start`` to ``end``, both study dates included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def spread_days(self) -> int:
        """Days after the vacation its backlog is spread over."""
        return min(self.days, MAX_SPREAD_DAYS)


def check_easy_days(percentages: Sequence[int]) -> tuple[int, ...]:
    """Seven whole percentages, Monday first; ValueError in words otherwise."""
    values = tuple(int(p) for p in percentages)
    if len(values) != 7:
        raise ValueError("easy days: give seven percentages, Monday to Sunday (100 is a normal day)")
    if any(not 0 <= p <= 100 for p in values):
        raise ValueError("easy days: each percentage must be between 0 and 100")
    return values


def check_vacation(start: date, end: date) -> Vacation:
    if end < start:
        raise ValueError("vacation: the last day must be on or after the first")
    vacation = Vacation(start, end)
    if vacation.days > MAX_VACATION_DAYS:
        raise ValueError(f"vacation: at most {MAX_VACATION_DAYS} days")
    return vacation


def _share(day: date, easy_days: Sequence[int]) -> float:
    return easy_days[day.weekday()] / 100


def _score(day: date, counts: Mapping[date, int], easy_days: Sequence[int]) -> float:
    share = _share(day, easy_days)
    return math.inf if share <= 0 else (counts.get(day, 0) + 1) / share


def pick_day(
    days: Sequence[date],
    counts: Mapping[date, int] | None,
    easy_days: Sequence[int],
    vacation: Vacation | None,
    seed: str,
) -> int | None:
    """The index in ``days`` (consecutive study days, the fuzz range) a card should be due on.

    ``counts`` None: load balancing is off, and the day is drawn by the seed, weighted by the
    easy-day shares. None is returned when every day is inside the vacation.
    """
    eligible = [i for i, day in enumerate(days) if vacation is None or day not in vacation]
    if not eligible:
        return None
    digest = hashlib.blake2b(seed.encode(), digest_size=8).digest()
    if easy_days != NORMAL_DAYS and not any(_share(days[i], easy_days) for i in eligible):
        easy_days = NORMAL_DAYS  # every day is a 0 % day: treat them alike
    if counts is None:
        shares = [_share(days[i], easy_days) for i in eligible]
        return random.Random(digest).choices(eligible, weights=shares)[0]
    if easy_days == NORMAL_DAYS:
        scores: list[float] = [counts.get(days[i], 0) for i in eligible]  # the same order, cheaper
    else:
        scores = [_score(days[i], counts, easy_days) for i in eligible]
    best = min(scores)
    tied = [i for i, score in zip(eligible, scores, strict=True) if score == best]
    if len(tied) == 1:
        return tied[0]
    # Ties go to a per-card day, not always the first: each day's place in a per-card order.
    salt = int.from_bytes(digest, "big")
    return min(tied, key=lambda i: _tie_order(salt, i))


def _tie_order(salt: int, index: int) -> int:
    """A per-card shuffle of the day indexes (a 64-bit mix of the card's salt and the index): as
    even as a random one, without making a random generator for every answer."""
    x = (salt ^ (index * 0x9E3779B97F4A7C15)) & _MASK_64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK_64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK_64
    return x ^ (x >> 31)


def out_of_vacation(
    due: date,
    reviewed: date,
    today: date,
    vacation: Vacation,
    load: DueLoad | None,
    easy_days: Sequence[int],
) -> date:
    """The day a card due on ``due``, inside ``vacation``, goes to instead (module docstring).

    ``reviewed`` is the study date of the card's last review (today for an answer being given):
    the interval whose half must be kept to move the card before the vacation.
    """
    interval = max(1, (due - reviewed).days)
    earliest = max(today, reviewed + timedelta(days=max(1, math.ceil(interval * MIN_SHARE_BEFORE))))
    last = vacation.end + timedelta(days=vacation.spread_days)
    first = min(earliest, vacation.start)
    counts = dict(load.due_counts(first, last)) if load is not None else {}
    before = _days(earliest, vacation.start - timedelta(days=1))
    if before:
        # Ties go to the latest day: the least shortening of the interval.
        return min(reversed(before), key=lambda d: _score_or_normal(d, counts, easy_days))
    after = _days(vacation.end + timedelta(days=1), last)
    return min(after, key=lambda d: _score_or_normal(d, counts, easy_days))


def _score_or_normal(day: date, counts: Mapping[date, int], easy_days: Sequence[int]) -> float:
    score = _score(day, counts, easy_days)
    # A 0 % day is still better than a pile: it ranks after every other day, by its load.
    return score if score != math.inf else 1e9 + counts.get(day, 0)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def spread_out_of_vacation(
    cards: Sequence[tuple[str, date, date]],
    today: date,
    vacation: Vacation,
    counts: Mapping[date, int],
    easy_days: Sequence[int],
) -> dict[str, date]:
    """New due days for cards due inside ``vacation``: ``(card id, due day, last review day)``.

    Each card goes where :func:`out_of_vacation` would send it, counting the cards already
    moved, so the days before and after fill evenly instead of all landing on one day.
    """
    running = dict(counts)
    moved: dict[str, date] = {}
    for card_id, due, reviewed in sorted(cards, key=lambda c: (c[1], c[0])):
        day = out_of_vacation(due, reviewed, today, vacation, FixedLoad(running), easy_days)
        running[day] = running.get(day, 0) + 1
        moved[card_id] = day
    return moved


def calendar_from_json(data: Mapping[str, object] | None) -> dict[str, object]:
    """``Settings`` keyword arguments from a profile's stored calendar (``profile.calendar``):
    ``{"load_balancing": bool, "easy_days": [7 percentages], "vacation": [first, last]}``, each
    key optional (missing: Anki's defaults, no vacation)."""
    values: dict[str, object] = {}
    if not data:
        return values
    if "load_balancing" in data:
        values["load_balancing"] = bool(data["load_balancing"])
    easy = data.get("easy_days")
    if isinstance(easy, list | tuple):
        values["easy_days"] = tuple(int(p) for p in easy)
    vacation = data.get("vacation")
    if isinstance(vacation, list | tuple) and len(vacation) == 2:
        values["vacation"] = Vacation(
            date.fromisoformat(str(vacation[0])), date.fromisoformat(str(vacation[1]))
        )
    return values
