"""Library page: browse and search every card and question; export the bank."""

from __future__ import annotations

import streamlit as st

from trainer.content import export
from trainer.content.search import search_cards, search_questions
from trainer.ui import common

st.title(":material/menu_book: Library")
content = common.bank()
common.show_skipped_files(content)


@st.cache_data(show_spinner="Building the Anki deck…")
def anki_deck(files: tuple[str, ...]) -> bytes:  # keyed on the loaded files
    return export.apkg_bytes(common.bank())


topics = list(content.topics)
left, middle, right = st.columns([3, 2, 2])
query = left.text_input("Search", placeholder="e.g. reserved concurrency, trunking, DLQ", key="lib_query")
topic = middle.selectbox(
    "Topic",
    [None, *topics],
    key="lib_topic",
    format_func=lambda t: "All topics" if t is None else content.topic_title(t),
)
tags = sorted({tag for card in content.cards.values() for tag in card.tags})
chosen_tags = right.multiselect("Tags (cards)", tags, key="lib_tags")

cards_tab, questions_tab, export_tab = st.tabs(["Cards", "Scenario questions", "Export"])

with cards_tab:
    cards = search_cards(content, query=query, topic=topic, tags=chosen_tags)
    st.caption(f"{len(cards)} of {len(content.cards)} cards")
    if not content.cards:
        st.info("No cards are loaded. Add YAML files under content/ (see the README's authoring guide).")
    elif not cards:
        st.info("No card matches. Try fewer words or clear the filters.")
    for card in cards[:200]:
        flag = ":material/build: " if card.correction else ""
        with st.expander(f"{flag}{card.front}"):
            st.markdown(f"**{card.back}**")
            st.markdown(card.explanation)
            common.render_correction(card)
            common.render_references(card)
            common.explainer_link(card)
            st.caption(
                f"Topic: {content.topic_title(card.topic)} · Tags: {', '.join(card.tags) or '—'} · "
                f"id `{card.id}`"
            )
    if len(cards) > 200:
        st.caption("Showing the first 200; narrow the search to see the rest.")

with questions_tab:
    questions = search_questions(content, query=query, topic=topic)
    st.caption(f"{len(questions)} of {len(content.questions)} questions")
    if content.questions and not questions:
        st.info("No question matches. Try fewer words or clear the filters.")
    for q in questions[:100]:
        kind = f"choose {q.choose}" if q.type == "multiple" else "single answer"
        with st.expander(f"{q.stem[:140]}{'…' if len(q.stem) > 140 else ''}"):
            st.caption(f"{q.domain.label} · difficulty {q.difficulty} · {kind} · id `{q.id}`")
            common.question_feedback(q, set(q.answer))

with export_tab:
    st.markdown(
        "Take the bank with you: an **Anki deck** (cards plus a sub-deck of scenario "
        "questions; re-importing a newer export updates your notes instead of duplicating "
        "them), or **CSV** for spreadsheets. From the command line: `trainer export deck.apkg`."
    )
    cols = st.columns(3)
    cols[0].download_button(
        "Anki deck (.apkg)",
        anki_deck(tuple(content.files)),
        file_name="ecs-lambda-trainer.apkg",
        mime="application/octet-stream",
        key="export_apkg",
        icon=":material/download:",
    )
    cols[1].download_button(
        "Cards (.csv)",
        export.cards_csv(content),
        file_name="cards.csv",
        mime="text/csv",
        key="export_cards_csv",
        icon=":material/download:",
    )
    cols[2].download_button(
        "Questions (.csv)",
        export.questions_csv(content),
        file_name="questions.csv",
        mime="text/csv",
        key="export_questions_csv",
        icon=":material/download:",
    )
