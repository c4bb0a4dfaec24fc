"""Library page: browse and search every card and question; export the bank.

Fast with a large bank (review defect 8: 3–7 s per load with 209 cards): the lists are shown a
page of PAGE_SIZE at a time, an item's body is built only when its expander is opened, and the
export files are made only when their button is pressed (Streamlit calls ``data`` then).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from trainer.content import export
from trainer.content.model import Bank
from trainer.content.search import search_cards, search_questions
from trainer.ui import common

PAGE_SIZE = 25
Item = TypeVar("Item")

st.title(":material/menu_book: Library")
content = common.bank()
common.show_skipped_files(content)


def one_page(items: Sequence[Item], total: int, noun: str, key: str) -> Sequence[Item]:
    """The items of the page chosen below the list, and a caption saying which ones these are.

    The page goes back to 1 whenever the list itself changes (a new search or filter)."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    signature = (len(items), tuple(getattr(i, "id", None) for i in items[:3]))
    if st.session_state.get(f"{key}_for") != signature or st.session_state.get(key, 1) > pages:
        st.session_state[key] = 1
        st.session_state[f"{key}_for"] = signature
    page = int(st.session_state.get(key, 1))
    first = (page - 1) * PAGE_SIZE
    shown = items[first : first + PAGE_SIZE]
    where = f" · showing {first + 1}–{first + len(shown)}" if pages > 1 else ""
    st.caption(f"{len(items)} of {total} {noun}{where}")
    return shown


def turn(key: str, step: int) -> None:
    st.session_state[key] = int(st.session_state.get(key, 1)) + step


def page_picker(items: Sequence[object], key: str) -> None:
    """Previous and Next under the list (page state is the session key ``key``)."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if pages == 1:
        return
    page = int(st.session_state.get(key, 1))
    with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_nav"):
        st.button(
            "Previous",
            key=f"{key}_prev",
            icon=":material/chevron_left:",
            disabled=page <= 1,
            on_click=turn,
            args=(key, -1),
        )
        st.caption(f"Page {page} of {pages}")
        st.button(
            "Next",
            key=f"{key}_next",
            icon=":material/chevron_right:",
            disabled=page >= pages,
            on_click=turn,
            args=(key, 1),
        )


def deck_builder(bank: Bank) -> Callable[[], bytes]:
    """The .apkg is made when its button is pressed (about 0.25 s), not on every visit."""
    return lambda: export.apkg_bytes(bank)


def tag_choices(bank: Bank, topic: str | None) -> tuple[list[str], Callable[[str], str]]:
    """The tags of the chosen topic's cards (of every card with no topic chosen), each shown with
    its number of cards, for the tag filter; tags chosen before that the topic lacks are dropped
    (review defect 19: the list was every tag, whatever the topic)."""
    counts: dict[str, int] = {}
    for card in bank.cards.values():
        if topic is None or card.topic == topic:
            for tag in card.tags:
                counts[tag] = counts.get(tag, 0) + 1
    tags = sorted(counts)
    if "lib_tags" in st.session_state:
        st.session_state["lib_tags"] = [t for t in st.session_state["lib_tags"] if t in counts]
    return tags, lambda tag: f"{tag} ({counts[tag]})"


topics = list(content.topics)
left, middle, right = st.columns([3, 2, 2])
query = left.text_input("Search", placeholder="e.g. reserved concurrency, trunking, DLQ", key="lib_query")
topic = middle.selectbox(
    "Topic",
    [None, *topics],
    key="lib_topic",
    format_func=lambda t: "All topics" if t is None else content.topic_title(t),
)
tags, tag_label = tag_choices(content, topic)
chosen_tags = right.multiselect(
    "Tags (cards)",
    tags,
    format_func=tag_label,
    key="lib_tags",
    help="Cards that have every chosen tag. The list holds the chosen topic's tags.",
    placeholder="Any tag",
    # No "Select all" entry (review defect 19): the filter is AND, so every tag at once matches
    # no card ("0 of 209 cards") and is never what a click on the first entry meant.
    select_all=False,
)

cards_tab, questions_tab, export_tab = st.tabs(["Cards", "Scenario questions", "Export"])

with cards_tab:
    cards = search_cards(content, query=query, topic=topic, tags=chosen_tags)
    shown_cards = one_page(cards, len(content.cards), "cards", "lib_card_page")
    if not content.cards:
        st.info("No cards are loaded. Add YAML files under content/ (see the README's authoring guide).")
    elif not cards:
        st.info("No card matches. Try fewer words or clear the filters.")
    for card in shown_cards:
        flag = ":material/build: " if card.correction else ""
        # Lazy: the body is built when the expander is opened (one quick rerun), so a page of the
        # list sends 25 labels rather than 25 bodies. A single match opens by itself.
        box = st.expander(
            f"{flag}{card.front}", expanded=len(cards) == 1, key=f"lib_card_{card.id}", on_change="rerun"
        )
        if not box.open:
            continue
        with box:
            st.markdown(f"**{card.back}**")
            st.markdown(card.explanation)
            common.render_correction(card)
            common.render_references(card)
            common.explainer_link(card)
            st.caption(
                f"Topic: {content.topic_title(card.topic)} · Tags: {', '.join(card.tags) or '—'} · "
                f"id `{card.id}`"
            )
    page_picker(cards, "lib_card_page")

with questions_tab:
    questions = search_questions(content, query=query, topic=topic)
    shown_questions = one_page(questions, len(content.questions), "questions", "lib_question_page")
    if content.questions and not questions:
        st.info("No question matches. Try fewer words or clear the filters.")
    for q in shown_questions:
        kind = f"choose {q.choose}" if q.type == "multiple" else "single answer"
        box = st.expander(
            f"{q.stem[:140]}{'…' if len(q.stem) > 140 else ''}",
            expanded=len(questions) == 1,
            key=f"lib_question_{q.id}",
            on_change="rerun",
        )
        if not box.open:
            continue
        with box:
            st.caption(f"{q.domain.label} · difficulty {q.difficulty} · {kind} · id `{q.id}`")
            common.question_feedback(q, set(q.answer))
    page_picker(questions, "lib_question_page")

with export_tab:
    st.markdown(
        "Take the bank with you: an **Anki deck** (cards plus a sub-deck of scenario "
        "questions; re-importing a newer export updates your notes instead of duplicating "
        "them), or **CSV** for spreadsheets. From the command line: `trainer export deck.apkg`."
    )
    cols = st.columns(3)
    cols[0].download_button(
        "Anki deck (.apkg)",
        deck_builder(content),  # built when pressed, not on every visit
        file_name="ecs-lambda-trainer.apkg",
        mime="application/octet-stream",
        key="export_apkg",
        icon=":material/download:",
    )
    cols[1].download_button(
        "Cards (.csv)",
        lambda: export.cards_csv(content),
        file_name="cards.csv",
        mime="text/csv",
        key="export_cards_csv",
        icon=":material/download:",
    )
    cols[2].download_button(
        "Questions (.csv)",
        lambda: export.questions_csv(content),
        file_name="questions.csv",
        mime="text/csv",
        key="export_questions_csv",
        icon=":material/download:",
    )
