"""Where the Subnet sizing page keeps its plan: session_state, and the URL that carries it.

The URL is the page's shareable state (``?preset=<id>`` for an unchanged worked example,
``?plan=<token>`` for anything else, see ``trainer.explainers.sizing.plan_io.encode_plan``), and
session_state holds what the form starts from. Reading the URL, writing it back after every
calculation and building the share link live together so the three always agree on the format.

The helpers keep no state of their own: Streamlit imports this module once per process, so
everything per-session lives in ``st.session_state`` under the ``sizing_`` prefix.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.plan import Plan
from trainer.explainers.sizing.plan_io import decode_plan, encode_plan, plan_from_dict, plan_to_dict
from trainer.explainers.sizing.presets import DEFAULT_PRESET, PRESETS
from trainer.ui.common import explainer_url
from trainer.ui.plain import plain

PAGE = "sizing"
STATE_PREFIX = "sizing"  # session_state and widget-key prefix


def remembered(name: str, default: Any = None) -> Any:
    """A value this page keeps in session_state (``sizing_<name>``)."""
    return st.session_state.get(f"{STATE_PREFIX}_{name}", default)


def remember(**values: Any) -> None:
    for name, value in values.items():
        st.session_state[f"{STATE_PREFIX}_{name}"] = value


def load_plan(plan: Plan, preset: str | None, error: str | None = None) -> None:
    """Seed the form with a plan: new widget keys, so the editors start from it."""
    remember(base=plan_to_dict(plan), preset=preset, error=error, rev=remembered("rev", 0) + 1)


def load_preset(preset_id: str) -> None:
    load_plan(PRESETS[preset_id].settings, preset_id)


def _query() -> tuple[str | None, str | None]:
    return st.query_params.get("preset"), st.query_params.get("plan")


def apply_query_params() -> None:
    """Load what the URL asks for, when the URL changed since we last read or wrote it."""
    query = _query()
    if remembered("rev") is not None and query == remembered("seen_query"):
        return
    remember(seen_query=query)
    preset_id, token = query
    default = PRESETS[DEFAULT_PRESET]
    if token:
        try:
            plan = decode_plan(token)
        except SizingError as exc:
            load_plan(
                default.settings,
                default.id,
                f"Could not restore the plan from the link: {plain(exc)}. Showing the example "
                f"“{default.title}” instead.",
            )
        else:
            load_plan(plan, None)
    elif preset_id:
        if preset_id in PRESETS:
            load_preset(preset_id)
        else:
            load_plan(
                default.settings,
                default.id,
                f"There is no example called “{plain(preset_id, 40)}”. Showing “{default.title}” "
                f"instead; the examples are {', '.join(PRESETS)}.",
            )
    elif remembered("rev") is None:
        load_plan(default.settings, default.id)
    elif remembered("current"):
        # Back on the page without parameters (e.g. from the sidebar): restore the last plan.
        load_plan(plan_from_dict(remembered("current")), remembered("preset"))


def update_url(plan: Plan) -> str | None:
    """Put the plan in the URL: ``?preset=`` for an unchanged example, else ``?plan=``.
    Returns the matching example's id, if any."""
    preset = next((p.id for p in PRESETS.values() if p.settings == plan), None)
    wanted = {"preset": preset} if preset else {"plan": encode_plan(plan)}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    remember(seen_query=(wanted.get("preset"), wanted.get("plan")), current=plan_to_dict(plan))
    return preset


def share_link(plan: Plan, preset: str | None) -> str:
    """The address that restores this plan: ``?preset=`` for an unchanged example."""
    query = f"preset={preset}" if preset else f"plan={encode_plan(plan)}"
    # st.context.url is this page's address without the query (None outside a browser).
    page_url = st.context.url
    if page_url:
        return f"{page_url}?{query}"
    return explainer_url(PAGE, preset) if preset else f"/{PAGE}?{query}"
