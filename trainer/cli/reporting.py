"""What every simulation command does around its model: bad settings become one usage line, and
the result is printed as JSON or as text.

Written once so that ``trainer simulate`` and its sub-commands and ``trainer tune`` word their
errors and shape their output alike. Nothing heavy is imported here: a command loads its model
(and numpy) only when it runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def settings_checked() -> Iterator[None]:
    """Turn a model's SimulationError (settings out of range) into the CLI's one-line UsageError."""
    from trainer.cli import UsageError
    from trainer.explainers.traffic import SimulationError

    try:
        yield
    except SimulationError as exc:
        raise UsageError(" ".join(str(exc).split("\n"))) from None


def print_result(as_json: bool, json_of: Callable[[], dict[str, Any]], text_of: Callable[[], str]) -> int:
    """Print the JSON document or the text summary (each built only when asked for); exit 0."""
    if as_json:
        json.dump(json_of(), sys.stdout, indent=2)
        print()
    else:
        print(text_of())
    return 0
