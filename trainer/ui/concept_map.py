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
    "Each concept is coloured by your mastery, the mean predicted recall of its cards (cards you "
    "have not studied count as 0): grey for 0 %, amber around 50 %, green from 85 %. Arrows point "
    "from a concept to the ones that build on it. Click a concept, or choose it, to see its cards."
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

state = st.session_state
ordered = sorted(names, key=lambda n: (content.concepts[n].topic, names[n]))


def mastery_text(n: str) -> str:
    level = levels.get(n)
    return f"{level:.0%}" if level is not None else "no cards yet"


# A phone gets the list by default: the graph's labels cannot be read at 390 px (defect 10).
view = st.segmented_control(
    "View", ["Map", "List"], default="List" if common.on_phone() else "Map", key="concept_view"
)
if view == "List":
    details, chart_area = st.container(), st.container()  # the chosen concept above the list
else:
    # The chosen concept's details beside the graph, not 800 px below it (defect 9), and kept in
    # view while the tall graph scrolls.
    chart_area, details_column = st.columns([2, 1], gap="medium")
    st.html(
        "<style>div[data-testid=stColumn]:has(.st-key-concept_details) "
        "{ position: sticky; top: 3.5rem; align-self: flex-start; }</style>"
    )
    details = details_column.container(key="concept_details")

with chart_area:
    if view == "List":
        for topic in content.topics:
            here = [n for n in ordered if content.concepts[n].topic == topic]
            if not here:
                continue
            st.markdown(f"**{titles[topic]}**")
            with st.container(horizontal=True, gap="small"):
                for n in here:
                    if st.button(
                        f"{names[n]} · {mastery_text(n)}",
                        key=f"concept_item_{n}",
                        type="primary" if n == state.get("concept_pick") else "secondary",
                    ):
                        state["concept_pick"] = n  # the select box below is not drawn yet
    else:
        event = st.plotly_chart(
            concept_charts.concept_map_chart(
                graph, layered_positions(graph), levels, titles, state.get("concept_pick")
            ),
            key="concept_chart",
            on_select="rerun",
            selection_mode="points",
        )
        selection = event.get("selection") if event else None
        points = selection.get("points", []) if selection else []
        clicked = points[0].get("customdata") if points else None
        # A click moves the select box to the clicked concept; the chart keeps reporting the same
        # click on later reruns, so only a new click does (the box's own choice wins otherwise).
        if clicked in names and clicked != state.get("concept_clicked"):
            state["concept_pick"] = clicked
        state["concept_clicked"] = clicked

with details:
    choice = st.selectbox(
        "Concept",
        ordered,
        index=None,
        format_func=lambda n: f"{names[n]} — {titles.get(content.concepts[n].topic, '')}",
        placeholder="Choose a concept",
        key="concept_pick",
    )
    if not choice:
        st.caption("Click a concept on the map, or choose it here, to see its cards.")
        st.stop()
    selected: str = choice
    concept = content.concepts[selected]
    card_ids = concept_cards(content).get(selected, [])
    level = levels.get(selected)
    st.subheader(concept.name)
    # A row that stays a row on a phone (columns would stack into three screens' worth).
    with st.container(horizontal=True, gap="medium"):
        st.metric("Mastery", f"{level:.0%}" if level is not None else "—")
        st.metric("Cards", len(card_ids))
        st.metric("Studied", sum(1 for c in card_ids if recall.get(c, 0) > 0))
    before = [names[p] for p in graph.predecessors(selected)]
    after = [names[s] for s in graph.successors(selected)]
    st.markdown(
        f"**Builds on:** {', '.join(before) or 'nothing — a starting point'}  \n"
        f"**Leads to:** {', '.join(after) or 'nothing further'}"
    )

    unseen = [c for c in card_ids if recall.get(c, 0) == 0]
    if st.button(
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
    if st.button(
        "Practise this concept now",
        key="concept_practice",
        disabled=not card_ids,
        help="Opens Practice ahead on this concept's cards; the schedule is not changed.",
        type="primary",
    ):
        state["study_mode"] = "Practice ahead"
        state["cram_topic"] = f"concept:{selected}"
        st.switch_page(pages.STUDY)


# The concept's cards under the map: the details beside it stay short enough to stay in view.
st.subheader(f"Cards teaching {concept.name}")
for card_id in card_ids:
    card = content.cards[card_id]
    value = recall.get(card_id, 0.0)
    with st.expander(f"{card.front}  ·  {'not studied' if value == 0 else f'recall {value:.0%}'}"):
        st.markdown(f"**{card.back}**")
        st.markdown(card.explanation)
        common.render_correction(card)
        common.render_references(card)
