"""``trainer check [PATH...]``: validate content files and list every problem at once."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from trainer.content.loader import load_bank
from trainer.resources import content_dir


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check",
        help="validate content YAML files",
        description="Validate every content file (default: the content/ directory) and list "
        "every problem with file and line. Exit status 1 on any problem.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories to check")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [content_dir()]
    bank = load_bank(paths)
    if args.json:
        print(
            json.dumps(
                {
                    "files": len(bank.files),
                    "cards": len(bank.cards),
                    "questions": len(bank.questions),
                    "problems": [
                        {"path": p.path, "line": p.line, "message": p.message} for p in bank.problems
                    ],
                },
                indent=2,
            )
        )
    else:
        for problem in bank.problems:
            print(problem)
        summary = (
            f"{len(bank.files)} files, {len(bank.cards)} cards, {len(bank.questions)} questions, "
            f"{len(bank.outline)} outline entries, {len(bank.concepts)} concepts: "
        )
        print(summary + (f"{len(bank.problems)} problem(s)" if bank.problems else "all good"))
    return 1 if bank.problems else 0
