"""``trainer export``: the bank as an Anki deck (.apkg) or CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.content.loader import load_bank
from trainer.resources import content_dir


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export",
        help="export the bank to Anki (.apkg) or CSV",
        description="Write the cards (and scenario questions) as an Anki package or as CSV. "
        "Re-importing a newer .apkg into Anki updates the notes instead of duplicating them.",
    )
    parser.add_argument("output", type=Path, help="file to write (.apkg or .csv)")
    parser.add_argument("--format", choices=["apkg", "csv"], help="default: from the file name")
    parser.add_argument(
        "--questions", action="store_true", help="CSV: export the scenario questions instead of the cards"
    )
    parser.add_argument("--cards-only", action="store_true", help="apkg: leave out the questions")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from trainer.cli import UsageError
    from trainer.content.export import cards_csv, questions_csv, write_apkg

    fmt = args.format or args.output.suffix.lstrip(".").lower()
    if fmt not in ("apkg", "csv"):
        raise UsageError(
            f"cannot tell the format of {str(args.output)!r}; name it .apkg or .csv, or pass --format"
        )
    if not args.output.parent.exists():
        raise UsageError(f"folder {str(args.output.parent)!r} does not exist")
    bank = load_bank([content_dir()])
    if fmt == "apkg":
        write_apkg(bank, args.output, include_questions=not args.cards_only)
        what = f"{len(bank.cards)} cards" + (
            "" if args.cards_only else f" and {len(bank.questions)} questions"
        )
    else:
        args.output.write_text(questions_csv(bank) if args.questions else cards_csv(bank), encoding="utf-8")
        what = f"{len(bank.questions)} questions" if args.questions else f"{len(bank.cards)} cards"
    print(f"wrote {what} to {args.output}")
    if bank.problems:
        print(f"note: {len(bank.problems)} content problem(s) were skipped; run `trainer check`")
    return 0
