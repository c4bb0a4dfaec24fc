"""Library page: browse and search every card by topic and tag."""

from __future__ import annotations

import streamlit as st

from trainer.library import search_cards
from trainer.ui import common

st.title(":material/menu_book: Library")
content = common.bank()
common.show_skipped_files(content)

topics = list(content.topics)
tags = sorted({tag for card in content.cards.values() for tag in card.tags})
left, middle, right = st.columns([3, 2, 2])
query = left.text_input("Search", placeholder="e.g. reserved concurrency, trunking, DLQ", key="lib_query")
topic = middle.selectbox("Topic", [None, *topics], key="lib_topic",
                         format_func=lambda t: "All topics" if t is None else content.topic_title(t))
chosen_tags = right.multiselect("Tags", tags, key="lib_tags")

cards = search_cards(content, query=query, topic=topic, tags=chosen_tags)
st.caption(f"{len(cards)} of {len(content.cards)} cards")
if not content.cards:
    st.info("No cards are loaded. Add YAML files under content/ (see the README's authoring guide).")
elif not cards:
    st.info("No card matches. Try fewer words or clear the filters.")

for card in cards[:200]:
    with st.expander(card.front):
        st.markdown(f"**{card.back}**")
        st.markdown(card.explanation)
        common.render_correction(card)
        common.render_references(card)
        common.explainer_link(card)
        st.caption(f"Topic: {content.topic_title(card.topic)} · Tags: {', '.join(card.tags) or '—'} · "
                   f"id `{card.id}`")
if len(cards) > 200:
    st.caption("Showing the first 200; narrow the search to see the rest.")
