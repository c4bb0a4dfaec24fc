"""Teams: a facilitator's cohorts — the dashboard of what the team remembers (members × concepts
heatmap of predicted recall, who is behind and why, the weakest concepts with "start a workshop
on these" and "assign these", CSV), members and invitations, assignments with completion and
scores, and the team's exam date. A learner sees their own assignments and, when the team shares
it, the anonymous aggregate. Every check is made by the core (``trainer.teams``)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.access.permissions import AccessDenied, Actor
from trainer.access.roles import Role
from trainer.charts import teams as charts
from trainer.content.model import Bank
from trainer.store.tables import Profile
from trainer.store.types import utcnow
from trainer.study import profiles
from trainer.study.exam_plan import MAX_DAYS_AHEAD
from trainer.study.queue import settings_for
from trainer.study.scheduling import study_date
from trainer.teams import assignments, dashboard, membership
from trainer.teams.assignments import AssignmentKind
from trainer.teams.model import TeamError, TeamInfo
from trainer.ui import common, identity, pages
from trainer.ui.plain import plain
from trainer.ui.team_assignments import render_assignments
from trainer.ui.workshop_create import HOSTS
from trainer.workshops import rooms
from trainer.workshops.errors import WorkshopError
from trainer.workshops.model import MAX_QUESTIONS
from trainer.workshops.sources import Source

LOCAL_NOTE = (
    "**Local mode**: team membership is not protected — anyone who can reach this server can open "
    "any team's dashboard and change it. Configure sign-in for a real team (docs/team-deployment.md)."
)
state = st.session_state


def base_url() -> str:
    """The app's public address (TRAINER_PUBLIC_URL behind a proxy, else what this browser used)."""
    configured = os.environ.get("TRAINER_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def study_today() -> date:
    """Today as the current profile's study day (its time zone and day start)."""
    profile = common.current_profile()
    return study_date(utcnow(), settings_for(profile)) if profile else utcnow().date()


def refuse(exc: Exception) -> None:
    st.error(plain(exc), icon=":material/block:" if isinstance(exc, AccessDenied) else ":material/error:")


def create_team_form(engine: Engine, actor: Actor | None, profile: Profile) -> None:
    if actor is not None and not actor.local and not actor.role.includes(Role.FACILITATOR):
        return
    with st.expander("Create a team", icon=":material/group_add:"), st.form("team_create", border=False):
        # No max_chars (a longer paste would vanish): the core says the length and the limit.
        name = st.text_input("Team name", key="team_name")
        if st.form_submit_button("Create team", type="primary"):
            try:
                team = membership.create_team(engine, name, actor, leader_profile_id=profile.id)
            except (TeamError, AccessDenied) as exc:
                refuse(exc)
                return
            state["team_id"] = team.id
            st.rerun()


def dashboard_tab(engine: Engine, actor: Actor | None, team: TeamInfo, content: Bank) -> None:
    threshold = st.slider("Behind below this predicted recall", 0.3, 0.95, 0.6, 0.05, key="team_threshold")
    board = dashboard.team_dashboard(
        engine, actor, team.id, content, rules=dashboard.BehindRules(readiness=threshold)
    )
    if not board.members:
        st.info("No learners in this team yet: invite them on the Members tab.", icon=":material/group:")
        return
    exam_day = False
    if board.recall_exam is not None:
        exam_day = st.toggle(f"On the exam date ({team.exam_date:%d %b %Y})", value=True, key="team_exam_day")
    st.plotly_chart(
        charts.recall_heatmap(board, exam_day), key="team_heatmap", config={"displayModeBar": False}
    )
    st.caption(
        "Each cell: the member's predicted recall of the concept's cards (FSRS), cards never studied "
        "counting as 0. Hover for both dates and the cards behind it."
    )
    st.download_button(
        "Download CSV",
        dashboard.to_csv(board),
        file_name=f"team-{team.id}-recall.csv",
        mime="text/csv",
        icon=":material/download:",
        key="team_csv",
    )
    st.subheader("Who is behind")
    behind = board.behind
    if not behind:
        st.success("Nobody is behind by these rules.", icon=":material/check_circle:")
    for standing in behind:
        st.markdown(f"- **{plain(standing.name)}** — {'; '.join(standing.reasons)}")
    st.subheader("Weakest concepts")
    weakest = board.weakest(content, 5)
    for concept in weakest:
        st.markdown(
            f"- **{plain(concept.name)}** · team {concept.mean:.0%} · {len(concept.cards)} cards, "
            f"{len(concept.questions)} questions"
        )
    picked = st.multiselect(
        "Concepts",
        [c.concept for c in weakest],
        default=[c.concept for c in weakest[:3]],
        format_func=lambda c: content.concepts[c].name if c in content.concepts else c,
        key="team_weak_pick",
    )
    chosen = [c for c in weakest if c.concept in picked]
    left, right = st.columns(2)
    questions = list(dict.fromkeys(q for c in chosen for q in c.questions))[:MAX_QUESTIONS]
    if left.button(
        "Start a workshop on these", icon=":material/co_present:", key="team_workshop", disabled=not questions
    ):
        start_workshop(engine, actor, content, team, questions)
    due = right.date_input("Due", value=study_today() + timedelta(days=7), key="team_weak_due")
    if right.button(
        "Assign these", icon=":material/assignment_add:", key="team_assign_weak", disabled=not chosen
    ):
        ids, label = assignments.choose_items(
            content, AssignmentKind.CARDS, concepts=[c.concept for c in chosen]
        )
        try:
            assignments.create_assignment(
                engine, actor, team.id, "cards", ids, due, study_today(), source_label=label
            )
        except (TeamError, AccessDenied) as exc:
            refuse(exc)
            return
        st.success(
            f"Assigned {len(ids)} cards ({label}), due {due:%d %b}.", icon=":material/assignment_turned_in:"
        )


def start_workshop(
    engine: Engine, actor: Actor | None, content: Bank, team: TeamInfo, ids: list[str]
) -> None:
    """A room from the weakest concepts' questions, in one click: the host console opens."""
    source = Source("questions", question_ids=tuple(ids))
    try:
        room, secret = rooms.create_room(
            engine,
            [content.questions[q] for q in ids],
            title=f"{team.name}: weakest concepts",
            source=source,
            bank=content,
            actor=actor,
        )
    except (WorkshopError, AccessDenied) as exc:
        refuse(exc)
        return
    state.setdefault(HOSTS, {})[room.code] = secret
    st.switch_page(pages.WORKSHOP_HOST, query_params={"room": room.code})


def members_tab(engine: Engine, actor: Actor | None, team: TeamInfo) -> None:
    people = membership.members(engine, actor, team.id)
    for member in people:
        role = "facilitator" if member.facilitator else "learner"
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**{plain(member.name)}** · {role}")
        if not member.facilitator and right.button("Remove", key=f"team_remove_{member.profile_id}"):
            membership.remove_member(engine, actor, team.id, member.profile_id)
            st.rerun()
    if actor is None or actor.local:
        others = [p for p in profiles.list_profiles(engine) if p.id not in {m.profile_id for m in people}]
        with st.form("team_add", border=True):
            chosen = st.multiselect(
                "Add profiles",
                [p.id for p in others],
                format_func=lambda i: next(p.name for p in others if p.id == i),
            )
            if st.form_submit_button("Add to the team"):
                membership.add_members(engine, actor, team.id, [int(i) for i in chosen if i is not None])
                st.rerun()
        return
    with st.form("team_invite", border=True):
        text = st.text_area(
            "Invite by e-mail", placeholder="ana@example.com, ben@example.com", key="team_emails"
        )
        st.caption("They join when they sign in with that address (verified by your sign-in provider).")
        if st.form_submit_button("Invite"):
            try:
                sent = membership.invite(engine, actor, team.id, text)
            except (TeamError, AccessDenied) as exc:
                refuse(exc)
            else:
                st.success(f"Invited {len(sent)}.")
    pending = [i for i in membership.invites(engine, actor, team.id) if i.accepted_at is None]
    if pending:
        st.caption("Waiting for: " + ", ".join(plain(i.email) for i in pending))
    st.markdown("**Join link**")
    if team.join_link_expires:
        st.caption(f"A join link works until {team.join_link_expires:%d %b %Y}. A new one replaces it.")
    if st.button("Make a new join link", key="team_link", icon=":material/link:"):
        token = membership.new_join_link(engine, actor, team.id)
        st.code(f"{base_url()}/teams?join={token}", language=None)
        st.caption("Shown once. Anyone signed in who opens it joins as a learner.")


def assignments_tab(engine: Engine, actor: Actor | None, team: TeamInfo, content: Bank) -> None:
    today = study_today()
    with st.expander("New assignment", icon=":material/assignment_add:"):
        kind = AssignmentKind(
            st.segmented_control("Assign", ["cards", "questions"], default="cards", key="asg_kind") or "cards"
        )
        how = st.radio("Chosen by", ["Concept", "Topic", "Hand-picked"], horizontal=True, key="asg_how")
        concepts: list[str] = []
        topic = None
        picked: list[str] = []
        if how == "Concept":
            concepts = st.multiselect(
                "Concepts",
                sorted(content.concepts, key=lambda c: content.concepts[c].name),
                format_func=lambda c: content.concepts[c].name,
                key="asg_concepts",
            )
        elif how == "Topic":
            topic = st.selectbox(
                "Topic", list(content.topics), format_func=content.topic_title, key="asg_topic"
            )
        else:
            pool = content.cards if kind is AssignmentKind.CARDS else content.questions
            picked = st.multiselect(f"{kind.label}", list(pool), key="asg_items")
        due = st.date_input(
            "Due",
            value=today + timedelta(days=7),
            min_value=today,
            max_value=today + timedelta(days=MAX_DAYS_AHEAD),
            key="asg_due",
        )
        title = st.text_input("Title (optional)", key="asg_title")
        # No max_chars: a longer paste would vanish; the core refuses it in words.
        if st.button("Assign", type="primary", key="asg_create"):
            try:
                ids, label = assignments.choose_items(content, kind, concepts, topic, picked)
                assignments.create_assignment(engine, actor, team.id, kind, ids, due, today, title, label)
            except (TeamError, AccessDenied) as exc:
                refuse(exc)
            else:
                st.rerun()
    for info in assignments.team_assignments(engine, actor, team.id):
        progress = assignments.team_progress(engine, actor, info.id)
        complete = sum(p.complete for p in progress)
        overdue = " · :orange[overdue]" if info.overdue(today) and complete < len(progress) else ""
        with st.container(border=True):
            st.markdown(
                f"**{plain(info.title)}** · {len(info.item_ids)} {info.kind.value} · "
                f"due {info.due_date:%d %b}{overdue} · {complete} of {len(progress)} complete"
            )
            st.dataframe(
                [
                    {
                        "Member": p.name,
                        "Done": f"{p.done} / {p.total}",
                        "Complete": p.complete,
                        "Score": "—" if p.score is None else f"{p.score:.0%}",
                    }
                    for p in progress
                ],
                hide_index=True,
                key=f"asg_table_{info.id}",
            )


def settings_tab(engine: Engine, actor: Actor | None, team: TeamInfo) -> None:
    today = study_today()
    with st.form("team_exam", border=True):
        chosen = st.date_input(
            "Team exam date",
            value=team.exam_date if team.exam_date and team.exam_date > today else None,
            min_value=today + timedelta(days=1),
            max_value=today + timedelta(days=MAX_DAYS_AHEAD),
            key="team_exam_date",
        )
        st.caption("It becomes each learner's exam date unless they set their own on the Exam plan page.")
        share = st.toggle(
            "Learners see the team's anonymous average (teams of 3 or more)",
            value=team.share_aggregate,
            key="team_share",
        )
        if st.form_submit_button("Save"):
            try:
                followed = membership.set_exam_date(engine, actor, team.id, chosen, today)
                membership.set_share_aggregate(engine, actor, team.id, share)
            except (TeamError, AccessDenied) as exc:
                refuse(exc)
            else:
                st.success(f"Saved. {followed} learners' exam dates follow the team's.")


def learner_view(
    engine: Engine, actor: Actor | None, team: TeamInfo, profile: Profile, content: Bank
) -> None:
    assert profile.id is not None
    if team.exam_date:
        st.caption(f"Team exam date: {team.exam_date:%d %b %Y}")
    render_assignments(profile)
    aggregate = dashboard.team_aggregate(engine, actor, team.id, profile.id, content)
    if aggregate is None:
        st.caption(
            "The team's average is not shown (the facilitator turned it off, or the team is too "
            "small to keep it anonymous)."
        )
        return
    st.subheader("You and the team")
    st.plotly_chart(charts.aggregate_chart(aggregate), key="team_aggregate", config={"displayModeBar": False})


def main() -> None:
    engine = common.engine()
    content = common.bank()
    profile = common.require_profile()
    assert profile.id is not None
    actor = identity.current_actor()
    st.title(":material/diversity_3: Teams")
    if actor is None:
        st.warning(LOCAL_NOTE, icon=":material/lock_open:")
    token = st.query_params.get("join")
    if token:
        del st.query_params["join"]  # out of the address bar (and its history) at once
        try:
            joined = membership.join_with_link(engine, token, profile.id, actor)
        except (TeamError, AccessDenied) as exc:
            refuse(exc)
        else:
            st.success(f"You joined {plain(joined.name)}.", icon=":material/group_add:")
            state["team_id"] = joined.id
    create_team_form(engine, actor, profile)
    teams = membership.teams_for(engine, actor, profile.id)
    if not teams:
        st.info(
            "You are not in a team yet. Your facilitator can invite you or send a join link.",
            icon=":material/group:",
        )
        return
    ids: list[int] = [t.id for t, _ in teams]
    remembered = state.get("team_id")
    current: int = remembered if isinstance(remembered, int) and remembered in ids else ids[0]
    chosen_id = st.selectbox(
        "Team",
        ids,
        index=ids.index(current),
        format_func=lambda i: next(t.name for t, _ in teams if t.id == i),
        key="team_pick",
    )
    state["team_id"] = chosen_id
    team, leads = next((t, lead) for t, lead in teams if t.id == chosen_id)
    try:
        if not leads:
            learner_view(engine, actor, team, profile, content)
            return
        board, people, work, settings = st.tabs(["Dashboard", "Members", "Assignments", "Settings"])
        with board:
            dashboard_tab(engine, actor, team, content)
        with people:
            members_tab(engine, actor, team)
        with work:
            assignments_tab(engine, actor, team, content)
        with settings:
            settings_tab(engine, actor, team)
    except AccessDenied as exc:
        refuse(exc)


main()
