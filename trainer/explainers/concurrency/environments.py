"""Execution environments, as cheaply as possible: the scaling budget and idle reclaim times.

All three loops keep the environments running as heaps of end times, with one ``INF`` sentinel
at the bottom so that ``heap[0]`` never fails; ``len(heap) - 1`` is how many are running. The
two helpers here are what the loops share beyond that.
"""

from __future__ import annotations

from trainer.explainers.concurrency.limits import SCALE_ENVIRONMENTS, SCALE_WINDOW_S

INF = float("inf")


class ScalingBudget:
    """At most 1,000 new execution environments per function in each 10-second window.

    Unused allowance does not carry over, so a fixed window with a fresh budget is exact.
    """

    __slots__ = ("window_end", "left", "refused")

    def __init__(self) -> None:
        self.window_end = 0.0
        self.left = 0
        self.refused = 0

    def take(self, t: float) -> bool:
        if t >= self.window_end:
            self.window_end = (t // SCALE_WINDOW_S + 1) * SCALE_WINDOW_S
            self.left = SCALE_ENVIRONMENTS
        if self.left:
            self.left -= 1
            return True
        self.refused += 1
        return False


def reclaim_times(limits: list[int]) -> list[float]:
    """Idle environments as the time each will be reclaimed, indexed by concurrency level.

    With the most recently freed environment reused first, the idle ones form a stack, and
    the one at depth i is exactly the one freed when the number running last fell from n+i
    to n+i−1 (n = running now). So instead of a stack we keep, for each level L, when the
    environment freed at the last fall from L to L−1 will be reclaimed. A request that
    lifts the level from n to n+1 starts warm iff that time is still ahead; if not, every
    level above has been reclaimed as well (they fell earlier). One store per finish and one
    load per request, instead of pushes and pops.
    """
    return [-INF] * (max(limits, default=0) + 2)
