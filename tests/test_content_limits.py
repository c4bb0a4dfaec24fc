"""Content cannot hurt the server (reliability review R3 and §2): links out of the content
directory, /dev/zero, FIFOs, oversize files, deep nesting and too many values are each one
problem line for that file, which never quotes the file; a prerequisite cycle has a file:line."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, card_yaml
from trainer.cli import main
from trainer.content import limits
from trainer.content.loader import load_bank
from trainer.content.yamlfile import LineLoader, PureLineLoader, YamlError, parse_yaml

SECRET = "root:$6$SECRETHASH:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A file outside the content directory, shaped like /etc/shadow."""
    path = tmp_path / "elsewhere" / "shadow"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


def only_problem(bank, name: str):
    ((label, problems),) = [(label, p) for label, p in bank.skipped.items() if label.endswith(name)]
    assert len(problems) == 1, problems
    return problems[0]


def load_within(root: Path, seconds: float = 20):
    """load_bank in a thread, so a file that blocks fails the test instead of hanging it."""
    result = []
    worker = threading.Thread(target=lambda: result.append(load_bank([root])), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "loading the content blocked"
    return result[0]


def test_a_link_to_a_file_outside_is_refused_without_quoting_it(write_content, outside, capsys):
    (write_content.root / "cards").mkdir()
    (write_content.root / "cards" / "zz-shadow.yaml").symlink_to(outside)
    bank = load_bank([write_content.root])
    problem = only_problem(bank, "zz-shadow.yaml")
    assert "outside the content directory" in problem.message
    assert main(["check", str(write_content.root)]) == 1
    out = capsys.readouterr().out
    assert "zz-shadow.yaml:0: is a link to a file outside the content directory" in out
    assert "SECRETHASH" not in out and "root:" not in out and "daemon" not in out


def test_a_link_inside_the_content_directory_is_read(write_content):
    real = write_content("real/cards.yaml", "cards:\n" + card_yaml("a1"))
    (write_content.root / "linked.yaml").symlink_to(real)
    bank = load_bank([write_content.root])
    assert not bank.skipped and "a1" in bank.cards


def test_a_link_to_dev_zero_is_refused_at_once(write_content):
    (write_content.root / "zz-zero.yaml").symlink_to("/dev/zero")
    bank = load_within(write_content.root)
    assert "outside the content directory" in only_problem(bank, "zz-zero.yaml").message


def test_a_device_given_directly_is_not_read(tmp_path):
    """``trainer size plan /dev/zero`` and any load_yaml without a root: not a regular file."""
    from trainer.content.yamlfile import load_yaml

    with pytest.raises(YamlError, match="not a regular file"):
        load_yaml(Path("/dev/zero"))


def test_a_fifo_is_refused_without_blocking(write_content):
    os.mkfifo(write_content.root / "zz-fifo.yaml")
    bank = load_within(write_content.root)
    assert "not a regular file" in only_problem(bank, "zz-fifo.yaml").message


def test_an_oversize_file_is_refused_and_the_limit_is_configurable(write_content, monkeypatch):
    write_content("big.yaml", "cards:\n" + "".join(card_yaml(f"c{i}") for i in range(60)))
    assert not load_bank([write_content.root]).skipped  # about 25 kB: fine by default
    monkeypatch.setenv(limits.FILE_LIMIT_VAR, "0.01")  # about 10 kB
    problem = only_problem(load_bank([write_content.root]), "big.yaml")
    assert "more than the 0.0 MB a content file may have" in problem.message
    assert limits.FILE_LIMIT_VAR in problem.message


def test_the_total_size_is_bounded(write_content, monkeypatch):
    for i in range(3):
        write_content(f"part{i}.yaml", "cards:\n" + "".join(card_yaml(f"p{i}c{j}") for j in range(20)))
    monkeypatch.setenv(limits.TOTAL_LIMIT_VAR, "0.01")  # about 10 kB: the base file and one part fit
    bank = load_bank([write_content.root])
    assert bank.skipped and any(limits.TOTAL_LIMIT_VAR in p.message for p in bank.problems)
    assert bank.cards  # what fits is still served


@pytest.mark.parametrize("loader", [LineLoader, PureLineLoader], ids=["c", "pure"])
def test_a_list_nested_20000_deep_is_one_problem_not_a_recursion_error(loader, tmp_path):
    text = "cards: " + "[" * 20_000 + "]" * 20_000
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, tmp_path / "deep.yaml", loader)
    assert "nest" in caught.value.message.lower()


def test_deep_nesting_skips_only_that_file(write_content, capsys):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1"))
    write_content("deep.yaml", "cards: " + "[" * 20_000 + "]" * 20_000)
    bank = load_bank([write_content.root])
    assert "a1" in bank.cards and list(bank.skipped) == [next(k for k in bank.skipped if "deep" in k)]
    assert main(["check", str(write_content.root)]) == 1
    out = capsys.readouterr().out
    assert "deep.yaml" in out and "Traceback" not in out and len(out.splitlines()) < 5


def test_block_nesting_past_the_limit_is_refused(tmp_path):
    depth = limits.MAX_DEPTH + 5
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + f"{'  ' * depth}leaf\n"
    with pytest.raises(YamlError, match="nested more than"):
        parse_yaml(text, tmp_path / "deep.yaml")


def test_too_many_values_in_one_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("trainer.content.yamlfile.MAX_NODES", 100)
    with pytest.raises(YamlError, match="more than 100 values"):
        parse_yaml("cards: [" + ", ".join(["x"] * 200) + "]", tmp_path / "many.yaml")


def test_an_alias_bomb_is_still_cheap(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(YamlError, match="nested"):  # 11 levels: fine; the bomb is the width
        parse_yaml("\n".join(lines) + "\nz: " + "[" * 40 + "]" * 40, tmp_path / "bomb.yaml")


def test_unknown_sections_are_quoted_short(write_content):
    write_content("odd.yaml", f"{'x' * 200}: 1\ncards: []\n")
    problem = only_problem(load_bank([write_content.root]), "odd.yaml")
    assert problem.message.startswith("unknown section 'xxxx") and "x" * 40 not in problem.message


def test_a_card_prerequisite_cycle_names_a_file_and_line(write_content, capsys):
    write_content(
        "cycle.yaml",
        "cards:\n"
        + card_yaml("a1", prerequisites="[a2]")
        + card_yaml("a2", prerequisites="[a3]")
        + card_yaml("a3", prerequisites="[a1]"),
    )
    bank = load_bank([write_content.root])
    (problem,) = [p for p in bank.problems if "cycle in card prerequisites" in p.message]
    assert problem.path.endswith("cycle.yaml") and problem.line in (2, 11, 20)
    assert main(["check", str(write_content.root)]) == 1
    assert ":0: cycle" not in capsys.readouterr().out


def test_a_concept_cycle_names_a_file_and_line(write_content):
    write_content(
        "cycle.yaml",
        """
        concepts:
          - {id: x, name: X, topic: alpha, requires: [y]}
          - {id: y, name: Y, topic: alpha, requires: [x]}
    """,
    )
    (problem,) = [p for p in load_bank([write_content.root]).problems if "cycle" in p.message]
    assert problem.path.endswith("cycle.yaml") and problem.line in (3, 4)


def test_the_app_lists_a_refused_link_without_its_content(
    file_db, small_bank, write_content, outside, monkeypatch, clear_streamlit_caches
):
    (write_content.root / "zz-shadow.yaml").symlink_to(outside)
    os.mkfifo(write_content.root / "zz-fifo.yaml")
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    shown = " ".join(str(t.value) for t in at.text) + " ".join(m.value for m in at.markdown)
    assert "outside the content directory" in shown and "not a regular file" in shown
    assert "SECRETHASH" not in shown and "daemon" not in shown
