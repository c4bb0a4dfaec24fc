"""A learner's team assignments at the top of Study: what is due, how far they are, one button
to start. Overdue is shown (a label), never nagged. Also accepts pending team invitations for the
signed-in person's verified address, since Study is the first page after signing in."""

from __future__ import annotations

import streamlit as st

from trainer.exams.attempts import ExamError, Exams
from trainer.exams.rules import ExamSpec
from trainer.store.enums import ExamKind, ExamMode
from trainer.store.tables import Profile
from trainer.store.types import utcnow
from trainer.study.scheduling import study_date
from trainer.teams import assignments, membership
from trainer.teams.assignments import AssignmentInfo, AssignmentKind, MemberProgress
from trainer.ui import common, identity, pages
from trainer.ui.plain import plain


def _accept_invites(profile: Profile) -> None:
    actor = identity.current_actor()
    if actor is None or actor.identity is None or profile.id is None:
        return
    joined = membership.accept_invites(common.engine(), actor.identity, profile.id)
    if joined:
        st.toast(f"You joined {', '.join(plain(n) for n in joined)}.", icon=":material/group_add:")


def _start(profile: Profile, info: AssignmentInfo) -> None:
    assert profile.id is not None
    engine = common.engine()
    if info.kind is AssignmentKind.CARDS:
        moved = common.study_for(profile).mark_for_review(list(info.item_ids))
        st.session_state.pop("study_card", None)
        st.toast(f"{moved} cards of “{plain(info.title)}” are next in your study queue.")
        st.rerun()
    content = common.bank()
    ids = tuple(q for q in info.item_ids if q in content.questions)
    spec = ExamSpec(ExamMode.DRILL, len(ids), None, kind=ExamKind.REVIEW, question_ids=ids)
    try:
        attempt = Exams(engine, profile.id, actor=identity.current_actor()).start(content, spec)
    except ExamError as exc:
        st.error(plain(exc), icon=":material/error:")
        return
    st.switch_page(pages.EXAM, query_params={"attempt": str(attempt.id)})


def _one(profile: Profile, info: AssignmentInfo, progress: MemberProgress, overdue: bool) -> None:
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        due = f"due {info.due_date:%a %d %b}"
        if progress.complete:
            due = "done"
        elif overdue:
            due = f":orange[overdue since {info.due_date:%a %d %b}]"
        left.markdown(f"**{plain(info.title)}** · {plain(info.team_name)} · {due}")
        score = f" · {progress.score:.0%} right" if progress.score is not None else ""
        left.progress(
            progress.done / max(1, progress.total),
            text=f"{progress.done} of {progress.total} {info.kind.value}{score}",
        )
        if not progress.complete:
            label = "Study these" if info.kind is AssignmentKind.CARDS else "Practise"
            if right.button(label, key=f"assignment_start_{info.id}", icon=":material/play_arrow:"):
                _start(profile, info)


def render_assignments(profile: Profile) -> None:
    """The profile's open team assignments (and ones finished in the last week), soonest first."""
    if profile.id is None:
        return
    _accept_invites(profile)
    mine = assignments.my_assignments(common.engine(), identity.current_actor(), profile.id)
    if not mine:
        return
    today = study_date(utcnow(), common.study_for(profile).settings)
    shown = [(i, p) for i, p in mine if not p.complete or (today - i.due_date).days <= 7]
    if not shown:
        return
    open_ = sum(not p.complete for _, p in shown)
    overdue = sum(not p.complete and i.overdue(today) for i, p in shown)
    label = f"Team assignments ({open_} open" + (f", {overdue} overdue)" if overdue else ")")
    # Open on a desktop; on a phone folded to one line, so the card stays on the first screen.
    with st.expander(label, expanded=not common.on_phone(), icon=":material/assignment:"):
        for info, progress in shown:
            _one(profile, info, progress, info.overdue(today))
