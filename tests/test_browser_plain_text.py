"""User text is plain text on every page that shows it, in a real browser.

One hostile string (a Markdown image pointing at a local "tracker" and a Markdown link to a
phishing page) goes in as a profile name, a question report, a VPC plan's subnet name carried by
a shared link, and unknown preset names in explainer links. Each page must show the characters
literally: no <img> or <a> built from them, and no request to the tracker.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import chromium_page, require_browser, streamlit_server, wait_idle
from trainer.content.loader import load_bank
from trainer.exams.reports import report_problem
from trainer.explainers.sizing.plan_io import encode_plan, plan_from_dict
from trainer.store.engine import make_engine
from trainer.study.profiles import create_profile

pytestmark = pytest.mark.browser

TRACKER = "127.0.0.1:9"
HOSTILE = f"![p](http://{TRACKER}/p.png)[login](http://evil.example/)"


def hostile_plan_token() -> str:
    """A shared-link token for a small plan whose subnet is named with the hostile string."""
    plan = plan_from_dict(
        {
            "vpc_cidr": "10.0.0.0/24",
            "subnets": [{"name": HOSTILE, "cidr": "10.0.0.0/28", "az": "eu-west-1a"}],
            "ecs_services": [
                {"name": HOSTILE, "subnets": [HOSTILE], "maximum": 20, "launch_type": "fargate"}
            ],
        }
    )
    return encode_plan(plan)


def shown_text(page, testid: str = "stApp") -> str:
    """The text on screen, without the invisible word joiners that stop the autolinker."""
    return page.locator(f"[data-testid={testid}]").inner_text().replace("\u2060", "")


def assert_literal(page, where: str) -> None:
    """The hostile string is on screen as text, and nothing was built from it."""
    wait_idle(page)
    assert "[login](http://evil.example/)" in shown_text(page), where
    assert page.locator("a[href*='evil.example']").count() == 0, where
    assert page.locator(f"img[src*='{TRACKER}']").count() == 0, where


def test_hostile_text_is_shown_as_plain_text_everywhere(tmp_path):
    require_browser()
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    engine = make_engine(db_url)
    profile = create_profile(engine, HOSTILE)
    question = next(iter(load_bank().questions))
    report_problem(engine, question, f"Option B is wrong, see {HOSTILE}", profile_id=profile.id)
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        tracker_requests: list[str] = []
        page.on("request", lambda r: tracker_requests.append(r.url) if TRACKER in r.url else None)

        # The profile page: choose the profile; the subheader and the sidebar name it.
        page.goto(f"{url}/profile")
        wait_idle(page)
        page.locator(".st-key-profile_choice").click()
        page.get_by_role("option").first.click()
        page.get_by_text("Settings for").wait_for()
        assert_literal(page, "profile page")
        # The Study page names the learner in the sidebar (a lone profile is chosen for you).
        page.goto(url)
        page.get_by_text("Studying as").wait_for()
        assert_literal(page, "study page")
        assert "[login](http://evil.example/)" in shown_text(page, "stSidebar")

        # Question reports: the report's text and who sent it.
        page.goto(f"{url}/reports")
        page.get_by_text("Option B is wrong").wait_for()
        assert_literal(page, "reports page")

        # A shared sizing link whose plan names a subnet and a service with the string:
        # results, findings and the diagram's labels.
        page.goto(f"{url}/sizing?plan={hostile_plan_token()}")
        page.locator(".js-plotly-plot").first.wait_for()
        assert_literal(page, "sizing page")

        # Explainer links naming a preset that does not exist.
        for path in ("playground", "sizing", "memory", "streams", "aliases", "connections"):
            page.goto(f"{url}/{path}?preset={quote(HOSTILE)}")
            wait_idle(page)
            # Preset names in notices are cut to 40 characters, so look for the start.
            assert "![p](http://127.0.0.1:9/p.png)" in shown_text(page), path
            assert page.locator("a[href*='evil.example']").count() == 0, path
            assert page.locator(f"img[src*='{TRACKER}']").count() == 0, path
        assert tracker_requests == []
