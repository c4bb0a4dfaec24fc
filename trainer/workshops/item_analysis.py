"""Classical item analysis of a quiz: which questions taught and which confused.

What learning-management systems (Moodle, Canvas) give a teacher, computed from plain data:

* **difficulty** p — the share of answers that were correct (0.30–0.79 is the useful range);
* **point-biserial discrimination** r_pb = (M_p − M_q) / S_t · sqrt(p·q), where M_p and M_q are
  the mean total scores of those who got the item right and wrong, S_t the (population) standard
  deviation of the total scores of everyone who answered the item, q = 1 − p. 0.30 or more is
  good; a negative value usually means the key is wrong. Undefined (None) when everyone got the
  item right or wrong, or when all totals are equal;
* **distractor analysis** — how often each option was chosen by the top and the bottom half of
  the group (by total score): a wrong option should attract more low scorers than high scorers;
* **flags** — too easy, too hard, negative discrimination ("check the key"), a distractor that
  attracts the top half, and a reminder when N is small.

These statistics are unstable for small groups, so every figure comes with its N.
The total score is the number of items answered correctly (the item itself included, the
"uncorrected" r_pb that Moodle and Canvas report). Items a person did not answer are left out of
that item's figures (N counts those who answered).

Pure Python, no database and no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# The useful difficulty range (share correct) and the discrimination considered good.
TOO_HARD_BELOW = 0.30
TOO_EASY_ABOVE = 0.79
GOOD_DISCRIMINATION = 0.30
# Below this many answers the figures are shown with a warning.
SMALL_N = 10


@dataclass(frozen=True)
class Response:
    """One person's answer to one item."""

    person: Hashable
    item: Hashable
    chosen: tuple[int, ...]
    correct: bool


@dataclass(frozen=True)
class Flag:
    code: str  # "too_easy", "too_hard", "check_key", "distractor_attracts_top", "small_n"
    message: str

    @property
    def warning(self) -> bool:
        """Whether the flag points at a problem with the item (not only at a small N)."""
        return self.code != "small_n"


@dataclass(frozen=True)
class OptionStats:
    index: int
    is_key: bool
    chosen: int  # by everyone who answered the item
    top: int  # by the top half
    bottom: int  # by the bottom half

    def share(self, n: int) -> float | None:
        return self.chosen / n if n else None


@dataclass(frozen=True)
class ItemStats:
    item: Hashable
    n: int  # answers to this item
    correct: int
    p: float | None  # difficulty: share correct; None without answers
    r_pb: float | None  # point-biserial discrimination; None when undefined
    n_top: int
    n_bottom: int
    options: tuple[OptionStats, ...] = ()
    flags: tuple[Flag, ...] = field(default_factory=tuple)

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def pstdev(values: Sequence[float]) -> float:
    """Population standard deviation (divide by N), as the point-biserial formula uses."""
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def difficulty(correct: Sequence[bool]) -> float | None:
    """The share correct; None when nobody answered."""
    return sum(1 for c in correct if c) / len(correct) if correct else None


def point_biserial(correct: Sequence[int], totals: Sequence[float]) -> float | None:
    """r_pb = (M_p − M_q) / S_t · sqrt(p·q) for one item.

    ``correct[i]`` is person i's item score: True or 1 if they got the item right, False or 0
    if not (a bool is an int, so either form works); ``totals[i]`` is their total score.
    None when it is undefined: fewer than two people, p ∈ {0, 1}, or S_t = 0.
    """
    if len(correct) != len(totals):
        raise ValueError("correct and totals must have the same length")
    n = len(correct)
    if n < 2:
        return None
    right = [t for c, t in zip(correct, totals, strict=True) if c]
    wrong = [t for c, t in zip(correct, totals, strict=True) if not c]
    if not right or not wrong:
        return None
    s_t = pstdev(totals)
    if s_t == 0:
        return None
    p = len(right) / n
    return (mean(right) - mean(wrong)) / s_t * math.sqrt(p * (1 - p))


def halves(totals: Mapping[Hashable, float]) -> tuple[set[Hashable], set[Hashable]]:
    """The top and bottom halves by total score (floor(N/2) each; the middle one of an odd N
    belongs to neither). Ties are broken by the order of the persons, so the split is stable."""
    ordered = sorted(totals, key=lambda person: (-totals[person], _sort_key(person)))
    k = len(ordered) // 2
    if k == 0:
        return set(), set()
    return set(ordered[:k]), set(ordered[-k:])


def _sort_key(value: Hashable) -> tuple:
    return (type(value).__name__, value) if isinstance(value, (int, float, str)) else ("", str(value))


def totals_of(responses: Iterable[Response]) -> dict[Hashable, int]:
    """Each person's total score: the number of items they answered correctly."""
    totals: dict[Hashable, int] = {}
    for r in responses:
        totals[r.person] = totals.get(r.person, 0) + (1 if r.correct else 0)
    return totals


def flags_for(
    p: float | None,
    r_pb: float | None,
    n: int,
    options: Sequence[OptionStats] = (),
    n_top: int = 0,
    n_bottom: int = 0,
) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    if p is not None and p > TOO_EASY_ABOVE:
        flags.append(Flag("too_easy", f"Too easy: {p:.0%} correct (useful range 30–79 %)."))
    if p is not None and p < TOO_HARD_BELOW:
        flags.append(Flag("too_hard", f"Too hard: {p:.0%} correct (useful range 30–79 %)."))
    if r_pb is not None and r_pb < 0:
        flags.append(
            Flag(
                "check_key",
                f"Negative discrimination (r_pb = {r_pb:.2f}): those who did "
                "best overall got it wrong more often — check the key.",
            )
        )
    for option in options:
        # Compare shares, not counts: the halves need not have answered equally often.
        if (
            not option.is_key
            and n_top
            and n_bottom
            and option.top
            and option.top / n_top > option.bottom / n_bottom
        ):
            flags.append(
                Flag(
                    "distractor_attracts_top",
                    f"Option {chr(65 + option.index)} (wrong) attracted more of the top "
                    f"half ({option.top}) than of the bottom half ({option.bottom}): "
                    "is it ambiguous?",
                )
            )
    if 0 < n < SMALL_N:
        flags.append(Flag("small_n", f"Only {n} answer{'s' if n != 1 else ''}: these figures are unstable."))
    return tuple(flags)


def analyse(
    responses: Sequence[Response],
    items: Sequence[Hashable],
    option_counts: dict[Hashable, int] | None = None,
    keys: dict[Hashable, Sequence[int]] | None = None,
    persons: Iterable[Hashable] = (),
) -> list[ItemStats]:
    """Item statistics for each of ``items``, in that order.

    ``option_counts[item]`` is how many options the item has and ``keys[item]`` its correct
    options (for the distractor table); ``persons`` adds people with no answers at all (they
    count in the halves with a total of 0).
    """
    option_counts = option_counts or {}
    keys = keys or {}
    totals = totals_of(responses)
    for person in persons:
        totals.setdefault(person, 0)
    top, bottom = halves(totals)
    by_item: dict[Hashable, list[Response]] = {item: [] for item in items}
    for r in responses:
        if r.item in by_item:
            by_item[r.item].append(r)
    result = []
    for item in items:
        answers = by_item[item]
        correct = [r.correct for r in answers]
        p = difficulty(correct)
        r_pb = point_biserial(correct, [totals[r.person] for r in answers])
        n_options = option_counts.get(item) or (
            max((max(r.chosen) for r in answers if r.chosen), default=-1) + 1
        )
        key = set(keys.get(item, ()))
        options = tuple(
            OptionStats(
                index=i,
                is_key=i in key,
                chosen=sum(1 for r in answers if i in r.chosen),
                top=sum(1 for r in answers if r.person in top and i in r.chosen),
                bottom=sum(1 for r in answers if r.person in bottom and i in r.chosen),
            )
            for i in range(n_options)
        )
        n_top = sum(1 for r in answers if r.person in top)
        n_bottom = sum(1 for r in answers if r.person in bottom)
        result.append(
            ItemStats(
                item=item,
                n=len(answers),
                correct=sum(correct),
                p=p,
                r_pb=r_pb,
                n_top=n_top,
                n_bottom=n_bottom,
                options=options,
                flags=flags_for(p, r_pb, len(answers), options, n_top, n_bottom),
            )
        )
    return result
