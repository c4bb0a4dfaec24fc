"""The workshop pages through AppTest: host create → start, participant join → answer → reveal →
leaderboard → results, a tampered host link, a duplicate name. AppTest does not tick
``run_every`` fragments, so the tests call ``at.run()`` again to refresh."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlmodel import col
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.content.loader import load_bank
from trainer.store.engine import get_engine
from trainer.store.tables import CardState
from trainer.study.profiles import create_profile
from trainer.workshops import host_actions, links, model, naming, rooms, scoring

APP = str(ROOT / "app.py")
HOST = "trainer/ui/workshop_host.py"
PARTICIPANT = "trainer/ui/workshop.py"


def page_app(page: str) -> AppTest:
    """The whole app (navigation and all) opened on one page, as a browser would."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()  # AppTest resolves a page whose url_path differs from its file name only after a run
    at.switch_page(page)
    return at


QUESTIONS = "questions:\n" + "".join(
    f"""
  - id: wq{i}
    stem: Workshop question {i}?
    type: single
    options:
      - {{text: Option zero {i}, explanation: Zero is wrong.}}
      - {{text: Option one {i}, explanation: One is right.}}
      - {{text: Option two {i}, explanation: Two is wrong.}}
      - {{text: Option three {i}, explanation: Three is wrong.}}
    answer: 1
    domain: development
    difficulty: 2
    topic: alpha
    cards: [a{i + 1}]
    concepts: [base]
    references:
      - {{title: Docs, url: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html'}}
"""
    for i in range(3)
)


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    write_content("questions.yaml", QUESTIONS)
    assert load_bank([write_content.root]).ok
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def host_app(code: str | None = None, secret: str | None = None, key: str | None = None) -> AppTest:
    """The host page; ``secret`` is an old-style ``?secret=`` link, ``key`` a one-time link."""
    at = page_app(HOST)
    if code is not None:
        at.query_params["room"] = code
    if secret is not None:
        at.query_params["secret"] = secret
    if key is not None:
        at.query_params["key"] = key
    return run(at)


def held_secret(host: AppTest) -> str:
    """The host secret the host's browser session holds (never in its URL)."""
    return host.session_state["wh_hosts"][param(host, "room")]


def participant_app(code: str | None = None) -> AppTest:
    at = page_app(PARTICIPANT)
    if code:
        at.query_params["code"] = code
    return run(at)


def param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def texts(at: AppTest) -> str:
    kinds = (
        "title",
        "header",
        "subheader",
        "markdown",
        "text",
        "caption",
        "success",
        "info",
        "warning",
        "error",
    )
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def join(at: AppTest, name: str, code: str | None = None) -> AppTest:
    if code is not None:
        at.text_input(key="ws_code").input(code)
        run(at)  # the code is looked up (Join is disabled while it names no open room)
    at.text_input(key="ws_name").input(name)
    at.button(key="ws_join").click()
    return run(at)


def test_host_creates_a_room_and_a_participant_plays_it_through(isolated):
    engine = get_engine(isolated)
    host = host_app()
    assert host.button(key="wh_create").label == "Create room"
    host.number_input(key="wh_count").set_value(2)
    host.button(key="wh_create").click()
    run(host)
    code, secret = param(host, "room"), held_secret(host)
    assert "secret" not in host.query_params and secret not in json.dumps(dict(host.query_params))
    room = rooms.host_room(engine, code, secret)
    assert room.total == 2 and room.source["kind"] == "topic"
    assert any(naming.display_code(code) in h.proto.body for h in host.get("html"))  # the join code, large
    assert host.button(key="wh_start").disabled  # nobody has joined yet

    player = participant_app(code)
    assert player.text_input(key="ws_code").value == code  # ?code= prefills the code
    join(player, "Ana <b>")
    assert any("You are Ana <b>" in t.value for t in player.text)  # plain text, not HTML
    assert any("Waiting for the host" in i.value for i in player.info)

    run(host)  # the fragment's next tick
    assert host.metric[0].value == "1"
    assert not host.button(key="wh_start").disabled
    host.toggle(key="wh_auto").set_value(False)  # the host reveals this one by hand
    host.button(key="wh_start").click()
    run(host)
    assert rooms.get_room(engine, room.id).phase is model.RoomPhase.QUESTION_OPEN

    run(player)  # the participant's fragment picks the question up
    option = player.button(key="ws_opt_1")  # one tap on a big A-D button answers
    assert option.label.endswith("Option one " + room.questions[0].stem[-2])
    assert option.label.startswith("**B**")
    option.click()
    run(player)
    assert any("Answer received (B)" in s.value for s in player.success)

    run(host)
    assert host.metric[1].value == "1 / 1"  # the answer count, live
    assert rooms.get_room(engine, room.id).phase is model.RoomPhase.QUESTION_OPEN
    host.button(key="wh_reveal").click()
    run(host)
    spec = json.loads(host.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == [0, 1, 0, 0]  # the distribution
    assert "Answer: B" in texts(host)

    run(player)
    assert "Correct." in texts(player)
    assert "+" in texts(player) and "points" in texts(player)
    charts = [json.loads(c.proto.spec) for c in player.get("plotly_chart")]
    board = next(c for c in charts if c["layout"]["title"]["text"] == "Leaderboard")
    assert board["data"][0]["y"] == ["1. Ana &lt;b&gt;"]  # escaped inside Plotly too

    host.toggle(key="wh_auto").set_value(True)
    host.button(key="wh_next").click()
    run(host)
    run(player)
    player.button(key="ws_opt_2").click()  # wrong
    run(player)
    run(host)  # everyone answered: the console reveals by itself
    assert rooms.get_room(engine, room.id).phase is model.RoomPhase.REVEALED
    assert host.button(key="wh_next").label == "Finish and show the podium"
    host.button(key="wh_next").click()
    run(host)
    assert rooms.get_room(engine, room.id).phase is model.RoomPhase.FINISHED
    assert "which questions taught" in texts(host)
    assert host.get("download_button")
    assert host.dataframe[0].value["N"].tolist() == [1, 1]

    run(player)
    assert "Final results" in texts(player)
    assert player.metric[0].value == "1 of 1"
    # Add the mistake to a study profile.
    create_profile(engine, "Ana")
    run(player)
    player.button(key="ws_add_mistakes").click()
    run(player)
    assert any("moved to the front of your study queue" in s.value for s in player.success)
    with engine.connect() as conn:
        first = conn.execute(
            select(col(CardState.card_id)).order_by(col(CardState.position)).limit(1)
        ).scalar_one()
    wrong_card = room.questions[1].cards[0]
    assert first == wrong_card


def test_a_tampered_host_link_shows_an_error_and_no_controls(isolated):
    engine = get_engine(isolated)
    bank = load_bank()
    room, secret = rooms.create_room(engine, list(bank.questions.values())[:2])
    for wrong in (secret[:-1] + ("x" if secret[-1] != "x" else "y"), None):
        at = host_app(room.code, wrong)
        assert any("Only the host link" in e.value for e in at.error)
        assert not [
            b for b in at.button if b.key and b.key.startswith(("wh_start", "wh_reveal", "wh_next", "wh_end"))
        ]
        assert not at.get("html")  # no join code banner either
    good = host_app(room.code, secret)
    assert not good.error and good.button(key="wh_start")


def test_a_duplicate_name_is_refused_with_a_clear_message(isolated):
    engine = get_engine(isolated)
    room, _ = rooms.create_room(engine, list(load_bank().questions.values())[:1])
    rooms.join(engine, room.code, "Ana")
    at = participant_app()
    join(at, "  ANA ", code=room.code.lower())
    assert any("already called 'ANA'" in e.value and "choose another" in e.value for e in at.error)
    join(at, "Ana 2")
    assert any("You are Ana 2" in t.value for t in at.text)


def test_a_reload_keeps_the_seat_and_a_wrong_code_says_so(isolated):
    engine = get_engine(isolated)
    room, _ = rooms.create_room(engine, list(load_bank().questions.values())[:1])
    at = participant_app()
    at.text_input(key="ws_code").input("zzzz-zzzz")
    run(at)
    assert [w.value for w in at.warning] == [
        "No open room has the code ZZZZ-ZZZZ. Check the code on the host's screen."
    ]  # said once (review defect 26), and nothing to join
    assert not at.error and at.button(key="ws_join").disabled
    join(at, "Bo", code=room.code)
    seat = param(at, "seat")
    again = page_app(PARTICIPANT)  # a new browser session
    again.query_params["code"] = room.code
    again.query_params["seat"] = seat
    run(again)
    assert any("You are Bo" in t.value for t in again.text)
    assert param(again, "seat") != seat  # the rejoin token was spent and swapped
    replay = page_app(PARTICIPANT)  # someone replaying the URL from a proxy log
    replay.query_params["code"] = room.code
    replay.query_params["seat"] = seat
    run(replay)
    assert any("already used or has expired" in w.value for w in replay.warning)
    assert not any("You are Bo" in t.value for t in replay.text)


def test_guessing_codes_is_rate_limited_with_a_wait(isolated):
    at = participant_app()
    for i in range(5):
        at.text_input(key="ws_code").input(f"ZZZZ-ZZZ{i + 2}")
        run(at)
    assert any("No open room" in w.value for w in at.warning)
    at.text_input(key="ws_code").input("ZZZZ-ZZZA")
    run(at)
    assert any("Too many attempts" in w.value and "wait" in w.value for w in at.warning)
    # Rerunning the page (typing a name) does not count the same code again.
    at.text_input(key="ws_name").input("Bo")
    run(at)
    assert any("Too many attempts" in w.value for w in at.warning)


def test_one_browser_session_joins_a_room_once(isolated):
    engine = get_engine(isolated)
    room, _ = rooms.create_room(engine, list(load_bank().questions.values())[:1])
    at = participant_app(room.code)
    join(at, "Bo")
    at.button(key="ws_leave_live").click()
    run(at)
    join(at, "Bo again", code=room.code)
    assert any("You are Bo ·" in t.value for t in at.text)  # the seat it already held
    assert [p.name for p in rooms.participants(engine, room.id)] == ["Bo"]


def test_a_one_time_host_link_opens_the_console_once_and_a_reload_keeps_it(isolated):
    engine = get_engine(isolated)
    room, secret = rooms.create_room(engine, list(load_bank().questions.values())[:2])
    token = links.issue_host_link(engine, room.id, secret)
    host = host_app(room.code, key=token)
    assert not host.error and host.button(key="wh_start")
    reload_key = param(host, "key")
    assert reload_key != token and "secret" not in host.query_params
    replay = host_app(room.code, key=token)  # the link from a proxy log
    assert any("already used or has expired" in e.value for e in replay.error)
    assert not replay.get("html")
    reloaded = host_app(room.code, key=reload_key)  # the address bar after a reload
    assert not reloaded.error and reloaded.button(key="wh_start")
    reloaded.button(key="wh_make_link").click()
    run(reloaded)
    link = next(c.value for c in reloaded.code if "key=" in c.value)
    assert secret not in link and "/workshop-host?room=" in link
    old = host_app(room.code, secret=secret)  # a link from before: still opens, then hidden
    assert old.button(key="wh_start") and "secret" not in old.query_params


def test_a_room_from_hand_picked_questions_with_teams(isolated):
    engine = get_engine(isolated)
    host = host_app()
    host.button_group(key="wh_kind").set_value("Hand-picked questions")
    run(host)
    host.multiselect(key="wh_picked").set_value(["wq2", "wq0"])
    host.toggle(key="wh_teams_on").set_value(True)
    run(host)
    host.text_input(key="wh_teams").input("Ops, Dev")
    host.radio(key="wh_scoring").set_value(scoring.Scoring.ACCURACY)
    host.button(key="wh_create").click()
    run(host)
    room = rooms.host_room(engine, param(host, "room"), held_secret(host))
    assert [q.id for q in room.questions] == ["wq2", "wq0"]  # in the order picked
    assert room.teams == ("Ops", "Dev") and room.scoring is scoring.Scoring.ACCURACY
    player = participant_app(room.code)
    assert player.selectbox(key="ws_team").options == ["Any team (balanced for you)", "Ops", "Dev"]
    player.selectbox(key="ws_team").set_value("Dev")
    join(player, "Cy")
    assert any("team Dev" in t.value for t in player.text)


def test_leaving_asks_first_and_joining_again_gives_back_the_name_and_points(isolated):
    """Review defect 1: Leave sits under the answers, so it confirms; the player who leaves (or
    reloads) gets their own seat, name and points back, and no ghost stays on the board."""
    engine = get_engine(isolated)
    room, secret = rooms.create_room(engine, list(load_bank().questions.values())[:2], seconds=60)
    at = participant_app(room.code)
    join(at, "Sam")

    host_actions.start(engine, room.id, secret)
    run(at)
    q = rooms.get_room(engine, room.id).questions[0]
    if q.type == "single":
        at.button(key=f"ws_opt_{q.answer[0]}").click()
    else:
        for j in q.answer:
            at.button(key=f"ws_opt_{j}").click()
            run(at)
        at.button(key="ws_submit").click()
    run(at)
    assert any("Answer received" in s.value for s in at.success)
    points = rooms.room_state(engine, room.id, participant_id=at.session_state["workshop_seat"].id)
    assert points.mine is not None and points.mine.points > 0
    # The leave button is inside a confirmation: nothing happens until "Yes, leave".
    assert at.button(key="ws_leave_live").label == "Yes, leave"
    assert any("Your name and points stay" in m.value for m in at.markdown)
    at.button(key="ws_leave_live").click()
    run(at)
    assert at.text_input(key="ws_name")  # back at the join form
    join(at, "Sam", code=room.code)
    assert any("You are Sam ·" in t.value for t in at.text)
    assert [p.name for p in rooms.participants(engine, room.id)] == ["Sam"]  # no ghost
    mine = rooms.room_state(engine, room.id, participant_id=at.session_state["workshop_seat"].id).mine
    assert mine is not None and mine.points == points.mine.points


def test_ending_early_counts_only_the_questions_asked(isolated):
    """Review defect 18: ended after question 1 of 3, the result says 1 of 1 and the report
    neither lists the unasked questions nor shows a raw None."""
    engine = get_engine(isolated)

    room, secret = rooms.create_room(engine, list(load_bank().questions.values())[:3], seconds=60)
    player = participant_app(room.code)
    join(player, "Di")
    host_actions.start(engine, room.id, secret)
    host_actions.end(engine, room.id, secret)
    run(player)
    assert "Final results" in texts(player)
    assert [m.value for m in player.metric if m.label == "Correct"] == ["0 of 1"]
    assert "2 questions were not asked" in texts(player)
    assert len([e for e in player.expander if "Q" in e.label]) == 1
    host = host_app(room.code, secret)
    table = host.dataframe[0].value
    assert table["Q"].tolist() == [1]
    assert table["Difficulty p"].tolist() == ["n/a"] and "None" not in table.to_string()
    assert "Ended after question 1 of 3" in texts(host)


def test_an_overlong_pasted_display_name_or_code_gets_a_clear_message(isolated):
    """Review defect 11: with ``max_chars`` the browser dropped a longer pasted name without a
    word and the page then said "Enter a display name"; now the field has no limit of its own and
    the message says how long the name is and the limit."""
    engine = get_engine(isolated)
    room, _ = rooms.create_room(engine, list(load_bank().questions.values())[:1])
    at = participant_app()
    assert not at.text_input(key="ws_name").max_chars  # the browser keeps what was pasted
    assert not at.text_input(key="ws_code").max_chars
    pasted = "<img src=x onerror=alert(1)>"  # 28 characters, the limit is 24
    join(at, pasted, code=room.code)
    assert any("at most 24 characters" in e.value and "28" in e.value for e in at.error)
    assert not any("Enter a display name" in e.value for e in at.error)
    assert at.text_input(key="ws_name").value == pasted  # still there, to be shortened
    # A pasted line with more than a code in it is named as such (and not counted as a guess).
    at.text_input(key="ws_code").input(f"{room.code} {room.code}")
    run(at)
    assert any("A join code can be at most 8 characters; this one has 16" in w.value for w in at.warning)


def test_an_overlong_room_title_or_team_name_is_refused_not_trimmed(isolated):
    engine = get_engine(isolated)
    host = host_app()
    assert not host.text_input(key="wh_title").max_chars
    host.text_input(key="wh_title").input("T" * 130)
    host.button(key="wh_create").click()
    run(host)
    assert any("A room title can be at most 120 characters; this one has 130" in e.value for e in host.error)
    assert "room" not in host.query_params  # no room with a trimmed title
    host.text_input(key="wh_title").input("Friday quiz")
    host.toggle(key="wh_teams_on").set_value(True)
    run(host)
    host.text_input(key="wh_teams").input("Red, " + "B" * 30)
    host.button(key="wh_create").click()
    run(host)
    assert any("team name can be at most 24 characters" in e.value and "30" in e.value for e in host.error)
    host.text_input(key="wh_teams").input("Red, Blue")
    host.button(key="wh_create").click()
    run(host)
    assert rooms.host_room(engine, param(host, "room"), held_secret(host)).title == "Friday quiz"


def test_a_taken_name_is_quoted_back_as_plain_text(isolated):
    # The refusal quotes the typed name; shown as Markdown, a crafted name was a live link.
    engine = get_engine(isolated)
    room, _ = rooms.create_room(engine, list(load_bank().questions.values())[:1])
    crafted = "[log in](https://x.ex)"  # 22 characters: within the limit
    rooms.join(engine, room.code, crafted)
    at = participant_app()
    join(at, crafted, code=room.code)
    (message,) = [e.value for e in at.error if "already called" in e.value]
    assert "log in" in message and "](https://" not in message
