"""Load shapes over time, and Poisson arrivals that follow them.

Explainers that simulate a service under load need inputs that vary over time: how much work
arrives, and how much of a shared limit something else is using. Both are the same kind of
thing, a value per second following a simple shape, so one :class:`Load` describes either.
Shapes are deliberately few and named the way people talk about traffic: steady, a ramp, a
spike, a daily wave, or numbers read from a CSV file. Nothing here knows which service is
simulated: the Lambda concurrency playground uses it today, an ECS autoscaling simulator can
reuse it tomorrow.

Arrivals are a non-homogeneous Poisson process with the per-second rates held constant within
each second. They are made by the time-change method: points of a unit-rate Poisson process
(a cumulative sum of exponential gaps) are mapped back through the cumulative rate. That is
exact for piecewise-constant rates, needs no sorting and costs a few milliseconds for a
million arrivals.

This module also defines :class:`SimulationError`, the one exception a simulator raises for
bad inputs; its message is meant for the user, not for a traceback.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class SimulationError(ValueError):
    """A setting the simulator (or AWS) would refuse; ``str(exc)`` is the user-facing message.

    ``problems`` lists every reason separately (the message joins them with newlines), so a
    page can show them one by one; a single problem is the message itself.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)


class LoadKind(StrEnum):
    STEADY = "steady"
    RAMP = "ramp"
    SPIKE = "spike"
    WAVE = "wave"
    CSV = "csv"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    LoadKind.STEADY: "Steady",
    LoadKind.RAMP: "Linear ramp",
    LoadKind.SPIKE: "Sudden spike",
    LoadKind.WAVE: "Daily wave",
    LoadKind.CSV: "From a CSV file",
}

# A CSV of per-second values may be long, but not absurdly so.
MAX_CSV_VALUES = 86_400


@dataclass(frozen=True)
class Load:
    """A value per second (requests per second, or concurrency in use) following a shape.

    - ``steady``: ``level`` all the time.
    - ``ramp``: ``level`` until ``start_s``, then a straight line to ``peak`` over
      ``length_s`` seconds (0 = until the end of the run), then ``peak``.
    - ``spike``: ``level``, except ``peak`` from ``start_s`` for ``length_s`` seconds.
    - ``wave``: a smooth daily cycle from ``level`` (trough, at the start) up to ``peak`` and
      back, with period ``period_s`` (0 = one whole cycle over the simulated time, i.e. a day
      compressed into the run so the whole shape is visible).
    - ``csv``: ``values[k]`` in second k; the list repeats if the run is longer.
    """

    kind: LoadKind = LoadKind.STEADY
    level: float = 0.0
    peak: float = 0.0
    start_s: float = 0.0
    length_s: float = 0.0
    period_s: float = 0.0
    values: tuple[float, ...] = ()

    def per_second(self, seconds: int) -> np.ndarray:
        """The value in each second 0..seconds-1, evaluated at the middle of the second."""
        mid = np.arange(seconds, dtype=float) + 0.5
        if self.kind is LoadKind.STEADY:
            return np.full(seconds, float(self.level))
        if self.kind is LoadKind.RAMP:
            length = self.length_s or max(seconds - self.start_s, 1.0)
            share = np.clip((mid - self.start_s) / length, 0.0, 1.0)
            return self.level + (self.peak - self.level) * share
        if self.kind is LoadKind.SPIKE:
            inside = (mid >= self.start_s) & (mid < self.start_s + self.length_s)
            return np.where(inside, float(self.peak), float(self.level))
        if self.kind is LoadKind.WAVE:
            period = self.period_s or seconds
            phase = (1.0 - np.cos(2.0 * math.pi * mid / period)) / 2.0
            return self.level + (self.peak - self.level) * phase
        values = np.asarray(self.values, dtype=float)
        return np.resize(values, seconds) if len(values) else np.zeros(seconds)

    def canonical(self) -> Load:
        """The same shape with the fields it ignores reset, so equal shapes compare equal."""
        k = self.kind
        if k is LoadKind.STEADY:
            return Load(k, level=float(self.level))
        if k is LoadKind.CSV:
            return Load(k, values=tuple(float(v) for v in self.values))
        timed = k in (LoadKind.SPIKE, LoadKind.RAMP)
        return Load(
            k,
            level=float(self.level),
            peak=float(self.peak),
            start_s=float(self.start_s) if timed else 0.0,
            length_s=float(self.length_s) if timed else 0.0,
            period_s=float(self.period_s) if k is LoadKind.WAVE else 0.0,
        )

    def maximum(self) -> float:
        if self.kind is LoadKind.CSV:
            return max(self.values, default=0.0)
        if self.kind is LoadKind.STEADY:
            return self.level
        return max(self.level, self.peak)

    def minimum(self) -> float:
        if self.kind is LoadKind.CSV:
            return min(self.values, default=0.0)
        if self.kind is LoadKind.STEADY:
            return self.level
        return min(self.level, self.peak)

    def problems(self, what: str, unit: str, upper: float) -> list[str]:
        """Messages for values outside 0..upper (``what`` names the setting)."""
        out = []
        if self.kind is LoadKind.CSV and not self.values:
            out.append(f"{what}: the CSV file has no values; give one number per second.")
        if not all(math.isfinite(v) for v in self._numbers()):
            out.append(f"{what} must be a number (not NaN or infinity); use 0 or more {unit}.")
        elif self.minimum() < 0:
            out.append(f"{what} can't be negative; use 0 or more {unit}.")
        if self.maximum() > upper:
            out.append(
                f"{what} of {self.maximum():,.0f} {unit} is more than this simulator handles "
                f"({upper:,.0f}); lower it."
            )
        if self.kind in (LoadKind.SPIKE, LoadKind.RAMP) and (self.start_s < 0 or self.length_s < 0):
            out.append(f"{what}: start and length can't be negative.")
        if self.kind is LoadKind.WAVE and self.period_s < 0:
            out.append(f"{what}: the wave period can't be negative.")
        return out

    def describe(self, unit: str) -> str:
        """A short human description, e.g. "20 req/s, spike to 200 at 120 s for 60 s"."""
        k = self.kind
        if k is LoadKind.STEADY:
            return f"steady {self.level:g} {unit}"
        if k is LoadKind.RAMP:
            return f"ramp {self.level:g} → {self.peak:g} {unit}"
        if k is LoadKind.SPIKE:
            return (
                f"{self.level:g} {unit}, spike to {self.peak:g} at {self.start_s:g} s for {self.length_s:g} s"
            )
        if k is LoadKind.WAVE:
            return f"daily wave {self.level:g} → {self.peak:g} {unit}"
        return f"CSV with {len(self.values)} seconds"

    def _numbers(self) -> tuple[float, ...]:
        return (self.level, self.peak, self.start_s, self.length_s, self.period_s, *self.values)


def steady(level: float) -> Load:
    return Load(LoadKind.STEADY, level=level)


def parse_rates_csv(text: str) -> tuple[float, ...]:
    """Per-second values from CSV text: one row per second, the last numeric column is used.

    A header row (any non-numeric first row) is skipped. Raises :class:`SimulationError` with
    the line number of the first bad row.
    """
    rows = list(csv.reader(io.StringIO(text)))
    values: list[float] = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        try:
            value = float(cells[-1])
        except ValueError:
            if not values and number == 1:
                continue  # header
            raise SimulationError(
                f"CSV line {number}: {cells[-1]!r} is not a number; give one rate per line."
            ) from None
        if not math.isfinite(value) or value < 0:
            raise SimulationError(f"CSV line {number}: rates must be 0 or more, got {cells[-1]}.")
        values.append(value)
    if not values:
        raise SimulationError("The CSV file has no numbers; give one rate (requests/s) per line.")
    if len(values) > MAX_CSV_VALUES:
        raise SimulationError(
            f"The CSV file has {len(values):,} rows; use at most {MAX_CSV_VALUES:,} (one day)."
        )
    return tuple(values)


def arrival_times(rates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sorted Poisson arrival times in [0, len(rates)) with rate ``rates[k]`` in second k.

    Time change: if U_1 < U_2 < ... is a unit-rate Poisson process and Λ(t) the cumulative
    rate, then Λ⁻¹(U_i) is a Poisson process with the wanted rate.
    """
    cumulative = np.concatenate(([0.0], np.cumsum(rates, dtype=float)))
    total = float(cumulative[-1])
    if total <= 0:
        return np.empty(0)
    units = _unit_points(total, rng)
    if np.all(rates == rates[0]):
        units /= float(rates[0])  # in place: a fresh array of a million costs page faults
        return units
    times = np.interp(units, cumulative, np.arange(len(cumulative), dtype=float))
    return np.minimum(times, np.nextafter(float(len(rates)), 0.0))


def _unit_points(total: float, rng: np.random.Generator) -> np.ndarray:
    """Points of a unit-rate Poisson process in [0, total), by cumulative exponential gaps."""
    guess = int(total + 6.0 * math.sqrt(total) + 16)
    points = rng.standard_exponential(guess)  # = exponential(1.0, guess), faster
    np.cumsum(points, out=points)
    while points[-1] < total:  # very unlikely: extend
        more = np.cumsum(rng.standard_exponential(guess)) + points[-1]
        points = np.concatenate((points, more))
    return points[: int(np.searchsorted(points, total))]
