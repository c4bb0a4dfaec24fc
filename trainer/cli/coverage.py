"""``trainer coverage``: each outline entry with the cards and questions that cover it, and the
bank's shape (size, scenarios, multiple-response, domain mix, longest-option cue, topics) against
the exam-grade targets."""

from __future__ import annotations

import argparse
import json

from trainer.content.coverage import (
    MIN_CARDS,
    MIN_QUESTIONS,
    BankFigures,
    Targets,
    bank_figures,
    missed_targets,
    outline_coverage,
)
from trainer.content.loader import load_bank
from trainer.content.model import Domain
from trainer.resources import content_dir


def register(sub: argparse._SubParsersAction) -> None:
    targets = Targets()
    parser = sub.add_parser(
        "coverage",
        help="show how the bank covers the study notes and the exam",
        description=f"List every outline entry of the notes with the cards and questions that "
        f"cover it, totals per topic, and the bank against the exam-grade targets: at least "
        f"{targets.cards} cards and {targets.questions} questions, {targets.scenario_share:.0%} "
        f"scenarios, {targets.multiple} multiple-response questions, each domain within "
        f"{targets.domain_tolerance * 100:.0f} points of its DVA-C02 weight, the correct option the "
        f"longest in at most {targets.cue_rate:.0%} of single-answer questions, and every topic "
        f"with {targets.topic_cards} cards and {targets.topic_questions} questions. Exit status 1 "
        f"if an entry has fewer than {MIN_CARDS} cards or {MIN_QUESTIONS} question, or a target "
        f"is missed.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="list card and question ids")
    parser.add_argument(
        "--no-targets",
        action="store_true",
        help="report the targets but fail only on uncovered outline entries (the old behaviour)",
    )
    parser.set_defaults(handler=run)


def _figures_json(figures: BankFigures) -> dict:
    return {
        "cards": figures.cards,
        "questions": figures.questions,
        "scenarios": figures.scenarios,
        "scenario_share": round(figures.scenario_share, 4),
        "multiple": figures.multiple,
        "multiple_scenarios": figures.multiple_scenarios,
        "mean_stem_words": round(figures.mean_stem_words, 1),
        "cue_rate": round(figures.cue_rate, 4),
        "cued": figures.cued,
        "single_answer": figures.cue_singles,
        "shortest_cued": figures.shortest_cued,
        "middle_cued": figures.middle_cued,
        "domains": {
            d.value: {
                "questions": figures.domain_counts.get(d, 0),
                "share": round(figures.domain_share(d), 4),
                "weight": d.weight,
            }
            for d in Domain
        },
    }


def _print_figures(figures: BankFigures, targets: Targets) -> None:
    print(
        f"scenarios: {figures.scenarios} of {figures.questions} questions "
        f"({figures.scenario_share:.0%}; target {targets.scenario_share:.0%}); "
        f"mean stem {figures.mean_stem_words:.0f} words"
    )
    print(
        f"multiple-response: {figures.multiple} (target {targets.multiple}), "
        f"{figures.multiple_scenarios} of them scenarios"
    )
    print(
        f"longest-option cue: {figures.cued} of {figures.cue_singles} single-answer questions "
        f"({figures.cue_rate:.0%}; target at most {targets.cue_rate:.0%}); the shortest is correct in "
        f"{figures.shortest_cued} (chance is 25% with four options), neither in "
        f"{figures.middle_cued} (chance is 50%)"
    )
    print(f"\n{'domain':<34} questions  share  DVA-C02")
    for d in Domain:
        print(
            f"{d.label:<34} {figures.domain_counts.get(d, 0):>9}  {figures.domain_share(d):>5.0%}  "
            f"{d.weight:>7.0%}"
        )


def run(args: argparse.Namespace) -> int:
    bank = load_bank([content_dir()])
    rows = outline_coverage(bank)
    targets = Targets()
    figures = bank_figures(bank)
    totals = figures.topics
    missing = [r for r in rows if not r.covered]
    missed = missed_targets(bank, figures, targets)
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
                    "bank": _figures_json(figures),
                    "missed_targets": missed,
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
            short = (
                ""
                if t["cards"] >= targets.topic_cards and t["questions"] >= targets.topic_questions
                else "   <-- needs more"
            )
            print(f"{topic:<24} {t['cards']:>5}  {t['questions']:>9}  {t['multiple']:>17}{short}")
        print(f"{'total':<24} {figures.cards:>5}  {figures.questions:>9}  {figures.multiple:>17}")
        print()
        _print_figures(figures, targets)
        if missing:
            print(
                f"\n{len(missing)} outline entr{'y' if len(missing) == 1 else 'ies'} not covered by "
                f"at least {MIN_CARDS} cards and {MIN_QUESTIONS} question."
            )
        if missed:
            print(f"\n{len(missed)} target(s) missed:")
            for line in missed:
                print(f"  {line}")
        elif not missing:
            print("\nEvery target met.")
        if bank.problems:
            print(f"Note: {len(bank.problems)} content problem(s); run `trainer check`.")
    return 1 if missing or (missed and not args.no_targets) else 0
