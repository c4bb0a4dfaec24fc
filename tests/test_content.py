"""The content model and `trainer check`: every problem listed at once, with file and line."""

from __future__ import annotations

import pytest

from tests.conftest import card_yaml
from trainer.cli import main
from trainer.content.loader import content_files, load_bank
from trainer.resources import content_dir

QUESTION = """
questions:
  - id: q1
    stem: A team needs something. What should they do?
    type: single
    options:
      - {text: Do A, explanation: Right because A.}
      - {text: Do B, explanation: Wrong because B.}
      - {text: Do C, explanation: Wrong because C.}
      - {text: Do D, explanation: Wrong because D.}
    answer: ANSWER
    domain: development
    difficulty: 2
    topic: alpha
    cards: [CARDS]
    references:
      - {title: Docs, url: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html'}
"""


def question(answer="0", cards="a1") -> str:
    return QUESTION.replace("ANSWER", answer).replace("CARDS", cards)


def test_valid_bank_loads(small_bank):
    assert set(small_bank.cards) == {"a1", "a2", "a3", "b1", "b2", "b3"}
    assert small_bank.cards["a1"].references[0].url.startswith("https://docs.aws.amazon.com/")
    assert small_bank.concepts["advanced"].requires == ("base",)


def test_question_schema(write_content):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    write_content("q.yaml", question())
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    q = bank.questions["q1"]
    assert q.answer == (0,) and q.choose == 1 and len(q.options) == 4
    assert q.options[1].explanation == "Wrong because B."


def test_every_problem_listed_with_file_and_line(write_content, capsys):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1") + card_yaml("a1")
                  + "  - id: broken\n    front: only a front\n    colour: red\n")
    write_content("q.yaml", question(answer="7", cards="nope"))
    write_content("bad.yaml", "cards:\n  - id: x\n    front: [unclosed\n")
    status = main(["check", str(write_content.root)])
    out = capsys.readouterr().out
    assert status == 1
    assert "cards.yaml:" in out and "unknown field 'colour'" in out
    assert "missing field 'back'" in out
    assert "q.yaml:11: answer index 7 is out of range" in out
    assert "bad.yaml:4: malformed YAML" in out or "bad.yaml:3: malformed YAML" in out
    assert "Traceback" not in out


def test_duplicate_ids_across_files_and_unknown_references(write_content, capsys):
    write_content("one.yaml", "cards:\n" + card_yaml("a1"))
    write_content("two.yaml", "cards:\n" + card_yaml("a1") + card_yaml("c9", prerequisites="[ghost]"))
    write_content("q.yaml", question(cards="missing-card"))
    assert main(["check", str(write_content.root)]) == 1
    out = capsys.readouterr().out
    assert "duplicate card id 'a1' (first defined at" in out
    assert "unknown prerequisite card 'ghost'" in out
    assert "unknown card 'missing-card'" in out


def test_python_tag_is_an_error_not_code(write_content, tmp_path, capsys):
    marker = tmp_path / "pwned"
    write_content("evil.yaml", f"cards: !!python/object/apply:os.system ['touch {marker}']\n")
    assert main(["check", str(write_content.root)]) == 1
    out = capsys.readouterr().out
    assert "evil.yaml:1: malformed YAML" in out and "not allowed" in out
    assert not marker.exists()


def test_concept_cycle_is_reported(write_content):
    write_content("cycle.yaml", """
        concepts:
          - {id: x, name: X, topic: alpha, requires: [y]}
          - {id: y, name: Y, topic: alpha, requires: [x]}
    """)
    bank = load_bank([write_content.root])
    assert any("cycle in concept prerequisites" in p.message for p in bank.problems)


def test_question_type_rules(write_content):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    write_content("q.yaml", question(answer="[0, 1]"))
    bank = load_bank([write_content.root])
    assert any("'single' question has exactly one correct option" in p.message for p in bank.problems)


def test_broken_file_is_skipped_rest_served(write_content):
    write_content("good.yaml", "cards:\n" + card_yaml("a1"))
    write_content("broken.yaml", "cards:\n" + card_yaml("zz") + "    bogus: 1\n")
    bank = load_bank([write_content.root])
    assert "a1" in bank.cards and "zz" not in bank.cards
    assert any(path.endswith("broken.yaml") for path in bank.skipped)


def test_non_aws_reference_rejected(write_content):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1").replace(
        "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "http://example.com/x"))
    bank = load_bank([write_content.root])
    assert any("not an https link to AWS documentation" in p.message for p in bank.problems)


def test_check_passes_on_good_content_and_missing_path(write_content, capsys):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    assert main(["check", str(write_content.root)]) == 0
    assert "all good" in capsys.readouterr().out
    assert main(["check", str(write_content.root / "nope.yaml")]) == 1
    assert "no such file" in capsys.readouterr().out


@pytest.mark.parametrize("path", content_files([content_dir()]), ids=lambda p: p.name)
def test_shipped_content_file_is_valid(path):
    """Every content file in the project passes the checks on its own (with the shared files)."""
    shared = [content_dir() / name for name in ("topics.yaml", "outline.yaml", "concepts.yaml")]
    cards = sorted((content_dir() / "cards").glob("*.yaml"))
    bank = load_bank(list(dict.fromkeys([*shared, *cards, path])))
    problems = [p for p in bank.problems if p.path.endswith(path.name) or not p.path]
    assert not problems, "\n".join(map(str, problems))


def test_shipped_bank_is_clean_and_big_enough():
    bank = load_bank()
    assert bank.ok, "\n".join(map(str, bank.problems))
    assert len(bank.cards) >= 30
