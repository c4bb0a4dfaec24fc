"""The content model and `trainer check`: every problem listed at once, with file and line."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import card_yaml
from trainer.cli import main
from trainer.content.loader import content_files, load_bank
from trainer.content.yamlfile import LineDict, LineLoader, PureLineLoader, YamlError, parse_yaml
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
    write_content(
        "cards.yaml",
        "cards:\n"
        + card_yaml("a1")
        + card_yaml("a1")
        + "  - id: broken\n    front: only a front\n    colour: red\n",
    )
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


# A file full of problems that are still YAML: every line the checker could quote.
PROBLEM_FILE = """\
# comment first, so line numbers are not trivially small
cards:
  - id: a1
    front: "a front
      folded over two lines"
    back: >
      folded
      block
    colour: red

  - {id: a2, front: flow, back: [unclosed: no, ok: yes], tags: [x, y]}
  - &anchor
    id: a3
    references:
      - title: t
        url: http://example.com
  - <<: *anchor
    front: merged
  - - nested list
    - {deep: {deeper: 1}}
questions: 7
"""


def _lines(node: object) -> object:
    """Every mapping's own line and key lines, in document order."""
    if isinstance(node, LineDict):
        return (node.line, sorted(node.key_lines.items()), [_lines(v) for v in node.values()])
    if isinstance(node, list):
        return [_lines(v) for v in node]
    return None


def test_c_loader_is_used_where_pyyaml_has_it():
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert issubclass(LineLoader, yaml.CSafeLoader)


def test_c_and_pure_loaders_give_the_same_lines(tmp_path):
    c_result = parse_yaml(PROBLEM_FILE, tmp_path / "p.yaml", LineLoader)
    pure_result = parse_yaml(PROBLEM_FILE, tmp_path / "p.yaml", PureLineLoader)
    assert c_result == pure_result
    assert _lines(c_result) == _lines(pure_result)
    assert c_result["cards"][0].line_of("colour") == 9
    assert c_result["cards"][3].line == 17 and c_result["cards"][3].line_of("front") == 18


@pytest.mark.parametrize(
    "text",
    [
        "cards:\n  - id: x\n    front: [unclosed\n",
        "cards:\n  - id: x\n    id: y\n",
        "cards:\n  - id: x\n    front: 'quote\n\n\n",
        "cards:\n  - id: x\n  bad indent: 1\n",
        "a: 1\nb: !!python/object/apply:os.system ['true']\n",
        "a: 1\n\n? [a, b]\n: value\n",
        "a:\n  - b\n  c: d\n",
    ],
)
def test_c_and_pure_loaders_report_the_same_line(text, tmp_path):
    errors = []
    for loader in (LineLoader, PureLineLoader):
        with pytest.raises(YamlError) as caught:
            parse_yaml(text, tmp_path / "bad.yaml", loader)
        errors.append(caught.value)
    assert errors[0].line == errors[1].line > 0
    assert errors[0].message.startswith("malformed YAML")


@pytest.mark.parametrize("loader", [LineLoader, PureLineLoader], ids=["c", "pure"])
def test_no_loader_runs_a_tag(loader, tmp_path):
    marker = tmp_path / "pwned"
    for tag in (
        "!!python/object/apply:os.system",
        "!!python/name:os.system",
        "!!python/object:os.stat_result",
    ):
        with pytest.raises(YamlError, match="not allowed"):
            parse_yaml(f"x: {tag} ['touch {marker}']\n", tmp_path / "evil.yaml", loader)
    assert not marker.exists()


def test_check_quotes_the_same_lines_with_either_loader(write_content, monkeypatch, capsys):
    write_content("cards.yaml", PROBLEM_FILE)
    write_content("bad.yaml", "cards:\n  - id: x\n    front: [unclosed\n")
    outputs = []
    for loader in (LineLoader, PureLineLoader):
        monkeypatch.setattr("trainer.content.yamlfile.LineLoader", loader)
        assert main(["check", str(write_content.root)]) == 1
        outputs.append(capsys.readouterr().out)
    # libyaml words a syntax error its own way; the file and line are what must agree.
    located = [[line.split(": ", 1)[0] for line in out.splitlines()] for out in outputs]
    assert located[0] == located[1]
    assert any(line.endswith("bad.yaml:4") for line in located[0])
    assert "cards.yaml:9: unknown field 'colour'" in outputs[0]


def test_concept_cycle_is_reported(write_content):
    write_content(
        "cycle.yaml",
        """
        concepts:
          - {id: x, name: X, topic: alpha, requires: [y]}
          - {id: y, name: Y, topic: alpha, requires: [x]}
    """,
    )
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
    write_content(
        "cards.yaml",
        "cards:\n"
        + card_yaml("a1").replace(
            "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "http://example.com/x"
        ),
    )
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
