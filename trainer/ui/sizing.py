"""Subnet sizing page: ENIs and IP addresses per subnet, at steady state and at peak.

All arithmetic lives in ``trainer.explainers.sizing`` and the diagram in
``trainer.charts.sizing``; this page only gathers the inputs, keeps them in the URL, and shows
the results.

URL state: ``?preset=<id>`` loads a worked example; ``?plan=<token>`` restores any plan
(``trainer.explainers.sizing.plan_io.encode_plan``). The page rewrites the URL after every
calculation, so the address bar can always be shared. A damaged link shows an error and falls
back to the default example.

This script only runs the steps in order; the parts are ``sizing_links`` (session state, the URL
and the share link), ``sizing_form`` (worked examples and the plan editor), ``sizing_results``
(summary, tables, diagram, split, exports) and ``sizing_workloads`` (the per-workload tabs).
"""

from __future__ import annotations

import streamlit as st

from trainer.explainers.sizing.calculation import size_plan
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.plan_io import plan_from_dict
from trainer.ui.common import render_back_links
from trainer.ui.plain import plain
from trainer.ui.sizing_form import example_buttons, example_note, plan_form
from trainer.ui.sizing_links import PAGE, apply_query_params, remembered, update_url
from trainer.ui.sizing_results import show_results


def main() -> None:
    st.title(":material/calculate: ENI & subnet sizing")
    st.markdown(
        "“Make sure your subnets have enough ENIs and IP addresses” is advice; this page "
        "makes it a number. Describe a VPC and the ECS services and Lambda functions that run "
        "in it, and see how many addresses each subnet needs **at steady state and at peak**, "
        "where it runs out, and what CIDR to choose instead."
    )
    apply_query_params()
    example_buttons()
    error = remembered("error")
    if error:
        st.error(error, icon=":material/link_off:")
    loaded = remembered("preset")
    about = st.empty()
    data = plan_form(remembered("base"), remembered("rev"))
    try:
        plan = plan_from_dict(data)
        result = size_plan(plan)
    except SizingError as exc:
        example_note(about, loaded, edited=True)
        st.error(f"**This plan can't be sized yet:** {plain(exc)}", icon=":material/edit_note:")
        st.caption("Fix the input above and press **Calculate**, or load a worked example.")
        return

    preset = update_url(plan)
    example_note(about, loaded, edited=preset != loaded)
    show_results(result, preset)
    if preset or loaded:
        render_back_links(PAGE, preset or loaded, "Cards about this example")


main()
