"""The Concept map's page logic (review defects 9 and 10): a list view, nothing faded on selection,
labels not clipped, details beside the graph."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.store.engine import get_engine
from trainer.study.profiles import create_profile

APP = str(ROOT / "app.py")


@pytest.fixture
def concepts(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    create_profile(get_engine(file_db), "Ana")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("trainer/ui/concept_map.py").run()
    assert not at.exception, at.exception
    return at


def test_selection_fades_nothing_and_labels_are_not_clipped(concepts):
    spec = json.loads(concepts.get("plotly_chart")[0].proto.spec)
    nodes = next(t for t in spec["data"] if t.get("customdata"))
    assert nodes["unselected"]["marker"]["opacity"] == 1
    labels = [a for a in spec["layout"]["annotations"] if a.get("text")]
    assert {a["text"] for a in labels} == {"Base idea", "Advanced idea"}
    # Dark, 12 px, on a white backing, to the right of the node (not centred over it and cut).
    assert all(a["font"]["size"] >= 12 and a["bgcolor"] and a["xanchor"] == "left" for a in labels)


def test_list_view_picks_a_concept_and_shows_its_details(concepts):
    at = concepts
    assert at.segmented_control(key="concept_view").value == "Map"  # a desktop browser
    at.segmented_control(key="concept_view").set_value("List").run()
    assert not at.get("plotly_chart")
    at.button(key="concept_item_advanced").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="concept_pick").value == "advanced"
    assert any(s.value == "Advanced idea" for s in at.subheader)
    assert "Builds on:** Base idea" in " ".join(m.value for m in at.markdown)
