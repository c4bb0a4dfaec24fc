"""What every simulation command does around its model: bad settings become one usage line, and
the result is printed as JSON or as text.

Written once so that ``trainer simulate`` and its sub-commands and ``trainer tune`` word their
errors and shape their output alike. Nothing heavy is imported here: a command loads its model
(and numpy) only when it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.explainers.budget import WorkBudget


@contextmanager
def settings_checked() -> Iterator[None]:
    """Turn a model's SimulationError (settings out of range) into the CLI's one-line UsageError."""
    from trainer.cli import UsageError
    from trainer.explainers.budget import TOO_LARGE
    from trainer.explainers.traffic import SimulationError

    try:
        yield
    except SimulationError as exc:
        message = " ".join(str(exc).split("\n"))
        if TOO_LARGE in message:
            message += " Or allow more with --budget STEPS or --no-budget."
        raise UsageError(message) from None


def print_result(as_json: bool, json_of: Callable[[], dict[str, Any]], text_of: Callable[[], str]) -> int:
    """Print the JSON document or the text summary (each built only when asked for); exit 0."""
    if as_json:
        json.dump(json_of(), sys.stdout, indent=2)
        print()
    else:
        print(text_of())
    return 0


def add_budget_options(parser: argparse.ArgumentParser) -> None:
    """``--budget STEPS`` and ``--no-budget``: the web pages' work limit, raised on purpose.

    The pages refuse a run over the budget (``trainer.explainers.budget``); at the command line
    the machine is the user's own, so they may ask for more.
    """
    from trainer.explainers.budget import DEFAULT_STEPS

    group = parser.add_argument_group("work limit").add_mutually_exclusive_group()
    group.add_argument(
        "--budget",
        type=int,
        metavar="STEPS",
        help=f"the most work one run may take (default {DEFAULT_STEPS:,}, the web pages' limit)",
    )
    group.add_argument(
        "--no-budget",
        action="store_true",
        help="no work limit: as large as the settings allow (a run may take minutes and gigabytes)",
    )


def budget_from(args: argparse.Namespace) -> WorkBudget:
    """The work budget the options ask for; a usage error for a budget that is not positive."""
    from trainer.cli import UsageError
    from trainer.explainers.budget import DEFAULT_BUDGET, NO_BUDGET, WorkBudget

    if getattr(args, "no_budget", False):
        return NO_BUDGET
    steps = getattr(args, "budget", None)
    if steps is None:
        return DEFAULT_BUDGET
    if steps < 1:
        raise UsageError(f"--budget must be a positive number of steps, not {steps}")
    return WorkBudget(steps)
