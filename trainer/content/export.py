"""Export the bank: an Anki deck (.apkg, through genanki) and CSV files.

Anki note and deck ids must stay the same between exports so that re-importing a newer
export updates the notes a learner already has instead of duplicating them; they are derived
from the card and question ids with a stable hash.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import tempfile
from pathlib import Path

import genanki

from trainer.content.model import Bank, Card, Question

DECK_NAME = "AWS ECS & Lambda"
_CARD_MODEL_ID = 1_607_392_319
_QUESTION_MODEL_ID = 1_607_392_320
_DECK_ID = 2_059_400_110

_CSS = """
.card { font-family: -apple-system, Segoe UI, sans-serif; font-size: 19px; text-align: left;
        color: #16191f; background: #fff; max-width: 46em; margin: auto; }
.explanation { color: #414d5c; font-size: 16px; margin-top: 1em; }
.correction { border-left: 4px solid #ff9900; padding: .4em .8em; background: #fff7e6; margin-top: 1em; }
.refs { font-size: 14px; margin-top: 1em; }
.opt { margin: .3em 0; } .right { color: #037f0c; font-weight: 600; } .wrong { color: #5f6b7a; }
"""

CARD_MODEL = genanki.Model(
    _CARD_MODEL_ID,
    "ECS & Lambda Trainer card",
    fields=[{"name": n} for n in ("Id", "Front", "Back", "Explanation", "Correction", "References", "Topic")],
    templates=[
        {
            "name": "Card",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer><b>{{Back}}</b>"
            "<div class=explanation>{{Explanation}}</div>"
            "{{#Correction}}<div class=correction>{{Correction}}</div>{{/Correction}}"
            "<div class=refs>{{References}}</div>",
        }
    ],
    css=_CSS,
)

QUESTION_MODEL = genanki.Model(
    _QUESTION_MODEL_ID,
    "ECS & Lambda Trainer scenario question",
    fields=[{"name": n} for n in ("Id", "Stem", "Options", "Answer", "Explanations", "References", "Topic")],
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Stem}}<div>{{Options}}</div>",
            "afmt": "{{FrontSide}}<hr id=answer><b>{{Answer}}</b>"
            "<div class=explanation>{{Explanations}}</div><div class=refs>{{References}}</div>",
        }
    ],
    css=_CSS,
)


def _guid(kind: str, ident: str) -> str:
    return hashlib.sha1(f"ecs-lambda-trainer:{kind}:{ident}".encode()).hexdigest()[:20]


def card_guid(card_id: str) -> str:
    """The Anki note GUID this export gives a card: stable, so Anki history can be matched back
    to the card (trainer.study.anki_import)."""
    return _guid("card", card_id)


def question_guid(question_id: str) -> str:
    """The Anki note GUID this export gives a scenario question."""
    return _guid("question", question_id)


def _tag(text: str) -> str:
    return text.replace(" ", "_")


def _refs_html(item: Card | Question) -> str:
    return " · ".join(f'<a href="{html.escape(r.url)}">{html.escape(r.title)}</a>' for r in item.references)


def _letter(i: int) -> str:
    return "ABCDEFGH"[i]


def card_note(card: Card, bank: Bank) -> genanki.Note:
    correction = ""
    if card.correction:
        correction = (
            f"<b>Correction to the notes.</b> The notes say: {html.escape(card.correction.notes_say)}"
            f"<br>True now (since {html.escape(card.correction.since)}): {html.escape(card.correction.now)}"
        )
    return genanki.Note(
        model=CARD_MODEL,
        fields=[
            card.id,
            html.escape(card.front),
            html.escape(card.back),
            html.escape(card.explanation),
            correction,
            _refs_html(card),
            html.escape(bank.topic_title(card.topic)),
        ],
        tags=[_tag(card.topic), *map(_tag, card.tags)],
        guid=_guid("card", card.id),
    )


def question_note(question: Question, bank: Bank) -> genanki.Note:
    options = "".join(
        f"<div class=opt>{_letter(i)}. {html.escape(o.text)}</div>" for i, o in enumerate(question.options)
    )
    answer = "Answer: " + ", ".join(_letter(i) for i in question.answer)
    explanations = "".join(
        f"<div class='opt {'right' if i in question.answer else 'wrong'}'>{_letter(i)}. "
        f"{html.escape(o.explanation)}</div>"
        for i, o in enumerate(question.options)
    )
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[
            question.id,
            html.escape(question.stem),
            options,
            answer,
            explanations,
            _refs_html(question),
            html.escape(bank.topic_title(question.topic)),
        ],
        tags=[_tag(question.topic), f"domain::{question.domain.value}", "scenario"],
        guid=_guid("question", question.id),
    )


def anki_package(bank: Bank, include_questions: bool = True) -> genanki.Package:
    deck = genanki.Deck(_DECK_ID, DECK_NAME)
    for card in bank.cards.values():
        deck.add_note(card_note(card, bank))
    if include_questions:
        questions = genanki.Deck(_DECK_ID + 1, f"{DECK_NAME}::Scenario questions")
        for question in bank.questions.values():
            questions.add_note(question_note(question, bank))
        return genanki.Package([deck, questions])
    return genanki.Package(deck)


def write_apkg(bank: Bank, path: Path, include_questions: bool = True) -> Path:
    anki_package(bank, include_questions).write_to_file(str(path))
    return path


def apkg_bytes(bank: Bank, include_questions: bool = True) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_apkg(bank, Path(tmp) / "deck.apkg", include_questions)
        return path.read_bytes()


CARD_COLUMNS = [
    "id",
    "topic",
    "front",
    "back",
    "explanation",
    "tags",
    "concepts",
    "outline",
    "references",
    "correction_notes_say",
    "correction_now",
    "correction_since",
]
QUESTION_COLUMNS = [
    "id",
    "topic",
    "type",
    "domain",
    "difficulty",
    "stem",
    "options",
    "answer",
    "explanations",
    "cards",
    "references",
]


def cards_csv(bank: Bank) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CARD_COLUMNS)
    for c in bank.cards.values():
        fix = c.correction
        writer.writerow(
            [
                c.id,
                c.topic,
                c.front,
                c.back,
                c.explanation,
                ";".join(c.tags),
                ";".join(c.concepts),
                ";".join(c.outline),
                " ".join(r.url for r in c.references),
                fix.notes_say if fix else "",
                fix.now if fix else "",
                fix.since if fix else "",
            ]
        )
    return out.getvalue()


def questions_csv(bank: Bank) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(QUESTION_COLUMNS)
    for q in bank.questions.values():
        writer.writerow(
            [
                q.id,
                q.topic,
                q.type,
                q.domain.value,
                q.difficulty,
                q.stem,
                " | ".join(o.text for o in q.options),
                ";".join(_letter(i) for i in q.answer),
                " | ".join(o.explanation for o in q.options),
                ";".join(q.cards),
                " ".join(r.url for r in q.references),
            ]
        )
    return out.getvalue()
