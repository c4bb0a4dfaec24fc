"""A short timed exam in a real browser (Debian's Chromium via Playwright), to the results page."""

from __future__ import annotations

import pytest

from tests.browser import (
    ARTIFACTS,
    chromium_page,
    require_browser,
    streamlit_server,
    wait_idle,
)
from trainer.exams.attempts import Exams
from trainer.exams.rules import AttemptStatus
from trainer.store.engine import make_engine
from trainer.study.profiles import create_profile

pytestmark = pytest.mark.browser

OPTIONS = "[data-testid=stRadio] [role=radiogroup] label, [data-testid=stCheckbox] label"


def test_short_timed_exam_to_results_in_chromium(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    engine = make_engine(db_url)
    profile = create_profile(engine, "Browser learner")
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        page.goto(url + "/exam")
        wait_idle(page)
        page.get_by_text("Short: 20 questions, 30 minutes").click()
        wait_idle(page)
        page.locator(".st-key-exam_start button").click()
        page.locator(".st-key-exam_question").wait_for()
        wait_idle(page)
        bar = page.locator(".st-key-exam_bar")
        # The countdown is visible and ticking.
        timer = page.locator(".st-key-exam_timer")
        expect(timer).to_contain_text("left")
        expect(timer).not_to_have_text(timer.inner_text(), timeout=10_000)
        for n in range(3):
            question = page.locator(".st-key-exam_question")
            expect(question).to_contain_text(f"Question {n + 1} of 20")
            options = question.locator(OPTIONS)
            options.first.click()
            expect(bar).to_contain_text(f"{n + 1} answered")
            if question.locator("[data-testid=stCheckbox]").count():
                options.nth(1).click()
                expect(question.locator("[data-testid=stCheckbox] input").nth(1)).to_be_checked()
                wait_idle(page)
            if n == 1:
                page.locator(".st-key-exam_flag button").click()
                expect(bar).to_contain_text("1 flagged")
            page.locator(".st-key-exam_next button").click()
            wait_idle(page)
        expect(page.locator(".st-key-exam_question")).to_contain_text("Question 4 of 20")
        expect(bar).to_contain_text("3 answered")
        # A refresh resumes the exam where it was, answers kept.
        page.reload()
        expect(page.locator(".st-key-exam_question")).to_contain_text("Question 4 of 20")
        expect(bar).to_contain_text("3 answered")
        expect(bar).to_contain_text("1 flagged")
        wait_idle(page)
        page.locator(".st-key-exam_submit button").click()
        expect(page.locator(".st-key-exam_confirm_box")).to_contain_text("17 unanswered")
        page.locator(".st-key-exam_submit_confirm button").click()
        scores = page.locator(".st-key-exam_scores")
        # The results page reviews every question (20 expanders, each with a report form); on a
        # busy two-core CI machine Chromium takes several seconds to lay it out.
        expect(scores).to_contain_text("Scaled score (est.)", timeout=30_000)
        expect(scores).to_contain_text("/ 20")
        wait_idle(page)
        page.locator(".js-plotly-plot").first.wait_for()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1300, "height": 2400})
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "exam-results.png"))
    assert profile.id is not None
    history = Exams(engine, profile.id).history()
    assert len(history) == 1 and history[0].status is AttemptStatus.SUBMITTED and history[0].total == 20
