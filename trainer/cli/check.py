"""``trainer check [PATH...]``: validate content files and list every problem at once.

The loader's schema and cross-file checks come first; then the item-writing rules of
:mod:`trainer.content.quality` (longest-option cue, "choose N" wording, option counts, near
duplicates, references). Errors make the exit status 1; warnings are listed for the writer.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from trainer.content.loader import load_bank
from trainer.content.model import Problem
from trainer.content.quality import review
from trainer.resources import content_dir


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="validate content YAML files",
        description="Validate every content file (default: the content/ directory) and list "
        "every problem with file and line, then the item-writing rules (longest-option cue, "
        "'choose N' wording, option counts, near-duplicate stems and cards, reference links). "
        "Exit status 1 on any error; warnings do not fail.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories to check")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    parser.add_argument("--no-warnings", action="store_true", help="list errors only")
    parser.set_defaults(handler=run)


def _as_json(problems: list[Problem]) -> list[dict]:
    return [{"path": p.path, "line": p.line, "message": p.message} for p in problems]


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [content_dir()]
    bank = load_bank(paths)
    quality = review(bank)
    errors = [*bank.problems, *quality.errors]
    warnings = [] if args.no_warnings else quality.warnings
    if args.json:
        print(
            json.dumps(
                {
                    "files": len(bank.files),
                    "cards": len(bank.cards),
                    "questions": len(bank.questions),
                    "problems": _as_json(errors),
                    "warnings": _as_json(warnings),
                },
                indent=2,
            )
        )
    else:
        for problem in errors:
            print(problem)
        for warning in warnings:
            print(f"{warning.path}:{warning.line}: warning: {warning.message}")
        summary = (
            f"{len(bank.files)} files, {len(bank.cards)} cards, {len(bank.questions)} questions, "
            f"{len(bank.outline)} outline entries, {len(bank.concepts)} concepts: "
        )
        counts = f"{len(errors)} problem(s)" if errors else "all good"
        if warnings:
            counts += f", {len(warnings)} warning(s)"
        print(summary + counts)
    return 1 if errors else 0
