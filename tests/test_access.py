"""Sign-in identities, roles from the operator's configuration, and every refusal in the core:
each is one plain line (AccessDenied) and leaves the database as it was. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.test_exams import BIG
from tests.test_workshops import QUESTIONS
from trainer.access import claims
from trainer.access.identity import Identity, IdentityError
from trainer.access.permissions import (
    GUEST,
    LOCAL,
    NO_PROFILE,
    NOT_YOURS,
    AccessDenied,
    Action,
    Actor,
    require,
    require_profile,
)
from trainer.access.roles import Role, RolesConfigError, load_rules, rules_from_file, rules_from_mapping
from trainer.cli import main as cli_main
from trainer.content.graph import introduction_order
from trainer.exams.attempts import Exams
from trainer.exams.reports import list_reports, report_problem, resolve_report
from trainer.exams.rules import SHORT_MOCK
from trainer.store.engine import get_engine
from trainer.store.tables import ExamAnswer, ExamAttempt, Profile, QuestionReport, Room, table_of
from trainer.store.types import utcnow
from trainer.study import accounts, profiles, undo
from trainer.study.exam_plan import exam_plan, set_exam_date
from trainer.study.optimizer import optimise_profile, parameter_history
from trainer.study.queue import Study, settings_for
from trainer.study.recall_forecast import recall_forecast
from trainer.study.reschedule import Shift, ShiftPlan, apply_shift
from trainer.study.scheduling import Rating
from trainer.study.study_days import set_calendar
from trainer.study.undo import Undoable
from trainer.teams import assignments, membership
from trainer.workshops import history, rooms

ISSUER = "http://127.0.0.1:9999"
ANA = Identity(subject="ana-1", issuer=ISSUER, email="ana@example.com", name="Ana Silva", email_verified=True)
BEN = Identity(subject="ben-2", issuer=ISSUER, email="ben@example.com", name="Ben Ode", email_verified=True)

RULES = rules_from_mapping(
    {
        "groups_claim": "groups",
        "maintainer": {"emails": ["Ana@Example.com"], "groups": ["trainer-maintainers"]},
        "facilitator": {"domains": ["@facilitators.example"], "groups": ["trainer-facilitators"]},
    }
)


def who(identity: Identity, role: Role = Role.LEARNER) -> Actor:
    return Actor(role=role, identity=identity)


# -- identities and roles ------------------------------------------------------------------------


def test_an_identity_comes_from_the_id_token_claims():
    claims = {"sub": "s", "iss": ISSUER, "email": "a@b.c", "name": " Ana  Silva ", "groups": "g1"}
    identity = Identity.from_claims(claims)
    assert identity == Identity("s", ISSUER, "a@b.c", "Ana Silva", ("g1",), email_verified=False)
    assert identity.key == f"{ISSUER} s"
    assert Identity.from_claims({**claims, "roles": ["x"]}, groups_claim="roles").groups == ("x",)
    with pytest.raises(IdentityError, match="did not say who you are"):
        Identity.from_claims({"iss": ISSUER})


@pytest.mark.parametrize(
    ("identity", "role"),
    [
        (ANA, Role.MAINTAINER),  # by address, case ignored
        (BEN, Role.LEARNER),  # nothing matches: the default
        (Identity("x", ISSUER, "zoe@facilitators.example", email_verified=True), Role.FACILITATOR),
        (Identity("x", ISSUER, groups=("trainer-facilitators",)), Role.FACILITATOR),
        (Identity("x", ISSUER, groups=("trainer-facilitators", "trainer-maintainers")), Role.MAINTAINER),
        # An address the provider has not verified grants nothing.
        (Identity("x", ISSUER, "ana@example.com", email_verified=False), Role.LEARNER),
        (Identity("x", ISSUER, "ana@example.com.evil", email_verified=True), Role.LEARNER),
    ],
)
def test_roles_come_from_addresses_domains_or_groups(identity, role):
    assert RULES.role_of(identity) is role


def test_roles_are_read_from_the_file_named_by_the_environment(tmp_path, monkeypatch):
    toml = tmp_path / "roles.toml"
    toml.write_text('[facilitator]\ngroups = ["hosts"]\n')
    yaml_file = tmp_path / "roles.yaml"
    yaml_file.write_text("maintainer:\n  emails: [ben@example.com]\n")
    monkeypatch.setenv("TRAINER_ROLES_FILE", str(toml))
    assert (
        load_rules({"maintainer": {"emails": ["ben@example.com"]}}).role_of(
            Identity("x", ISSUER, groups=("hosts",))
        )
        is Role.FACILITATOR
    )
    assert rules_from_file(yaml_file).role_of(BEN) is Role.MAINTAINER
    monkeypatch.delenv("TRAINER_ROLES_FILE")
    assert load_rules(None).role_of(ANA) is Role.LEARNER  # nothing configured: everyone learns


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"admin": {}}, "unknown key 'admin'"),
        ({"maintainer": {"email": ["a@b.c"]}}, "unknown key 'email'"),
        ({"maintainer": {"emails": "a@b.c"}}, "must be a list"),
        ({"groups_claim": ""}, "groups_claim"),
    ],
)
def test_a_bad_roles_table_is_one_plain_line(data, message):
    with pytest.raises(RolesConfigError, match=message):
        rules_from_mapping(data)


def test_an_unreadable_roles_file_is_named_plainly(tmp_path):
    bad = tmp_path / "roles.toml"
    bad.write_text("[maintainer\n")
    with pytest.raises(RolesConfigError, match="roles.toml is not valid"):
        rules_from_file(bad)
    with pytest.raises(RolesConfigError, match="cannot be read"):
        rules_from_file(tmp_path / "missing.toml")


def test_each_role_includes_the_ones_below_and_local_mode_allows_everything():
    for action in Action:
        require(LOCAL, action)
        require(None, action)
        require(who(ANA, Role.MAINTAINER), action)
    require(who(ANA, Role.FACILITATOR), Action.HOST_WORKSHOP)
    with pytest.raises(AccessDenied, match="Reading question reports needs the maintainer role"):
        require(who(ANA, Role.FACILITATOR), Action.READ_REPORTS)
    with pytest.raises(AccessDenied, match="Hosting a workshop needs the facilitator role"):
        require(who(ANA), Action.HOST_WORKSHOP)


# -- profiles bound to identities ----------------------------------------------------------------


def test_a_profile_is_made_at_first_sign_in_and_found_again(engine):
    first = accounts.profile_for_identity(engine, ANA, "Europe/Lisbon")
    assert (first.name, first.signin_subject, first.timezone) == ("Ana Silva", ANA.key, "Europe/Lisbon")
    renamed_at_provider = Identity(ANA.subject, ISSUER, name="Ana S.")
    assert accounts.profile_for_identity(engine, renamed_at_provider).id == first.id
    # Someone else with the same name gets their own profile, with a number.
    namesake = Identity("other", ISSUER, name="ana silva")
    second = accounts.profile_for_identity(engine, namesake)
    assert second.id != first.id and second.name == "ana silva (2)"
    # The same subject from another issuer is another person.
    elsewhere = accounts.profile_for_identity(engine, Identity(ANA.subject, "https://idp.example", name="X"))
    assert elsewhere.id not in (first.id, second.id)


def counts(engine) -> dict[str, int]:
    tables = [Profile, ExamAttempt, ExamAnswer, QuestionReport, Room]
    with engine.connect() as conn:
        rows = {
            t.__name__: conn.execute(select(func.count()).select_from(table_of(t))).scalar_one()
            for t in tables
        }
        reports = table_of(QuestionReport)
        rows["resolved"] = conn.execute(
            select(func.count()).select_from(reports).where(reports.c.resolved_at.is_not(None))
        ).scalar_one()
        rows["names"] = hash(tuple(conn.execute(select(table_of(Profile).c.name)).scalars()))
    return rows


@pytest.fixture
def two_people(engine):
    ana = accounts.profile_for_identity(engine, ANA)
    ben = accounts.profile_for_identity(engine, BEN)
    attempt = Exams(engine, ana.id, actor=who(ANA)).start(BIG, SHORT_MOCK, seed=3)
    report_problem(engine, attempt.questions[0].id, "Two answers are right.", ana.id, attempt.id)
    return engine, ana, ben, attempt


def test_another_persons_exam_attempts_are_refused_and_nothing_changes(two_people):
    engine, ana, ben, attempt = two_people
    before = counts(engine)
    refusals = [
        lambda: Exams(engine, ana.id, actor=who(BEN)),  # Ben opening Ana's attempts (?attempt= link)
        lambda: Exams(engine, ana.id, actor=who(BEN, Role.MAINTAINER)),  # no role reads others' data
        lambda: Study(engine, ana, actor=who(BEN)),
        lambda: profiles.update_settings(engine, ana.id, who(BEN), new_per_day=1),
        lambda: profiles.rename_profile(engine, ana.id, "Mine now", actor=who(BEN)),
        lambda: profiles.delete_profile(engine, ana.id, actor=who(BEN)),
    ]
    for refuse in refusals:
        with pytest.raises(AccessDenied) as refused:
            refuse()
        assert str(refused.value) == "That profile belongs to someone else; you can only use your own."
    assert counts(engine) == before
    # Ben's own exams cannot reach Ana's attempt either.
    with pytest.raises(Exception, match="another profile|not found|No exam"):
        Exams(engine, ben.id, actor=who(BEN)).load(attempt.id)
    assert Exams(engine, ana.id, actor=who(ANA)).load(attempt.id).id == attempt.id


def test_a_local_profile_is_nobodys_once_sign_in_is_on(engine):
    local = profiles.create_profile(engine, "Laptop")
    with pytest.raises(AccessDenied):
        require_profile(engine, who(ANA), local.id)
    require_profile(engine, None, local.id)  # local mode: anyone, as the sidebar says


def test_hosting_without_the_role_is_refused_and_no_room_is_made(two_people):
    engine, *_ = two_people
    before = counts(engine)
    with pytest.raises(AccessDenied, match="Hosting a workshop needs the facilitator role"):
        rooms.create_room(engine, QUESTIONS, actor=who(BEN))
    assert counts(engine) == before
    info, secret = rooms.create_room(engine, QUESTIONS, actor=who(BEN, Role.FACILITATOR))
    # A learner holding the host link's secret still cannot open the console.
    with pytest.raises(AccessDenied):
        rooms.host_room(engine, info.code, secret, actor=who(BEN))
    assert rooms.host_room(engine, info.code, secret, actor=who(ANA, Role.MAINTAINER)).id == info.id


@pytest.mark.parametrize("role", [Role.LEARNER, Role.FACILITATOR])
def test_question_reports_are_for_maintainers_only(two_people, role):
    engine, *_ = two_people
    before = counts(engine)
    (report,) = list_reports(engine, actor=who(ANA, Role.MAINTAINER))
    with pytest.raises(AccessDenied, match="Reading question reports needs the maintainer role"):
        list_reports(engine, actor=who(BEN, role))
    with pytest.raises(AccessDenied, match="Resolving question reports needs the maintainer role"):
        resolve_report(engine, report.id, actor=who(BEN, role))
    assert counts(engine) == before
    resolve_report(engine, report.id, actor=who(ANA, Role.MAINTAINER))
    assert counts(engine)["resolved"] == 1


def test_every_per_profile_entry_point_refuses_another_person_and_a_guest(two_people):
    """The core functions a page calls with its profile id (study, exam plan, forecast, fitting,
    undo, calendar, postpone, reports, assignments, workshops): Ben and a guest are refused on
    Ana's profile, in one plain line, and nothing changes."""
    engine, ana, ben, attempt = two_people
    settings = settings_for(ana)
    now = utcnow()
    plan = ShiftPlan(Shift.POSTPONE, 3, (), 0)
    gone = Undoable(ana.id, "a1", {}, now)
    calls = {
        "set the exam date": lambda a: set_exam_date(engine, ana.id, date(2030, 1, 1), actor=a),
        "read the exam plan": lambda a: exam_plan(engine, ana.id, settings, now, 0, actor=a),
        "read the forecast": lambda a: recall_forecast(engine, ana.id, settings, BIG, now, actor=a),
        "fit the parameters": lambda a: optimise_profile(engine, ana, settings, actor=a),
        "read the fits": lambda a: parameter_history(engine, ana.id, actor=a),
        "note an undo": lambda a: undo.before(engine, ana.id, "a1", actor=a),
        "undo": lambda a: undo.undo(engine, gone, actor=a),
        "change the calendar": lambda a: set_calendar(engine, ana.id, load_balancing=False, actor=a),
        "postpone": lambda a: apply_shift(engine, ana.id, plan, actor=a),
        "report as her": lambda a: report_problem(engine, "q-1", "Wrong key.", ana.id, actor=a),
        "list her assignments": lambda a: assignments.my_assignments(engine, a, ana.id),
        "list her workshops": lambda a: history.profile_workshops(engine, ana.id, actor=a),
    }
    before = counts(engine)
    for what, call in calls.items():
        for actor, message in ((who(BEN), NOT_YOURS), (GUEST, NO_PROFILE)):
            with pytest.raises(AccessDenied) as refused:
                call(actor)
            assert str(refused.value) == message, what
    # Ben's own profile, but Ana's attempt (an ?attempt= link): no report lands on it.
    with pytest.raises(AccessDenied, match="That exam attempt belongs to someone else"):
        report_problem(engine, "q-1", "Wrong key.", ben.id, attempt.id, actor=who(BEN))
    assert counts(engine) == before
    assert profiles.get_profile(engine, ana.id).exam_date is None
    # Her own: allowed.
    set_exam_date(engine, ana.id, date(2030, 1, 1), actor=who(ANA))
    report_problem(engine, "q-1", "Wrong key.", ana.id, attempt.id, actor=who(ANA))


# -- claiming a profile from before sign-in ------------------------------------------------------------


def local_history(engine, name: str, small_bank) -> profiles.Profile:
    """A profile made in local mode, with two reviews."""
    local = profiles.create_profile(engine, name)
    study = Study(engine, local)
    study.sync(small_bank, introduction_order(small_bank))
    study.answer("a1", Rating.GOOD)
    study.answer("a2", Rating.AGAIN)
    return local


def bound_to(engine, identity: Identity) -> str | None:
    profile = accounts.bound_profile(engine, identity)
    return None if profile is None else profile.name


def test_a_reserved_local_profile_is_claimed_once_by_its_person(engine, small_bank):
    laptop = local_history(engine, "Laptop Ana", small_bank)
    claims.reserve(engine, "laptop ana", "Ana@Example.com")
    # Ana signed in before the claim: an empty profile, already in a team through a join link.
    fresh = accounts.profile_for_identity(engine, ANA)
    leader = accounts.profile_for_identity(engine, Identity("fay", ISSUER, name="Fay"))
    fay = who(Identity("fay", ISSUER, name="Fay"), Role.FACILITATOR)
    team = membership.create_team(engine, "Cohort", fay)
    membership.join_with_link(engine, membership.new_join_link(engine, fay, team.id), fresh.id, who(ANA))
    unverified = Identity("ana-2", ISSUER, "ana@example.com", "Ana", email_verified=False)
    before = counts(engine)
    for stranger in (who(BEN), who(unverified)):
        assert claims.reserved_for(engine, stranger) is None
        with pytest.raises(claims.ClaimError, match="is set aside for your e-mail address"):
            claims.claim(engine, stranger, "Laptop Ana", claims.ClaimMode.RESERVED)
    assert counts(engine) == before
    assert claims.may_claim(engine, who(ANA))
    assert claims.reserved_for(engine, who(ANA)).name == "Laptop Ana"
    assert claims.claim(engine, who(ANA), "Laptop Ana", claims.ClaimMode.RESERVED) == laptop.id
    assert bound_to(engine, ANA) == "Laptop Ana"
    assert profiles.get_profile(engine, fresh.id) is None  # the empty one is gone...
    assert [m.name for m in membership.members(engine, fay, team.id)] == [
        "Fay",
        "Laptop Ana",
    ]  # ...its team kept
    assert profiles.profile_data(engine, laptop.id).reviews == 2  # and the history is hers
    Study(engine, profiles.get_profile(engine, laptop.id), actor=who(ANA))  # hers to use now
    assert leader.id != laptop.id
    # Once: not again, even with another profile set aside for her.
    local_history(engine, "Old Desk", small_bank)
    claims.reserve(engine, "Old Desk", "ana@example.com")
    assert not claims.may_claim(engine, who(ANA))
    with pytest.raises(claims.ClaimError, match="already claimed a profile"):
        claims.claim(engine, who(ANA), "Old Desk", claims.ClaimMode.RESERVED)


def test_claiming_by_name_when_the_operator_allows_it(engine, small_bank):
    local_history(engine, "Desk", small_bank)
    local_history(engine, "Kept for Ana", small_bank)
    claims.reserve(engine, "Kept for Ana", "ana@example.com")
    with pytest.raises(claims.ClaimError, match="turned off"):
        claims.claim(engine, who(BEN), "Desk", claims.ClaimMode.OFF)
    # Someone else's reservation and a name never used get the same answer.
    for name in ("Kept for Ana", "Nobody"):
        with pytest.raises(claims.ClaimError, match=f"no profile from before sign-in called '{name}'"):
            claims.claim(engine, who(BEN), name, claims.ClaimMode.BY_NAME)
    # Ben already studied under sign-in: no claim merges two histories.
    ben = accounts.profile_for_identity(engine, BEN)
    Study(engine, ben, actor=who(BEN)).sync(small_bank, introduction_order(small_bank))
    Study(engine, ben, actor=who(BEN)).answer("a1", Rating.GOOD)
    before = counts(engine)
    assert not claims.may_claim(engine, who(BEN))
    with pytest.raises(claims.ClaimError, match="already has progress of its own"):
        claims.claim(engine, who(BEN), "desk", claims.ClaimMode.BY_NAME)
    assert counts(engine) == before
    # Cat never signed in before: she claims it by name, case and spacing ignored.
    cat = Identity("cat", ISSUER, "cat@example.com", "Cat", email_verified=True)
    claims.claim(engine, who(cat), "  DESK ", claims.ClaimMode.BY_NAME)
    assert bound_to(engine, cat) == "Desk"
    assert [p.name for p in claims.unbound_profiles(engine)] == ["Kept for Ana"]


def test_trainer_profile_list_and_reserve(file_db, small_bank, capsys):
    engine = get_engine(file_db)
    local_history(engine, "Laptop Ana", small_bank)
    accounts.profile_for_identity(engine, BEN)
    assert cli_main(["profile", "reserve", "Laptop Ana", "ana@example.com"]) == 0
    assert "'Laptop Ana' is set aside for ana@example.com" in capsys.readouterr().out
    assert cli_main(["profile", "list"]) == 0
    assert capsys.readouterr().out.split() == [
        "Laptop",
        "Ana",
        "2",
        "reviews",
        "0",
        "exams",
        "reserved",
        "for",
        "ana@example.com",
    ]
    assert cli_main(["profile", "reserve", "Ben Ode", "ben@example.com"]) == 2
    assert "already belongs to a signed-in person" in capsys.readouterr().err
    assert cli_main(["profile", "reserve", "Nobody", "x@example.com"]) == 2
    assert "No profile is called 'Nobody'" in capsys.readouterr().err
    assert cli_main(["profile", "reserve", "Laptop Ana", "not-an-address"]) == 2
    assert "is not an e-mail address" in capsys.readouterr().err
    assert cli_main(["profile", "reserve", "Laptop Ana", "--clear"]) == 0
    assert claims.unbound_profiles(engine)[0].reserved_for is None
