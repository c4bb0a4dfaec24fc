"""The ``trainer`` command line.

Each sub-command lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``handler``. A handler returns the exit status. Usage mistakes exit 2 with one
line on stderr (argparse's convention); a handler never lets a traceback reach the user.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from trainer.cli import check, coverage, db, export, profiles, serve, simulate, size, study, tune

# Sub-command modules, in the order `trainer --help` lists them.
COMMANDS = [serve, check, coverage, export, size, simulate, study, tune, db, profiles]


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line on stderr and exit status 2.

    Sub-command parsers inherit the class, so every command behaves the same.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # Report unknown arguments where they occur, in one line, rather than letting the
        # top-level parser print its usage block.
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        assert parsed is not None  # argparse always returns a namespace
        return parsed, extras


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="trainer", description="ECS & Lambda study trainer: content tools and calculators."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        # A simulation sub-command names itself in full: "trainer simulate stream: error: …".
        command = " ".join(part for part in (args.command, getattr(args, "scenario", None)) if part)
        print(f"trainer {command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the error boundary: one plain line, details only on request
        return report_failure(f"trainer {args.command}", exc)


def report_failure(command: str, exc: Exception) -> int:
    """Print what failed in plain words with a request id (exit 1); log the details only when
    ``TRAINER_DEBUG`` is set, so a traceback with SQL or paths never reaches the terminal unasked."""
    from trainer.store.errors import StorageError
    from trainer.store.failures import explain, log_failure

    if isinstance(exc, StorageError):  # already one plain line, with the password hidden
        print(f"{command}: error: {exc}", file=sys.stderr)
        return 1
    failure = explain(exc)
    if os.environ.get("TRAINER_DEBUG"):
        logging.basicConfig(level=logging.INFO)
        log_failure(failure, exc, command)
        hint = ""
    else:
        hint = " (set TRAINER_DEBUG=1 to see the details)"
    print(f"{command}: error: {failure.line()}{hint}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
