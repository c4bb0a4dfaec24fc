"""Work budgets: what one run that an anonymous visitor can start may cost, known before it runs.

Every explainer's engine is a loop whose cost grows with its settings, and the pages offer those
settings to anyone who can reach the server. The reliability review chose the worst the
playground allowed (asynchronous, 100 % errors, 100,000 requests/s for 50 s, 2 retries) and one
run took 103 s of CPU and 2.5 GB; each new seed missed the cache. So each engine estimates its
work *before* it runs, in the steps its slowest loop takes (a request attempt, an invocation, a
batch), retries and redeliveries included, and refuses a run over the budget with a message that
names the settings to lower.

The default budget, :data:`DEFAULT_STEPS`, is about 4 s of CPU and 150 MB in the slowest loop
(the playground's retrying loop, about 5 µs and 170 bytes an attempt on the 2-core test machine);
each engine weighs its steps against that loop. The command line may allow more with an explicit
flag (``--budget N`` or ``--no-budget``): its user runs it on their own machine.

An engine adds :meth:`WorkBudget.problem` to its settings' ``problems()`` (so the pages show it
like any other refused setting) and takes a ``budget`` in its ``validate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_STEPS = 800_000
TOO_LARGE = "Too large for one run"  # how every refusal starts, so a front end can add its own advice


@dataclass(frozen=True)
class Work:
    """What a run would cost: ``steps`` of the engine's slowest loop, worst case, and the
    settings that make it large (named as the page names them)."""

    steps: float
    unit: str
    levers: Sequence[str]


@dataclass(frozen=True)
class WorkBudget:
    """The most steps one run may take; ``steps=None`` means no budget (the CLI's ``--no-budget``)."""

    steps: float | None = DEFAULT_STEPS

    def problem(self, work: Work) -> str | None:
        """A "too large: lower X or Y" message when ``work`` is over the budget, else None."""
        if self.steps is None or work.steps <= self.steps:
            return None
        return (
            f"{TOO_LARGE}: about {work.steps:,.0f} {work.unit}, more than the "
            f"{self.steps:,.0f} one run may take. Lower {_either(work.levers)}."
        )

    def problems(self, work: Work) -> list[str]:
        found = self.problem(work)
        return [found] if found else []


DEFAULT_BUDGET = WorkBudget()
NO_BUDGET = WorkBudget(None)


def _either(levers: Sequence[str]) -> str:
    if len(levers) <= 1:
        return "".join(levers) or "the settings"
    return ", ".join(levers[:-1]) + " or " + levers[-1]
