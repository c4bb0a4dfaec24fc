"""Shared fixtures: a fresh database per test, small content trees, Streamlit cache hygiene."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trainer.content import Bank, load_bank
from trainer.storage import make_engine

ROOT = Path(__file__).resolve().parent.parent

TOPICS = """
topics:
  - {id: alpha, title: Alpha topic, section: ECS}
  - {id: beta, title: Beta topic, section: Lambda}
outline:
  - {id: notes.one, section: ECS, text: First bullet}
  - {id: notes.two, section: Lambda, text: Second bullet}
concepts:
  - {id: base, name: Base idea, topic: alpha}
  - {id: advanced, name: Advanced idea, topic: beta, requires: [base]}
"""


def card_yaml(card_id: str, topic: str = "alpha", **extra) -> str:
    lines = [
        f"  - id: {card_id}",
        f"    front: Front of {card_id}?",
        f"    back: Back of {card_id}.",
        f"    explanation: Why {card_id} is so.",
        f"    topic: {topic}",
        "    outline: [notes.one]",
        "    references:",
        "      - {title: Docs, url: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html'}",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_content(tmp_path):
    """Write files into a fresh content directory; returns a function (name, text) -> Path."""
    root = tmp_path / "content"
    root.mkdir()
    (root / "base.yaml").write_text(TOPICS)

    def write(name: str, text: str) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    write.root = root
    return write


@pytest.fixture
def small_bank(write_content) -> Bank:
    """Six cards over two topics, with one concept prerequisite between them."""
    write_content("cards.yaml", "cards:\n"
                  + card_yaml("a1", concepts="[base]") + card_yaml("a2") + card_yaml("a3")
                  + card_yaml("b1", "beta", concepts="[advanced]") + card_yaml("b2", "beta")
                  + card_yaml("b3", "beta"))
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    return bank


@pytest.fixture
def engine():
    return make_engine("sqlite://")


@pytest.fixture
def file_db(tmp_path, monkeypatch):
    """A file SQLite database, used through TRAINER_DATABASE_URL as the app does."""
    url = f"sqlite:///{tmp_path / 'trainer.db'}"
    monkeypatch.setenv("TRAINER_DATABASE_URL", url)
    return url


@pytest.fixture
def clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
