"""Exam practice core: assembly by domain weights, all-or-nothing scoring, scaled score,
time-out, persistence and resume, readiness, missed questions, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from sqlalchemy import select

from trainer.content.model import Bank, Domain, Option, Question, Reference, Topic
from trainer.content.selection import is_correct, question_pool
from trainer.content.snapshot import QuestionSnapshot
from trainer.exams.assembly import allocate, assemble
from trainer.exams.attempts import Exams
from trainer.exams.readiness import missed_question_ids, readiness, weakest_topics, wilson_interval
from trainer.exams.reports import list_reports, report_problem, resolve_report
from trainer.exams.rules import (
    FULL_MOCK,
    SHORT_MOCK,
    AttemptStatus,
    ExamClosed,
    ExamError,
    ExamForbidden,
    ExamMode,
    ExamNotFound,
    ExamSpec,
)
from trainer.exams.scoring import scaled_score
from trainer.store.tables import CardState
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile
from trainer.study.queue import Study

DOMAINS = list(Domain)
REF = (Reference("Docs", "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"),)


def make_question(
    qid: str, domain: Domain, topic: str = "alpha", multiple: bool = False, cards=("a1",), concepts=()
) -> Question:
    n = 5 if multiple else 4
    return Question(
        id=qid,
        stem=f"Stem of {qid}?",
        type="multiple" if multiple else "single",
        options=tuple(Option(f"{qid} option {i}", f"Why option {i} of {qid}") for i in range(n)),
        answer=(0, 2) if multiple else (1,),
        domain=domain,
        difficulty=2,
        topic=topic,
        cards=tuple(cards),
        concepts=tuple(concepts),
        references=REF,
    )


def make_bank(per_domain: dict[Domain, int], multiple_every: int = 4) -> Bank:
    bank = Bank(
        topics={"alpha": Topic("alpha", "Alpha topic", "ECS"), "beta": Topic("beta", "Beta topic", "Lambda")}
    )
    k = 0
    for domain, count in per_domain.items():
        for i in range(count):
            q = make_question(
                f"q-{domain.value}-{i:03d}",
                domain,
                "alpha" if i % 2 else "beta",
                multiple=k % multiple_every == 0,
                concepts=("base",) if i % 3 == 0 else (),
            )
            bank.questions[q.id] = q
            k += 1
    return bank


BIG = make_bank(dict.fromkeys(Domain, 40))
SHORT_OF_SECURITY = make_bank(
    {Domain.DEVELOPMENT: 63, Domain.SECURITY: 5, Domain.DEPLOYMENT: 24, Domain.TROUBLESHOOTING: 37}
)


# -- allocation and assembly -------------------------------------------------------------------------


def test_allocation_matches_the_exam_guide_weights():
    full = allocate(65, dict.fromkeys(Domain, 100))
    assert [full[d] for d in DOMAINS] == [21, 17, 15, 12]  # 32/26/24/18 % of 65
    short = allocate(20, dict.fromkeys(Domain, 100))
    assert [short[d] for d in DOMAINS] == [6, 5, 5, 4]
    assert sum(full.values()) == 65 and sum(short.values()) == 20


def test_allocation_borrows_from_other_domains_when_one_runs_short():
    alloc = allocate(
        65, {Domain.DEVELOPMENT: 63, Domain.SECURITY: 5, Domain.DEPLOYMENT: 24, Domain.TROUBLESHOOTING: 37}
    )
    assert alloc[Domain.SECURITY] == 5  # everything it has
    assert sum(alloc.values()) == 65
    # The 12 missing security questions are shared by weight (32:24:18), not dumped on one domain.
    # 60 over 32:24:18 = 25.9, 19.5, 14.6 -> largest remainders: 26, 19, 15.
    assert [alloc[d] for d in DOMAINS] == [26, 5, 19, 15]
    assert allocate(
        65, {Domain.DEVELOPMENT: 3, Domain.SECURITY: 0, Domain.DEPLOYMENT: 0, Domain.TROUBLESHOOTING: 2}
    ) == {Domain.DEVELOPMENT: 3, Domain.SECURITY: 0, Domain.DEPLOYMENT: 0, Domain.TROUBLESHOOTING: 2}


@settings(max_examples=150, deadline=None)
@given(n=hs.integers(0, 120), caps=hs.lists(hs.integers(0, 80), min_size=4, max_size=4))
def test_allocation_properties(n, caps):
    capacity = dict(zip(DOMAINS, caps, strict=True))
    alloc = allocate(n, capacity)
    assert sum(alloc.values()) == min(n, sum(caps))
    assert all(0 <= alloc[d] <= capacity[d] for d in DOMAINS)
    if all(c >= n for c in caps):  # nothing binds: largest remainder, within 1 of the quota
        assert all(abs(alloc[d] - n * d.weight) < 1 for d in DOMAINS)


def test_assemble_is_seeded_weighted_and_without_duplicates():
    first = assemble(BIG, FULL_MOCK, seed=7)
    again = assemble(BIG, FULL_MOCK, seed=7)
    other = assemble(BIG, FULL_MOCK, seed=8)
    assert [q.id for q in first] == [q.id for q in again]
    assert [q.id for q in first] != [q.id for q in other]
    assert len({q.id for q in first}) == len(first) == 65
    counts = {d: sum(1 for q in first if q.domain == d.value) for d in Domain}
    assert [counts[d] for d in DOMAINS] == [21, 17, 15, 12]


def test_assemble_with_a_short_domain_still_fills_the_exam():
    questions = assemble(SHORT_OF_SECURITY, FULL_MOCK, seed=1)
    assert len(questions) == 65 and len({q.id for q in questions}) == 65
    assert sum(1 for q in questions if q.domain == "security") == 5
    small = make_bank({Domain.DEVELOPMENT: 2, Domain.SECURITY: 1})
    assert len(assemble(small, SHORT_MOCK, seed=1)) == 3  # as far as the bank allows


def test_option_shuffle_keeps_the_key_and_the_mapping():
    for q in assemble(BIG, SHORT_MOCK, seed=3):
        original = BIG.questions[q.id]
        assert sorted(q.order) == list(range(len(original.options)))
        assert [o.text for o in q.options] == [original.options[i].text for i in q.order]
        assert {q.options[i].text for i in q.answer} == {original.options[i].text for i in original.answer}
        assert QuestionSnapshot.from_dict(q.to_dict()) == q  # the snapshot round-trips
    assert any(q.order != tuple(range(len(q.order))) for q in assemble(BIG, SHORT_MOCK, seed=3))


def test_drill_filters():
    def ids(spec):
        return {q.id for q in question_pool(BIG, spec.question_filter)}

    def drill(**by):
        return ExamSpec(ExamMode.DRILL, 10, None, next(iter(by)), **by)

    assert all(i.startswith("q-security") for i in ids(drill(domain="security")))
    assert all(BIG.questions[i].topic == "beta" for i in ids(drill(topic="beta")))
    assert all("base" in BIG.questions[i].concepts for i in ids(drill(concept="base")))
    assert ids(drill(topic="beta")) and ids(drill(concept="base"))
    spec = ExamSpec(ExamMode.DRILL, 10, None, "missed", question_ids=("q-security-001", "gone"))
    assert ids(spec) == {"q-security-001"}
    drawn = assemble(BIG, ExamSpec(ExamMode.DRILL, 5, None, "topic", topic="beta"), seed=2)
    assert len(drawn) == 5 and all(q.topic == "beta" for q in drawn)


def test_spec_json_and_time_limit_for_a_short_bank():
    spec = ExamSpec(ExamMode.DRILL, 10, None, "missed", question_ids=("a", "b"))
    assert ExamSpec.from_data(spec.to_data()) == spec
    assert FULL_MOCK.limit_for(65) == timedelta(minutes=130)
    assert FULL_MOCK.limit_for(8) == timedelta(minutes=16)  # 2 minutes a question, as the real exam
    assert ExamSpec(ExamMode.REVIEW, 10, None).limit_for(3) is None


# -- scoring -----------------------------------------------------------------------------------------


def test_multiple_response_is_all_or_nothing():
    key = (0, 2)
    assert is_correct([2, 0], key)
    assert not is_correct([0], key)  # too few
    assert not is_correct([0, 2, 3], key)  # too many
    assert not is_correct([], key)
    assert is_correct([1], (1,)) and not is_correct([2], (1,))


def test_scaled_score_estimate_anchors():
    assert scaled_score(0) == 100 and scaled_score(1) == 1000
    assert scaled_score(0.72) == 720
    assert scaled_score(0.7199) < 720  # never rounded up into a pass
    assert scaled_score(47 / 65) >= 720 > scaled_score(46 / 65)
    assert scaled_score(-1) == 100 and scaled_score(2) == 1000


@settings(max_examples=200, deadline=None)
@given(a=hs.floats(0, 1), b=hs.floats(0, 1))
def test_scaled_score_is_monotonic_and_bounded(a, b):
    lo, hi = sorted((a, b))
    assert 100 <= scaled_score(lo) <= scaled_score(hi) <= 1000
    assert (scaled_score(a) >= 720) == (a >= 0.72 - 1e-12)


# -- the store ---------------------------------------------------------------------------------------


def exams_for(engine, name: str) -> Exams:
    """The exam store of a new profile called ``name``."""
    profile = create_profile(engine, name)
    assert profile.id is not None
    return Exams(engine, profile.id)


@pytest.fixture
def store(engine):
    return exams_for(engine, "Ana")


def key_of(q):
    return list(q.answer)


def wrong_of(q):
    return [next(i for i in range(len(q.options)) if i not in q.answer)]


def test_answers_are_saved_at_once_and_an_attempt_resumes(store, engine):
    attempt = store.start(BIG, SHORT_MOCK, seed=5)
    assert attempt.is_open and len(attempt.questions) == 20
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    store.answer(attempt.id, 0, key_of(attempt.questions[0]), time_ms=4000)
    store.flag(attempt.id, 1, True)
    store.goto(attempt.id, 3)
    # A server restart: a new store object on the same database.
    resumed = Exams(engine, store.profile_id).current()
    assert resumed is not None
    assert resumed.id == attempt.id and resumed.position == 3
    assert resumed.answers[0].chosen == tuple(attempt.questions[0].answer)
    assert resumed.answers[0].time_ms == 4000 and resumed.flagged == [1]
    assert resumed.started_at == attempt.started_at  # the clock is not restarted
    with pytest.raises(ExamError, match="already have an exam in progress"):
        store.start(BIG, SHORT_MOCK)


def test_invalid_answers_are_refused(store):
    attempt = store.start(BIG, SHORT_MOCK, seed=5)
    single = next(i for i, q in enumerate(attempt.questions) if not q.multiple)
    with pytest.raises(ExamError, match="one correct answer"):
        store.answer(attempt.id, single, [0, 1])
    with pytest.raises(ExamError, match="does not exist"):
        store.answer(attempt.id, single, [9])
    with pytest.raises(ExamError, match="no question 21"):
        store.answer(attempt.id, 20, [0])


def test_time_out_submits_at_the_deadline_and_refuses_late_answers(store):
    t0 = utcnow() - timedelta(hours=3)
    attempt = store.start(BIG, SHORT_MOCK, seed=5, now=t0)
    store.answer(attempt.id, 0, key_of(attempt.questions[0]), now=t0 + timedelta(minutes=5))
    late = t0 + timedelta(minutes=31)
    with pytest.raises(ExamClosed, match="Time is up"):
        store.answer(attempt.id, 1, key_of(attempt.questions[1]), now=late)
    done = store.load(attempt.id)
    assert done.status is AttemptStatus.TIMED_OUT
    assert done.submitted_at == attempt.deadline
    assert done.answers[1].chosen == ()  # the late answer was not stored
    assert done.result().correct == 1 and done.elapsed() == timedelta(minutes=30)
    with pytest.raises(ExamClosed):
        store.answer(attempt.id, 2, [0])
    assert store.current() is None


def test_an_overdue_attempt_is_submitted_on_next_access(store):
    t0 = utcnow() - timedelta(hours=3)
    attempt = store.start(BIG, FULL_MOCK, seed=5, now=t0)
    assert store.expire_overdue() == [attempt.id]
    assert store.history()[0].status is AttemptStatus.TIMED_OUT
    assert store.expire_overdue() == []  # only once


def test_submit_scores_and_the_snapshot_survives_content_changes(store):
    attempt = store.start(BIG, SHORT_MOCK, seed=11)
    for i, q in enumerate(attempt.questions[:10]):
        store.answer(attempt.id, i, key_of(q) if i % 2 == 0 else wrong_of(q))
    store.flag(attempt.id, 0, True)
    done = store.submit(attempt.id)
    assert done.status is AttemptStatus.SUBMITTED and not done.is_open
    assert store.submit(attempt.id).submitted_at == done.submitted_at  # idempotent
    result = done.result()
    assert (result.correct, result.answered, result.total) == (5, 10, 20)
    assert result.scaled == scaled_score(5 / 20) and not result.passed
    # Wrong answers and unanswered questions are listed apart (review defect 25); both score as wrong.
    assert len(result.filtered("incorrect")) == 5 and len(result.filtered("unanswered")) == 10
    assert len(result.filtered("flagged")) == 1
    assert sum(b.total for b in result.by_domain) == 20
    assert [b.key for b in result.by_domain] == [d.value for d in Domain]
    assert result.by_topic == sorted(result.by_topic, key=lambda b: (b.pct, b.title))
    # The attempt no longer depends on the bank: it reads back from its snapshot alone.
    again = store.load(attempt.id)
    assert [q.stem for q in again.questions] == [q.stem for q in attempt.questions]
    with pytest.raises(ExamClosed):
        store.answer(attempt.id, 12, [0])
    entry = store.history()[0]
    assert (entry.correct, entry.total, entry.scaled) == (5, 20, result.scaled)


def test_review_mode_locks_a_checked_answer(store):
    attempt = store.start(BIG, ExamSpec(ExamMode.REVIEW, 5, None, "review"), seed=2)
    assert attempt.deadline is None
    with pytest.raises(ExamError, match="Choose an answer"):
        store.answer(attempt.id, 0, [], lock=True)
    store.answer(attempt.id, 0, wrong_of(attempt.questions[0]), lock=True)
    with pytest.raises(ExamError, match="already checked"):
        store.answer(attempt.id, 0, key_of(attempt.questions[0]))


def test_other_profiles_and_unknown_attempts_are_refused(store, engine):
    attempt = store.start(BIG, SHORT_MOCK, seed=1)
    other = exams_for(engine, "Bo")
    with pytest.raises(ExamForbidden, match="another profile"):
        other.load(attempt.id)
    with pytest.raises(ExamForbidden):
        other.answer(attempt.id, 0, [0])
    with pytest.raises(ExamNotFound):
        other.load(9999)


def test_abandon_leaves_no_result(store):
    attempt = store.start(BIG, SHORT_MOCK, seed=1)
    store.abandon(attempt.id)
    assert store.current() is None and store.history() == []
    with pytest.raises(ExamClosed):
        store.submit(attempt.id)


def test_wrong_answers_move_their_cards_up_once(engine, small_bank):
    from trainer.content.graph import introduction_order

    profile = create_profile(engine, "Cy")
    study = Study(engine, profile)
    study.sync(small_bank, introduction_order(small_bank))
    bank = make_bank({Domain.DEVELOPMENT: 4})
    for q in list(bank.questions.values()):
        bank.questions[q.id] = Question(**{**q.__dict__, "cards": ("b3",)})
    assert profile.id is not None
    store = Exams(engine, profile.id)
    attempt = store.start(bank, ExamSpec(ExamMode.REVIEW, 4, None, "review"), seed=1)
    store.answer(attempt.id, 0, wrong_of(attempt.questions[0]), lock=True)
    store.submit(attempt.id)
    assert store.unmarked() == [attempt.id]
    assert store.follow_up(attempt.id, study.mark_for_review) == 1
    assert store.follow_up(attempt.id, study.mark_for_review) is None  # once only
    assert store.load(attempt.id).cards_marked == 1
    with engine.connect() as conn:
        cards = CardState.__table__  # type: ignore[attr-defined]  # SQLModel sets it at class creation
        positions = dict(conn.execute(select(cards.c.card_id, cards.c.position)).all())
    assert positions["b3"] < min(p for c, p in positions.items() if c != "b3")


def test_history_readiness_weak_topics_and_missed_questions(store, engine):
    t0 = utcnow() - timedelta(days=3)
    for k, share in enumerate((0.5, 0.8, 0.9)):
        attempt = store.start(BIG, SHORT_MOCK, seed=k, now=t0 + timedelta(hours=k))
        for i, q in enumerate(attempt.questions):
            right = i < share * len(attempt.questions)
            store.answer(attempt.id, i, key_of(q) if right else wrong_of(q), now=t0 + timedelta(hours=k))
        store.submit(attempt.id, now=t0 + timedelta(hours=k, minutes=20))
    history = store.history()
    assert [h.correct for h in history] == [10, 16, 18]
    ready = readiness(history)
    assert ready is not None
    assert ready.basis == "timed exams" and ready.attempts == 3 and ready.questions == 60
    assert ready.scaled == scaled_score(44 / 60)
    assert ready.low < ready.scaled < ready.high
    narrow = readiness(history[-1:])
    assert narrow is not None
    assert narrow.high - narrow.low > ready.high - ready.low  # fewer questions, wider interval
    weak = weakest_topics(history)
    assert weak and weak[0].pct <= weak[-1].pct
    missed = missed_question_ids(history)
    last_right = set(history[-1].summary["right"])
    assert missed and not (set(missed) & last_right)  # answered right later: no longer missed


def test_wilson_interval():
    low, high = wilson_interval(0, 10)
    assert low == 0 and 0.2 < high < 0.35
    low, high = wilson_interval(65, 65)
    assert high == pytest.approx(1) and low > 0.9


def test_problem_reports(engine):
    profile = create_profile(engine, "Di")
    with pytest.raises(ExamError, match="Describe the problem"):
        report_problem(engine, "q1", "   ", profile.id)
    rid = report_problem(engine, "q1", "Option C is also right", profile.id)
    report_problem(engine, "q2", "Typo", None)
    reports = list_reports(engine)
    assert [r.question_id for r in reports] == ["q2", "q1"]
    resolve_report(engine, rid)
    assert [r.question_id for r in list_reports(engine)] == ["q2"]
    assert len(list_reports(engine, include_resolved=True)) == 2


def test_position_is_remembered_only_while_open(store):
    attempt = store.start(BIG, SHORT_MOCK, seed=1)
    store.goto(attempt.id, 50)  # out of range: ignored
    assert store.load(attempt.id).position == 0
    store.goto(attempt.id, 4)
    store.submit(attempt.id)
    store.goto(attempt.id, 6)  # closed: ignored
    assert store.load(attempt.id).position == 4
