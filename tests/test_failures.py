"""Errors reach people as plain words (reliability review R2 and §3): the failure classes, the
command line's error boundary, and the core refusing values a driver would choke on."""

from __future__ import annotations

import base64
import sqlite3
import zlib

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from trainer.cli import main
from trainer.exams.attempts import Exams
from trainer.exams.reports import report_problem
from trainer.exams.rules import ExamError, ExamNotFound
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.plan_io import decode_plan
from trainer.store.errors import StorageError
from trainer.store.failures import FailureKind, classify, explain
from trainer.store.readiness import database_problem
from trainer.study.profiles import ProfileError, create_profile

SQL = "UPDATE cardstate SET state=? WHERE cardstate.id = ?"


def operational(reason: str) -> OperationalError:
    return OperationalError(SQL, ("learning", 7), sqlite3.OperationalError(reason))


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (operational("database or disk is full"), FailureKind.FULL),
        (operational("attempt to write a readonly database"), FailureKind.READ_ONLY),
        (operational('connection to server at "db" (10.0.0.5), port 5432 failed'), FailureKind.UNAVAILABLE),
        (StorageError("cannot open the database"), FailureKind.UNAVAILABLE),
        (IntegrityError(SQL, (), Exception("UNIQUE constraint failed")), FailureKind.CONFLICT),
        (DataError(SQL, (), Exception("integer out of range")), FailureKind.OUT_OF_RANGE),
        (OverflowError("Python int too large to convert to SQLite INTEGER"), FailureKind.OUT_OF_RANGE),
        (RecursionError("maximum recursion depth exceeded"), FailureKind.TOO_COMPLEX),
        (KeyError("oops"), FailureKind.INTERNAL),
    ],
)
def test_failures_are_classified(exc, kind):
    assert classify(exc) is kind


def test_the_message_says_what_happened_what_was_saved_and_what_to_do_with_no_sql():
    failure = explain(operational("attempt to write a readonly database"))
    message = failure.message()
    assert "read-only" in message and "Nothing from this step was saved" in message
    assert failure.request_id in message and len(failure.request_id) == 8
    for secret in ("UPDATE", "cardstate", "learning", "/"):
        assert secret not in message and secret not in failure.line()


def test_only_an_outage_retries_by_itself():
    assert FailureKind.UNAVAILABLE.retries_by_itself
    assert not FailureKind.READ_ONLY.retries_by_itself and not FailureKind.INTERNAL.retries_by_itself


# -- the command line's boundary ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["simulate", "--seed", "-1"], "Seed must be a whole number"),
        (["simulate", "--rate", "NaN"], "must be a number"),
        (["simulate", "--rate", "inf"], "must be a number"),
    ],
)
def test_simulate_bad_seed_or_rate_is_one_plain_line_exit_2(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_an_unexpected_error_in_a_command_is_one_line_with_a_request_id(monkeypatch, capsys):
    import trainer.cli.check as check

    def broken(_args):
        raise operational("attempt to write a readonly database")

    monkeypatch.delenv("TRAINER_DEBUG", raising=False)
    monkeypatch.setattr(check, "run", broken)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("trainer check: error: The trainer's database refused to save: it is read-only.")
    assert err.count("\n") == 1 and "UPDATE" not in err and "Traceback" not in err
    assert "request id" in err and "TRAINER_DEBUG" in err


def test_trainer_debug_logs_the_details_under_the_id(monkeypatch, capsys, boundary_failures):
    import trainer.cli.check as check

    def broken(_args):
        raise KeyError("internal")

    monkeypatch.setenv("TRAINER_DEBUG", "1")
    monkeypatch.setattr(check, "run", broken)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert len(boundary_failures) == 1 and boundary_failures[0].exc_info
    request_id = boundary_failures[0].args[0]
    assert f"request id {request_id}" in err
    boundary_failures.clear()


# -- values the drivers would choke on are refused in the core --------------------------------


def test_attempt_id_beyond_the_id_column_is_not_found(engine):
    exams = Exams(engine, profile_id=1)
    for attempt_id in (99999999999999999999, 2**31, 0, -1):
        with pytest.raises(ExamNotFound, match="does not name an exam attempt"):
            exams.load(attempt_id)


def test_nul_in_a_profile_name_is_refused_in_words(engine):
    with pytest.raises(ProfileError, match="control characters"):
        create_profile(engine, "Ana\x00Bob")


def test_nul_in_a_report_is_refused_in_words(engine):
    with pytest.raises(ExamError, match="NUL"):
        report_problem(engine, "q-1", "broken\x00text")


def test_deeply_nested_json_in_a_plan_link_is_a_damaged_plan():
    text = "[" * 100_000 + "]" * 100_000
    token = "1." + base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    assert len(token) < 1000
    with pytest.raises(SizingError, match="damaged"):
        decode_plan(token)


def test_database_problem_is_none_when_it_answers_and_a_plain_line_when_not(file_db):
    assert database_problem(file_db) is None
    problem = database_problem("postgresql+psycopg://trainer:s3cret@127.0.0.1:9/trainer")
    assert problem and "s3cret" not in problem and "\n" not in problem


def test_simulate_csv_from_dev_zero_is_one_line_not_a_memory_error(capsys):
    assert main(["simulate", "--csv", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "not a regular file" in err and err.count("\n") == 1


def test_an_sqlite_file_that_cannot_be_opened_gets_a_hint_about_files_not_passwords(tmp_path):
    from trainer.store.engine import make_engine

    with pytest.raises(StorageError) as caught:
        make_engine(f"sqlite:///{tmp_path}")  # a folder, not a file
    assert "can write them" in str(caught.value) and "password" not in str(caught.value)
