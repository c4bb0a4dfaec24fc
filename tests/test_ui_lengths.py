# ruff: noqa: F811 - the fixtures imported from test_ui_access are used as arguments
"""Review defect 11 on the Teams page (AppTest): the team name and the assignment title have no
``max_chars`` (the browser dropped a longer pasted value without a word); a value over the limit
gets a message with its length and the limit, and nothing is stored trimmed. The workshop fields
are tested in test_ui_workshop.py, the question report in test_ui_reports.py."""

from __future__ import annotations

from tests.test_ui_access import app_db, isolated, page, sign_in  # noqa: F401 - fixtures
from tests.test_ui_teams import FAY, cohort
from trainer.teams import assignments, membership


def test_an_overlong_team_name_or_assignment_title_gets_a_clear_message(sign_in, isolated):
    engine, team, _ben = cohort(isolated)
    sign_in("facilitator")
    at = page("teams.py")
    assert not at.text_input(key="team_name").max_chars
    at.text_input(key="team_name").input("T" * 90)
    at.button(key="FormSubmitter:team_create-Create team").click().run()
    assert not at.exception
    assert any("at most 80 characters" in e.value and "90" in e.value for e in at.error)
    assert [t.name for t, _lead in membership.teams_for(engine, None, None)] == [
        "Cohort A"
    ]  # every team, as local mode sees them

    assert not at.text_input(key="asg_title").max_chars
    at.radio(key="asg_how").set_value("Topic").run()  # a whole topic: items chosen
    at.text_input(key="asg_title").input("A" * 130)
    at.button(key="asg_create").click().run()
    assert not at.exception
    assert any(
        "An assignment title can be at most 120 characters; this one has 130" in e.value for e in at.error
    )
    assert len(assignments.team_assignments(engine, FAY, team.id)) == 1  # only cohort()'s
