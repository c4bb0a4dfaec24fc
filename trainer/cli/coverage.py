"""``trainer coverage``: each outline entry with the cards and questions that cover it."""

from __future__ import annotations

import argparse
import json

from trainer.content.coverage import (
    MIN_CARDS,
    MIN_QUESTIONS,
    outline_coverage,
    topic_totals,
)
from trainer.content.loader import load_bank
from trainer.resources import content_dir


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "coverage",
        help="show how the bank covers the study notes",
        description=f"List every outline entry of the notes with the cards and questions that "
        f"cover it, and totals per topic. Exit status 1 if an entry has fewer than {MIN_CARDS} "
        f"cards or {MIN_QUESTIONS} question.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="list card and question ids")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    bank = load_bank([content_dir()])
    rows = outline_coverage(bank)
    totals = topic_totals(bank)
    missing = [r for r in rows if not r.covered]
    if args.json:
        print(
            json.dumps(
                {
                    "entries": [
                        {
                            "id": r.entry_id,
                            "section": r.section,
                            "cards": list(r.cards),
                            "questions": list(r.questions),
                            "covered": r.covered,
                        }
                        for r in rows
                    ],
                    "topics": totals,
                    "uncovered": [r.entry_id for r in missing],
                    "content_problems": len(bank.problems),
                },
                indent=2,
            )
        )
    else:
        width = max((len(r.entry_id) for r in rows), default=10)
        print(f"{'outline entry':<{width}}  cards  questions")
        for r in rows:
            mark = "" if r.covered else "   <-- needs more"
            print(f"{r.entry_id:<{width}}  {len(r.cards):>5}  {len(r.questions):>9}{mark}")
            if args.verbose:
                print(
                    f"    cards: {', '.join(r.cards) or '-'}\n    questions: {', '.join(r.questions) or '-'}"
                )
        print()
        print(f"{'topic':<24} cards  questions  multiple-response")
        for topic, t in totals.items():
            print(f"{topic:<24} {t['cards']:>5}  {t['questions']:>9}  {t['multiple']:>17}")
        print(
            f"{'total':<24} {len(bank.cards):>5}  {len(bank.questions):>9}  "
            f"{sum(t['multiple'] for t in totals.values()):>17}"
        )
        if missing:
            print(
                f"\n{len(missing)} outline entr{'y' if len(missing) == 1 else 'ies'} not covered by "
                f"at least {MIN_CARDS} cards and {MIN_QUESTIONS} question."
            )
        if bank.problems:
            print(f"Note: {len(bank.problems)} content problem(s); run `trainer check`.")
    return 1 if missing else 0
