"""Question reports: what learners flagged with "Report a problem with this question".

For whoever maintains the content: each report names the question id (and its YAML file and
line when the question is still in the bank); mark a report resolved once the YAML is fixed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from trainer.access.permissions import Action
from trainer.exams.reports import list_reports, resolve_report
from trainer.study import profiles
from trainer.study.queue import settings_for
from trainer.ui import common, identity
from trainer.ui.plain import plain

st.title(":material/report: Question reports")
# With sign-in on, reports are for maintainers: refused here in words, and again by the core.
actor = identity.require_action(Action.READ_REPORTS)
content = common.bank()
engine = common.engine()
st.caption(
    "Problems learners reported with exam questions. Fix the question's YAML, then mark the report resolved."
)
show_resolved = st.toggle("Show resolved reports too", key="reports_show_resolved")
reports = list_reports(engine, include_resolved=show_resolved, actor=actor)
names = {p.id: p.name for p in profiles.list_profiles(engine)}
# Times in the viewer's own zone, as the exam page shows them: the profile's (Profile & settings),
# else the browser's; named after each time, since a report may come from another zone.
viewer = common.current_profile()
zone_name = viewer.timezone if viewer else common.browser_timezone()
zone = settings_for(viewer).zone if viewer else ZoneInfo(zone_name)

if not reports:
    st.info("No open reports." if not show_resolved else "No reports yet.", icon=":material/inbox:")

for report in reports:
    question = content.questions.get(report.question_id)
    with st.container(border=True, key=f"report_{report.id}"):
        title = f"**{plain(report.question_id)}**"
        if question is None:
            title += " · :orange[no longer in the question bank]"
        elif question.source:
            title += f" · `{question.source}`"
        if report.resolved_at:
            title += " · :green[:material/check: resolved]"
        st.markdown(title)
        if question is not None:
            stem = " ".join(question.stem.split())
            st.caption(stem[:200] + ("…" if len(stem) > 200 else ""))
        st.markdown(plain(report.text))
        who = names.get(report.profile_id, "unknown profile") if report.profile_id else "no profile"
        st.caption(
            f"{report.created_at.astimezone(zone):%a %d %b %Y, %H:%M} ({zone_name}) · {plain(who)}"
            + (f" · exam attempt {report.attempt_id}" if report.attempt_id else "")
        )
        if report.resolved_at is None:
            if st.button("Mark resolved", key=f"report_resolve_{report.id}", icon=":material/done:"):
                resolve_report(engine, report.id, actor=actor)
                st.rerun()
        elif st.button("Reopen", key=f"report_reopen_{report.id}", icon=":material/undo:"):
            resolve_report(engine, report.id, resolved=False, actor=actor)
            st.rerun()
