"""Concept map page: the prerequisite graph coloured by mastery; study one concept."""

from __future__ import annotations

import streamlit as st

from trainer.charts import concepts as concept_charts
from trainer.content.graph import (
    concept_cards,
    concept_graph,
    layered_positions,
    mastery,
)
from trainer.study import stats
from trainer.ui import common, pages

st.title(":material/hub: Concept map")
st.caption(
    "Each concept is coloured by your mastery: the mean predicted recall of its cards "
    "(cards you have not studied count as 0). Arrows point from a concept to the ones "
    "that build on it. Click a concept, or choose it below, to see its cards."
)
content = common.bank()
profile = common.require_profile()
assert profile.id is not None  # a stored profile always has its id
common.sidebar_profile(profile)
study = common.study_for(profile)

graph = concept_graph(content)
if not graph.nodes:
    st.info("No concepts are defined yet. Add them to content/concepts.yaml.")
    st.stop()
recall = stats.card_recall(common.engine(), profile.id, study.settings)
levels = mastery(content, recall)
titles = {t: content.topic_title(t) for t in content.topics}
names = {n: graph.nodes[n]["name"] for n in graph.nodes}

selected = st.session_state.get("concept_selected")
event = st.plotly_chart(
    concept_charts.concept_map_chart(graph, layered_positions(graph), levels, titles, selected),
    key="concept_chart",
    on_select="rerun",
    selection_mode="points",
)
selection = event.get("selection") if event else None
points = selection.get("points", []) if selection else []
if points and points[0].get("customdata") in names:
    selected = points[0]["customdata"]

ordered = sorted(names, key=lambda n: (content.concepts[n].topic, names[n]))
choice = st.selectbox(
    "Concept",
    ordered,
    index=ordered.index(selected) if selected in ordered else None,
    format_func=lambda n: f"{names[n]} — {titles.get(content.concepts[n].topic, '')}",
    placeholder="Choose a concept",
    key="concept_pick",
)
if choice:
    selected = choice
st.session_state["concept_selected"] = selected
if not selected:
    st.stop()

concept = content.concepts[selected]
card_ids = concept_cards(content).get(selected, [])
level = levels.get(selected)
st.subheader(concept.name)
cols = st.columns(3)
cols[0].metric("Mastery", f"{level:.0%}" if level is not None else "—")
cols[1].metric("Cards", len(card_ids))
cols[2].metric("Studied", sum(1 for c in card_ids if recall.get(c, 0) > 0))
before = [names[p] for p in graph.predecessors(selected)]
after = [names[s] for s in graph.successors(selected)]
st.markdown(
    f"**Builds on:** {', '.join(before) or 'nothing — a starting point'}  \n"
    f"**Leads to:** {', '.join(after) or 'nothing further'}"
)

left, right = st.columns(2)
unseen = [c for c in card_ids if recall.get(c, 0) == 0]
if left.button(
    "Learn this concept next",
    key="concept_learn",
    disabled=not unseen,  # nothing new to bring forward (review defect 20)
    help="Moves this concept's unseen cards to the front of your new-card queue; "
    "cards already studied keep their schedule."
    if unseen
    else "You have studied every card of this concept: practise it instead.",
):
    moved = study.mark_for_review(unseen)
    st.success(f"{moved} new card(s) moved to the front of your queue.")
if right.button(
    "Practise this concept now",
    key="concept_practice",
    disabled=not card_ids,
    help="Opens Practice ahead on this concept's cards; the schedule is not changed.",
    type="primary",
):
    st.session_state["study_mode"] = "Practice ahead"
    st.session_state["cram_topic"] = f"concept:{selected}"
    st.switch_page(pages.STUDY)

for card_id in card_ids:
    card = content.cards[card_id]
    value = recall.get(card_id, 0.0)
    with st.expander(f"{card.front}  ·  {'not studied' if value == 0 else f'recall {value:.0%}'}"):
        st.markdown(f"**{card.back}**")
        st.markdown(card.explanation)
        common.render_correction(card)
        common.render_references(card)
