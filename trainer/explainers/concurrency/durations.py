"""How long the handler runs: fixed, exponential or lognormal, drawn per request.

The lognormal is set by its mean and its p99, the two numbers people know about their
function, so :func:`lognormal_params` turns them into the distribution's parameters (and says
plainly when no lognormal has them). The functions take plain numbers rather than the
playground's settings so that the settings can use them to validate themselves.
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np

from trainer.explainers.traffic import SimulationError

Z99 = 2.3263478740408408  # standard normal 99th percentile


class DurationDist(StrEnum):
    FIXED = "fixed"
    EXPONENTIAL = "exponential"
    LOGNORMAL = "lognormal"


def lognormal_params(mean: float, p99: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with the given mean and 99th percentile.

    mean = exp(mu + sigma²/2) and p99 = exp(mu + z·sigma) give sigma²/2 − z·sigma +
    ln(p99/mean) = 0; the smaller root is the one where p99 really is the 99th percentile.
    """
    if p99 < mean:
        raise SimulationError(
            f"For a lognormal duration the p99 ({p99:g} ms) must be at least the mean ({mean:g} ms)."
        )
    ratio = math.log(p99 / mean)
    disc = Z99 * Z99 - 2.0 * ratio
    if disc < 0:
        most = mean * math.exp(Z99 * Z99 / 2.0)
        raise SimulationError(
            f"No lognormal has mean {mean:g} ms and p99 {p99:g} ms; "
            f"keep the p99 at most {most:,.0f} ms (about 15 × the mean)."
        )
    sigma = Z99 - math.sqrt(disc)
    return math.log(mean) - sigma * sigma / 2.0, sigma


def draw_durations(
    dist: DurationDist, mean_ms: float, p99_ms: float, n: int, rng: np.random.Generator
) -> np.ndarray:
    """``n`` handler durations in seconds (for SQS: per message); ``p99_ms`` is for lognormal."""
    mean = mean_ms / 1000.0
    if dist is DurationDist.FIXED:
        return np.full(n, mean)
    if dist is DurationDist.EXPONENTIAL:
        return rng.exponential(mean, n)
    mu, sigma = lognormal_params(mean_ms, p99_ms)
    return rng.lognormal(mu, sigma, n) / 1000.0
