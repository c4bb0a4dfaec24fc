"""Teams (issue 15): making a team, invites and the join link, the team's exam date, the
dashboard's predicted recall (checked against the scheduler's own), assignments and their
progress, and every refusal — one plain line (AccessDenied) and nothing changed in the database.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from trainer.access.identity import Identity
from trainer.access.permissions import AccessDenied, Actor
from trainer.access.roles import Role
from trainer.content.model import Bank, Card, Concept, Domain, Option, Question, Topic
from trainer.exams.attempts import Exams
from trainer.exams.rules import ExamSpec
from trainer.store.enums import ExamKind, ExamMode
from trainer.store.tables import Assignment, Profile, Team, TeamInvite, TeamMember, table_of
from trainer.study import accounts, profiles
from trainer.study.queue import Study
from trainer.study.scheduling import Rating
from trainer.study.stats import card_recall
from trainer.teams import assignments, dashboard, membership
from trainer.teams.model import TeamError

ISSUER = "http://127.0.0.1:9999"
FAY = Identity("fay-3", ISSUER, "fay@example.com", "Fay Host", email_verified=True)
GUS = Identity("gus-4", ISSUER, "gus@example.com", "Gus Other", email_verified=True)
BEN = Identity("ben-2", ISSUER, "ben@example.com", "Ben Ode", email_verified=True)
CY = Identity("cy-5", ISSUER, "cy@example.com", "Cy Learner", email_verified=True)
NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)
TODAY = NOW.date()


def actor(identity: Identity, role: Role = Role.LEARNER) -> Actor:
    return Actor(role=role, identity=identity)


def team_bank(concepts: int = 3, cards_each: int = 2) -> Bank:
    bank = Bank(topics={"alpha": Topic("alpha", "Alpha topic", "ECS")})
    for c in range(concepts):
        cid = f"c{c}"
        bank.concepts[cid] = Concept(cid, f"Concept {c}", "alpha")
        for k in range(cards_each):
            card = Card(f"{cid}-k{k}", "F", "B", "E", "alpha", concepts=(cid,))
            bank.cards[card.id] = card
        q = Question(
            f"q-{cid}",
            "Stem?",
            "single",
            tuple(Option(f"o{i}", "why") for i in range(4)),
            (1,),
            Domain.DEVELOPMENT,
            2,
            "alpha",
            concepts=(cid,),
        )
        bank.questions[q.id] = q
    return bank


BANK = team_bank()


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in map(table_of, (Team, TeamMember, TeamInvite, Assignment, Profile))
        }


@pytest.fixture
def team(engine):
    """Fay leads "Cohort A" with Ben as a learner; Gus (another facilitator) leads "Cohort B"."""
    fay = accounts.profile_for_identity(engine, FAY)
    accounts.profile_for_identity(engine, GUS)
    ben = accounts.profile_for_identity(engine, BEN)
    a = membership.create_team(engine, "Cohort A", actor(FAY, Role.FACILITATOR))
    b = membership.create_team(engine, "Cohort B", actor(GUS, Role.FACILITATOR))
    token = membership.new_join_link(engine, actor(FAY, Role.FACILITATOR), a.id, now=NOW)
    membership.join_with_link(engine, token, ben.id, actor(BEN), now=NOW)
    return engine, a, b, fay, ben


def test_a_facilitator_makes_a_team_and_people_join_by_link_or_invite(team):
    engine, a, _b, fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    assert [(m.name, m.facilitator) for m in membership.members(engine, lead, a.id)] == [
        ("Fay Host", True),
        ("Ben Ode", False),
    ]
    assert membership.invite(engine, lead, a.id, "Cy@Example.com, nobody@example.org\ncy@example.com") == [
        "cy@example.com",
        "nobody@example.org",
    ]
    cy = accounts.profile_for_identity(engine, CY)
    # An address the provider did not verify joins nothing.
    assert membership.accept_invites(engine, Identity("cy-5", ISSUER, "cy@example.com"), cy.id) == []
    assert membership.accept_invites(engine, CY, cy.id) == ["Cohort A"]
    assert membership.accept_invites(engine, CY, cy.id) == []  # once
    assert "Cy Learner" in [m.name for m in membership.members(engine, lead, a.id)]
    accepted = {i.email: i.accepted_at is not None for i in membership.invites(engine, lead, a.id)}
    assert accepted == {"cy@example.com": True, "nobody@example.org": False}
    with pytest.raises(TeamError, match="not an e-mail address"):
        membership.invite(engine, lead, a.id, "not-an-address")


def test_a_join_link_stops_working_when_replaced_or_expired(team):
    engine, a, _b, _fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    old = membership.new_join_link(engine, lead, a.id, now=NOW)
    new = membership.new_join_link(engine, lead, a.id, now=NOW)
    with pytest.raises(TeamError, match="not valid any more"):
        membership.join_with_link(engine, old, ben.id, actor(BEN), now=NOW)
    with pytest.raises(TeamError, match="not valid any more"):
        membership.join_with_link(engine, new, ben.id, actor(BEN), now=NOW + timedelta(days=15))
    with engine.connect() as conn:  # only the token's hash is stored
        stored = conn.execute(select(table_of(Team).c.join_token_hash)).scalars().all()
    assert new not in stored and old not in stored


def test_the_teams_exam_date_becomes_each_members_unless_they_set_their_own(team):
    engine, a, _b, fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    cy = accounts.profile_for_identity(engine, CY)
    profiles_ = {p.id: p for p in profiles.list_profiles(engine)}
    assert profiles_[ben.id].exam_date is None
    from trainer.study.exam_plan import set_exam_date

    set_exam_date(engine, cy.id, date(2025, 6, 1))  # Cy chose her own date before joining
    membership.invite(engine, lead, a.id, CY.email)
    membership.accept_invites(engine, CY, cy.id)
    assert membership.set_exam_date(engine, lead, a.id, date(2025, 5, 1), TODAY) == 1

    def dates() -> dict[int, date | None]:
        return {p.id: p.exam_date for p in profiles.list_profiles(engine)}

    assert dates()[ben.id] == date(2025, 5, 1)
    assert dates()[cy.id] == date(2025, 6, 1)  # her own
    assert dates()[fay.id] is None  # facilitators do not take the exam with the team
    membership.set_exam_date(engine, lead, a.id, date(2025, 5, 8), TODAY)
    assert dates()[ben.id] == date(2025, 5, 8)  # followed the move
    membership.set_exam_date(engine, lead, a.id, None, TODAY)
    assert dates()[ben.id] is None and dates()[cy.id] == date(2025, 6, 1)
    with pytest.raises(TeamError, match="after today"):
        membership.set_exam_date(engine, lead, a.id, TODAY, TODAY)


def test_refusals_are_one_plain_line_and_change_nothing(team):
    engine, a, b, _fay, ben = team
    gus = actor(GUS, Role.FACILITATOR)
    learner = actor(BEN)
    before = counts(engine)
    with engine.connect() as conn:
        teams_before = conn.execute(select(table_of(Team))).all()
    refused = [
        lambda: dashboard.team_dashboard(engine, gus, a.id, BANK),  # another team's dashboard
        lambda: dashboard.team_dashboard(engine, learner, a.id, BANK),  # a learner in the team
        lambda: membership.members(engine, gus, a.id),
        lambda: membership.invite(engine, gus, a.id, "x@example.com"),
        lambda: membership.new_join_link(engine, gus, a.id),
        lambda: membership.set_exam_date(engine, gus, a.id, date(2025, 5, 1), TODAY),
        lambda: membership.create_team(engine, "Mine", learner),  # creating without the role
        lambda: assignments.create_assignment(
            engine, learner, a.id, "cards", ["c0-k0"], TODAY, TODAY
        ),  # assigning without the role
        lambda: assignments.create_assignment(engine, gus, a.id, "cards", ["c0-k0"], TODAY, TODAY),
        lambda: membership.add_members(engine, gus, a.id, [ben.id]),
        lambda: membership.remove_member(engine, gus, a.id, ben.id),
    ]
    for attempt in refused:
        with pytest.raises(AccessDenied) as caught:
            attempt()
        message = str(caught.value)
        assert "\n" not in message and "Traceback" not in message and len(message) < 200
    assert counts(engine) == before
    with engine.connect() as conn:
        assert conn.execute(select(table_of(Team))).all() == teams_before
    # A maintainer may lead any team; Gus still leads his own.
    dashboard.team_dashboard(engine, actor(Identity("m", ISSUER), Role.MAINTAINER), a.id, BANK)
    dashboard.team_dashboard(engine, gus, b.id, BANK)


def test_the_dashboard_recall_is_the_schedulers_own(team):
    engine, a, _b, _fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    study = Study(engine, ben)
    study.sync(BANK, list(BANK.cards))
    t = NOW - timedelta(days=20)
    study.answer("c0-k0", Rating.GOOD, t)
    study.answer("c0-k0", Rating.GOOD, t + timedelta(minutes=11))
    study.answer("c0-k1", Rating.GOOD, t)
    study.answer("c1-k0", Rating.AGAIN, t + timedelta(days=3))
    membership.set_exam_date(engine, lead, a.id, date(2025, 3, 20), TODAY)
    board = dashboard.team_dashboard(engine, lead, a.id, BANK, now=NOW)
    assert board.members == ((ben.id, "Ben Ode"),)
    assert board.concepts == ("c0", "c1", "c2")
    ben_now = profiles.get_profile(engine, ben.id)
    exact = card_recall(engine, ben.id, Study(engine, ben_now).settings, NOW)
    for j, concept in enumerate(board.concepts):
        cards = [c for c in BANK.cards if c.startswith(concept)]
        expected = sum(exact.get(c, 0.0) for c in cards) / len(cards)
        assert board.recall_today[0, j] == pytest.approx(expected, abs=1e-9)
    assert board.recall_exam is not None and board.recall_exam[0, 0] < board.recall_today[0, 0]
    assert list(board.studied[0]) == [2, 1, 0] and list(board.cards) == [2, 2, 2]
    (standing,) = board.behind
    assert standing.never_started == 3 and standing.overdue == 3
    assert standing.reasons == ("predicted recall on exam day is 29%, below the team's 60% goal",)
    weakest = board.weakest(BANK, 1)
    assert weakest[0].concept == "c2" and weakest[0].questions == ("q-c2",)
    csv_text = dashboard.to_csv(board)
    assert csv_text.splitlines()[0].startswith("member,concept_id")
    assert len(csv_text.splitlines()) == 1 + 3


def test_learners_see_the_anonymous_aggregate_only_when_it_is_anonymous(team):
    engine, a, _b, _fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    assert dashboard.team_aggregate(engine, actor(BEN), a.id, ben.id, BANK) is None  # one learner
    for i in range(3):
        p = profiles.create_profile(engine, f"Local {i}")
        membership.add_members(engine, None, a.id, [p.id])  # local mode's way in
    agg = dashboard.team_aggregate(engine, actor(BEN), a.id, ben.id, BANK)
    assert agg is not None and agg.members == 4 and agg.mine is not None
    membership.set_share_aggregate(engine, lead, a.id, False)
    assert dashboard.team_aggregate(engine, actor(BEN), a.id, ben.id, BANK) is None
    cy = accounts.profile_for_identity(engine, CY)
    with pytest.raises(AccessDenied):  # not in the team
        dashboard.team_aggregate(engine, actor(CY), a.id, cy.id, BANK)
    with pytest.raises(AccessDenied):  # someone else's profile
        dashboard.team_aggregate(engine, actor(CY), a.id, ben.id, BANK)


def test_assignments_show_completion_and_scores_per_member(team):
    engine, a, _b, _fay, ben = team
    lead = actor(FAY, Role.FACILITATOR)
    ids, label = assignments.choose_items(BANK, assignments.AssignmentKind.CARDS, concepts=["c0"])
    assert ids == ("c0-k0", "c0-k1") and label == "Concept · Concept 0"
    cards = assignments.create_assignment(
        engine, lead, a.id, "cards", ids, TODAY + timedelta(days=2), TODAY, source_label=label
    )
    qids, qlabel = assignments.choose_items(BANK, assignments.AssignmentKind.QUESTIONS, topic="alpha")
    questions = assignments.create_assignment(
        engine, lead, a.id, "questions", qids, TODAY, TODAY, title="Drill", source_label=qlabel
    )
    assert cards.title == "Concept · Concept 0" and questions.title == "Drill"
    study = Study(engine, ben, actor=actor(BEN))
    study.sync(BANK, list(BANK.cards))
    study.answer("c0-k0", Rating.GOOD)
    study.answer("c0-k0", Rating.AGAIN)
    exams = Exams(engine, ben.id, actor=actor(BEN))
    attempt = exams.start(
        BANK, ExamSpec(ExamMode.DRILL, len(qids), None, kind=ExamKind.REVIEW, question_ids=qids), seed=1
    )
    first = attempt.questions[0]
    exams.answer(attempt.id, 0, list(first.answer), lock=True)
    (progress,) = assignments.team_progress(engine, lead, cards.id)
    assert (progress.name, progress.done, progress.total, progress.answers, progress.correct) == (
        "Ben Ode",
        1,
        2,
        2,
        1,
    )
    assert progress.score == 0.5 and not progress.complete
    (qprogress,) = assignments.team_progress(engine, lead, questions.id)
    assert qprogress.done == 1 and qprogress.total == 3
    mine = assignments.my_assignments(engine, actor(BEN), ben.id)
    assert [info.id for info, _ in mine] == [questions.id, cards.id]  # soonest due first
    assert mine[0][0].overdue(TODAY + timedelta(days=1)) and not mine[0][0].overdue(TODAY)
    with pytest.raises(AccessDenied):
        assignments.my_assignments(engine, actor(CY), ben.id)
    with pytest.raises(TeamError, match="from today on"):
        assignments.create_assignment(engine, lead, a.id, "cards", ids, TODAY - timedelta(days=1), TODAY)


@pytest.mark.parametrize(("members", "concepts", "rows"), [(3, 8, "concepts"), (12, 5, "members")])
def test_the_heatmap_runs_the_longer_list_down_the_page(members, concepts, rows):
    from trainer.charts.teams import recall_heatmap

    recall = np.arange(members * concepts, dtype=float).reshape(members, concepts) / (members * concepts)
    board = dashboard.TeamDashboard(
        team=None,  # type: ignore[arg-type]  # the chart reads only the numbers and names
        at=datetime(2025, 3, 3, tzinfo=UTC),
        members=tuple((i, f"Member {i}") for i in range(members)),
        concepts=tuple(f"c{j}" for j in range(concepts)),
        concept_names=tuple(f"Concept {j}" for j in range(concepts)),
        cards=np.full(concepts, 4),
        recall_today=recall,
        recall_exam=None,
        studied=np.full((members, concepts), 2),
    )
    (heat,) = recall_heatmap(board).data
    names = {
        "members": [f"Member {i}" for i in range(members)],
        "concepts": [f"Concept {j}" for j in range(concepts)],
    }
    assert list(heat.y) == names[rows]
    # The cell of member 1 and concept 2 holds that member's recall of that concept, whichever way.
    cell = heat.z[2][1] if rows == "concepts" else heat.z[1][2]
    assert cell == pytest.approx(recall[1, 2] * 100)
    hover = heat.text[2][1] if rows == "concepts" else heat.text[1][2]
    assert hover == "Member 1 · Concept 2" and heat.hovertemplate.startswith("%{text}")


def test_long_labels_are_cut_and_stay_different():
    from trainer.charts.teams import short_labels

    names = ["Capacity providers and cluster auto scaling", "Capacity providers and cluster scaling", "ENI"]
    labels = short_labels(names, 20)
    assert labels[2] == "ENI" and all(len(label) <= 20 for label in labels)
    assert len(set(labels)) == 3 and labels[0].startswith("Capacity providers")


def test_an_overlong_assignment_title_is_refused_not_trimmed(team):
    engine, a, _b, _fay, _ben = team
    lead = actor(FAY, Role.FACILITATOR)
    before = counts(engine)
    with pytest.raises(TeamError, match="at most 120 characters; this one has 130"):
        assignments.create_assignment(engine, lead, a.id, "cards", ["c0-k0"], TODAY, TODAY, title="A" * 130)
    assert counts(engine) == before
    made = assignments.create_assignment(
        engine, lead, a.id, "cards", ["c0-k0"], TODAY, TODAY, title="A" * 120
    )
    assert made.title == "A" * 120
