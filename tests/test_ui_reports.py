"""The question report form and the Question reports page through AppTest: an over-long report
is refused in words and kept in the box (review defect 11), and report times are the viewer's
local time with the zone named, as on the exam page (review defect 29)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

# The exam page tests' autouse fixture: eight questions and one profile, Ana (UTC), in file_db.
from tests.test_ui_exam import (
    REPORTS,
    isolated,  # noqa: F401
    new_page,
    start_short_exam,
    text_of,
)
from trainer.exams.reports import report_problem
from trainer.exams.rules import MAX_REPORT_CHARS
from trainer.store.engine import get_engine
from trainer.store.tables import QuestionReport
from trainer.study.profiles import create_profile, list_profiles, update_settings


def report_count(url: str) -> int:
    with get_engine(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(QuestionReport.__table__)).scalar_one()  # type: ignore[attr-defined]


def test_an_overlong_report_is_refused_in_words_and_kept_in_the_box(file_db):
    at, attempt = start_short_exam(file_db)
    key = f"exam_{attempt.id}_0"
    box = at.text_area(key=f"report_text_{key}")
    assert not box.max_chars  # with max_chars the browser dropped a longer paste without a word
    pasted = "x" * (MAX_REPORT_CHARS + 5)
    box.input(pasted)
    at.button(key=f"FormSubmitter:report_form_{key}-Send report").click().run()
    assert not at.exception
    assert any(
        f"A report can be at most {MAX_REPORT_CHARS} characters; this one has {MAX_REPORT_CHARS + 5}"
        in e.value
        for e in at.error
    )
    assert not any("Describe the problem" in e.value for e in at.error)
    assert report_count(file_db) == 0
    assert at.text_area(key=f"report_text_{key}").value == pasted  # nothing lost: shorten and send
    at.text_area(key=f"report_text_{key}").input(pasted[:MAX_REPORT_CHARS])
    at.button(key=f"FormSubmitter:report_form_{key}-Send report").click().run()
    assert any("report was saved" in t.value for t in at.toast), (
        [e.value for e in at.error],
        report_count(file_db),
    )
    assert report_count(file_db) == 1
    assert at.text_area(key=f"report_text_{key}").value == ""  # cleared once saved


def test_report_times_are_the_viewers_local_time_with_the_zone_named(file_db, monkeypatch):
    engine = get_engine(file_db)
    ana = list_profiles(engine)[0]
    assert ana.id is not None
    update_settings(engine, ana.id, timezone="Asia/Tokyo")
    sent = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
    report_problem(engine, "q-development-0", "Option C is also right.", profile_id=ana.id, now=sent)
    page = new_page(script=REPORTS)
    assert "Sun 02 Mar 2025, 08:30 (Asia/Tokyo)" in text_of(page)  # the exam page's format
    assert "UTC" not in text_of(page)
    # No profile chosen (two exist, none picked in this browser): the browser's zone.
    create_profile(engine, "Bo")
    monkeypatch.setattr("trainer.ui.common.browser_timezone", lambda: "America/New_York")
    page = new_page(script=REPORTS)
    assert "Sat 01 Mar 2025, 18:30 (America/New_York)" in text_of(page)
