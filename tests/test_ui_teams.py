# ruff: noqa: F811 - the fixtures imported from test_ui_access are used as arguments
"""The Teams page (AppTest) for each role: a facilitator's dashboard, members and assignments;
a learner's own assignments and no dashboard; joining by link; local mode's warning. Signed-in
people are faked as in tests/test_ui_access.py."""

from __future__ import annotations

from datetime import date, timedelta

from tests.test_ui_access import PEOPLE, app_db, isolated, page, sign_in, texts  # noqa: F401 - fixtures
from trainer.access.identity import Identity
from trainer.access.permissions import Actor
from trainer.access.roles import Role
from trainer.content.loader import load_bank
from trainer.store.engine import get_engine
from trainer.study import accounts, profiles
from trainer.teams import assignments, membership

FAY = Actor(Role.FACILITATOR, PEOPLE["facilitator"])


def cohort(url: str):
    engine = get_engine(url)
    accounts.profile_for_identity(engine, PEOPLE["facilitator"])
    ben = accounts.profile_for_identity(engine, PEOPLE["learner"])
    team = membership.create_team(engine, "Cohort A", FAY)
    token = membership.new_join_link(engine, FAY, team.id)
    membership.join_with_link(engine, token, ben.id, Actor(Role.LEARNER, PEOPLE["learner"]))
    ids, label = assignments.choose_items(load_bank(), assignments.AssignmentKind.CARDS, topic="alpha")
    assignments.create_assignment(
        engine, FAY, team.id, "cards", ids, date.today() + timedelta(days=3), date.today(), source_label=label
    )
    return engine, team, ben


def test_a_facilitator_sees_the_dashboard_members_and_assignments(sign_in, isolated):
    cohort(isolated)
    sign_in("facilitator")
    at = page("teams.py")
    assert [t.label for t in at.tabs] == ["Dashboard", "Members", "Assignments", "Settings"]
    assert at.get("plotly_chart")  # the heatmap
    body = texts(at)
    assert "Who is behind" in body and "Ben Ode" in body and "Weakest concepts" in body
    assert "Topic · Alpha topic" in body and "0 of 1 complete" in body
    assert at.button(key="team_workshop").label == "Start a workshop on these"
    assert "Local mode" not in body


def test_a_learner_sees_only_their_assignments_and_no_dashboard(sign_in, isolated):
    cohort(isolated)
    sign_in("learner")
    at = page("teams.py")
    assert not at.tabs
    body = texts(at)
    assert "Topic · Alpha topic" in body and "Who is behind" not in body
    assert at.button(key=[b.key for b in at.button if b.key.startswith("assignment_start_")][0])
    assert "Create a team" not in str(at.expander)


def test_another_facilitator_does_not_see_the_team(sign_in, isolated, monkeypatch):
    cohort(isolated)
    sign_in("maintainer")  # a maintainer sees every team
    at = page("teams.py")
    assert at.selectbox(key="team_pick").options == ["Cohort A"]
    PEOPLE["other"] = Identity(
        "gus-4", PEOPLE["facilitator"].issuer, "gus@example.com", "Gus", ("trainer-facilitators",)
    )
    try:
        sign_in("other")
        at = page("teams.py")
        assert "not in a team yet" in texts(at) and "Ben Ode" not in texts(at)
    finally:
        del PEOPLE["other"]


def test_a_join_link_adds_the_signed_in_learner(sign_in, isolated):
    engine, team, _ben = cohort(isolated)
    token = membership.new_join_link(engine, FAY, team.id)
    sign_in("maintainer")
    at = page("teams.py", join=token)
    assert "You joined Cohort A." in [s.value for s in at.success]
    ana = accounts.bound_profile(engine, PEOPLE["maintainer"])
    assert ana is not None and ana.id in [m.profile_id for m in membership.members(engine, FAY, team.id)]
    at = page("teams.py", join="forged-token")
    assert "This join link is not valid any more" in texts(at)


def test_local_mode_says_membership_is_not_protected(isolated):
    engine = get_engine(isolated)
    ana = profiles.create_profile(engine, "Ana")
    membership.create_team(engine, "Laptop team", None, leader_profile_id=ana.id)
    at = page("teams.py", signed_in=False)
    assert "team membership is not protected" in at.warning[0].value
    assert [t.label for t in at.tabs] == ["Dashboard", "Members", "Assignments", "Settings"]
