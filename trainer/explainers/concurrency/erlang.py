"""Erlang-B: the textbook answer the simulator must reproduce, and where it applies.

A synchronous function capped at c concurrency with Poisson arrivals is the classic loss
system, so the share of requests throttled must match the Erlang-B formula. The page shows
the prediction next to the simulated share, and the tests check the engine against it.
"""

from __future__ import annotations

from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.traffic import LoadKind


def erlang_b(c: int, a: float) -> float:
    """Share of requests lost by a c-server loss system offered ``a`` erlangs.

    The stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). With Poisson arrivals
    the result does not depend on the shape of the duration distribution, only its mean,
    which is why a synchronous Lambda function capped at c concurrency must reproduce it.
    """
    if c < 0 or a < 0:
        raise ValueError("erlang_b needs c >= 0 and a >= 0")
    b = 1.0
    for k in range(1, int(c) + 1):
        b = a * b / (k + a * b)
    return b


def erlang_prediction(s: PlaygroundSettings) -> tuple[float | None, float | None]:
    """(Erlang-B throttle share, offered load in erlangs) for these settings.

    The offered load (rate × mean duration) needs steady traffic; the share also needs
    synchronous calls without caller retries and a limit that does not move. Either is None
    where its assumptions do not hold.
    """
    if s.traffic.kind is not LoadKind.STEADY:
        return None, None
    offered = s.traffic.level * s.duration_ms / 1000.0
    fixed_cap = s.reserved is not None or s.other_load.kind is LoadKind.STEADY
    if s.invocation is not Invocation.SYNC or s.caller_retries or not fixed_cap:
        return None, offered
    return erlang_b(int(s.function_limit()[0]), offered), offered
