"""The readiness forecast (predicted recall of every card on exam day, by topic and concept, with
its uncertainty, next to the mock-exam readiness) as the Study, Progress and Exam plan pages show
it, from :mod:`trainer.study.recall_forecast` and the charts in :mod:`trainer.charts.exam_plan`.

Working the forecast out reads every card of the profile and asks FSRS for each one's recall on
the day: tens of milliseconds for a large collection, too much for every rerun of the Study page.
:func:`forecast_for` keeps it while nothing it depends on changes: the profile, its settings (the
exam date, desired retention and parameters are in them), the moment of its latest answer (an
undo takes that moment back with the answer) and the number of cards in the bank. Checking that
costs one step down the review log's index per rerun.

The Study page shows it folded (:func:`study_page_forecast`): the expander's title carries the
expected recall and its range, and the details are drawn only while it is open.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from trainer.access.permissions import Actor
from trainer.charts import exam_plan as charts
from trainer.content.model import Bank
from trainer.exams.attempts import Exams
from trainer.exams.readiness import readiness
from trainer.store.types import utcnow
from trainer.study.queue import Study
from trainer.study.recall_forecast import GroupRecall, RecallForecast, last_answer_at, recall_forecast
from trainer.study.scheduling import Settings, study_date
from trainer.ui import identity, pages
from trainer.ui.exam_start import readiness_summary

# Metrics side by side in a horizontal container wrap two to a row on a phone instead of stacking
# four tall boxes (st.columns stacks them one under another below 640 px).
METRIC_WIDTH = 150
STUDY_EXPANDER_KEY = "study_forecast_open"
WEAKEST_SHOWN = 3
RANGE_NOTE = (
    "Bars: the share of the group's cards you are expected to recall. Whiskers: the range that "
    "share falls in 9 times out of 10 (each card is recalled or not with its own probability), the "
    "same kind of range as the expected recall above, wider for a group with fewer cards. It is "
    "not the spread of the cards' own recall: that is the histogram (and each bar's hover). "
    "Diamonds: the share of cards predicted at 0.9 or more."
)


@st.cache_resource(ttl=600, max_entries=256, show_spinner=False)
def _forecast(
    _study: Study,
    _content: Bank,
    _actor: Actor | None,
    _settings: Settings,
    profile_id: int,
    settings_key: int,
    at: datetime,
    last_answer: datetime | None,
    cards: int,
) -> RecallForecast:
    """The forecast, kept per (profile, settings, moment, latest answer, cards in the bank). The
    settings are keyed by their hash: Streamlit hashing the dataclass took most of a hit's time."""
    del settings_key, last_answer, cards  # part of the key only
    forecast = recall_forecast(_study.engine, profile_id, _settings, _content, at, actor=_actor)
    assert forecast is not None  # ``at`` is given
    return forecast


def forecast_for(study: Study, content: Bank, at: datetime) -> RecallForecast:
    """Predicted recall of every card at ``at``, worked out again only when it can have changed
    (module docstring). The Study was made for the current person, who may read its profile."""
    profile_id = study.profile.id
    assert profile_id is not None  # a stored profile
    last = last_answer_at(study.engine, profile_id)
    settings = study.settings
    actor = identity.current_actor()
    return _forecast(
        study, content, actor, settings, profile_id, hash(settings), at, last, len(content.cards)
    )


def exam_ahead(settings: Settings, now: datetime | None = None) -> datetime | None:
    """When the exam's study day begins, if it is still ahead; None otherwise."""
    at = settings.exam_at
    return at if at is not None and at > (now or utcnow()) else None


def titles(content: Bank, groups: tuple[GroupRecall, ...], concepts: bool) -> dict[str, str]:
    """Display names of topics or concepts (their ids are what the forecast groups by)."""
    if concepts:
        return {
            g.name: content.concepts[g.name].name if g.name in content.concepts else g.name for g in groups
        }
    return {g.name: content.topic_title(g.name) for g in groups}


def headline(forecast: RecallForecast, when: str, key: str) -> None:
    """Expected recall with its 90 % range, cards at 0.9 or more, the median card, not started."""
    overall = forecast.overall
    box = st.container(horizontal=True, key=key)
    box.metric(
        "Expected recall",
        f"{overall.mean:.0%}",
        delta=f"90 % range {overall.low:.0%}–{overall.high:.0%}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        width=2 * METRIC_WIDTH,
        help=f"The share of all cards you are expected to recall {when}, if you stopped reviewing "
        "now; 9 times out of 10 the share you recall falls in the range. Cards not started count as 0.",
    )
    box.metric("Cards at ≥ 0.9", f"{overall.at_least_0_9:.0%}", border=True, width=METRIC_WIDTH)
    box.metric("Median card", f"{overall.median:.0%}", border=True, width=METRIC_WIDTH)
    box.metric("Not started", overall.unseen, border=True, width=METRIC_WIDTH)


def mock_exam_readiness(study: Study) -> None:
    """The readiness from timed exams (Exam page), as the Exam plan page shows it."""
    assert study.profile.id is not None
    history = Exams(study.engine, study.profile.id, actor=identity.current_actor()).history()
    readiness_summary(readiness(history))


def topic_chart(forecast: RecallForecast, content: Bank, key: str) -> None:
    st.plotly_chart(
        charts.forecast_chart(forecast.by_topic, titles(content, forecast.by_topic, False)), key=key
    )


def concept_chart(forecast: RecallForecast, content: Bank, key: str) -> None:
    weakest = tuple(sorted(forecast.by_concept, key=lambda g: g.mean))
    st.plotly_chart(charts.forecast_chart(weakest, titles(content, weakest, True)), key=key)


def histogram(forecast: RecallForecast, key: str) -> None:
    st.plotly_chart(charts.recall_histogram(list(forecast.recalls.values())), key=key)


def _weakest_topics(forecast: RecallForecast, content: Bank) -> str:
    names = titles(content, forecast.by_topic, False)
    lines = [
        f"- {names[g.name]}: **{g.mean:.0%}** (90 % range {g.low:.0%}–{g.high:.0%}, {g.cards} cards"
        + (f", {g.unseen} not started)" if g.unseen else ")")
        for g in sorted(forecast.by_topic, key=lambda g: g.mean)[:WEAKEST_SHOWN]
    ]
    return "**Weakest topics on exam day**\n" + "\n".join(lines)


def study_page_forecast(study: Study, content: Bank) -> None:
    """Study page: with an exam date ahead, a folded "Exam-day forecast" whose title carries the
    expected recall and its 90 % range; opened, the headline figures, the weakest topics and the
    mock-exam readiness, with the way to the full forecast. Nothing without an exam date."""
    at = exam_ahead(study.settings)
    if at is None:
        return
    forecast = forecast_for(study, content, at)
    overall = forecast.overall
    if overall.unseen >= overall.cards:
        # "0 % recall expected (range 0–0 %)" is true but reads like a verdict on someone who
        # has not begun: say what is ahead instead.
        label = f"Exam-day forecast: no cards started yet, **{overall.cards}** to learn before the exam"
    else:
        label = (
            f"Exam-day forecast: **{overall.mean:.0%}** recall expected "
            f"(90 % range {overall.low:.0%}–{overall.high:.0%})"
            + (f", {overall.unseen} cards not started" if overall.unseen else "")
        )
    # on_change="rerun": the details run only while the expander is open, not on every card.
    with st.expander(label, icon=":material/event:", key=STUDY_EXPANDER_KEY, on_change="rerun") as box:
        if not box.open:
            return
        # Sentences rather than metric boxes: on a phone four boxes pushed the card off the screen.
        exam_date = study.settings.exam_date
        assert exam_date is not None  # exam_ahead found its day
        days = (exam_date - study_date(utcnow(), study.settings)).days
        st.markdown(
            f"On exam day ({exam_date:%a %d %B}, in {days} day{'s' if days != 1 else ''}): "
            f"**{overall.at_least_0_9:.0%}** of the cards at 0.9 or more, the median card at "
            f"{overall.median:.0%}, **{overall.unseen}** not started. 9 times out of 10 the share "
            "you recall falls in the range above, if you stopped reviewing now."
        )
        st.markdown(_weakest_topics(forecast, content))
        st.markdown("**Mock-exam readiness**")
        mock_exam_readiness(study)
        st.page_link(
            pages.EXAM_PLAN, label="Forecast by topic and concept, and your plan", icon=":material/event:"
        )


def progress_forecast(study: Study, content: Bank) -> None:
    """Progress page: with an exam date ahead, the forecast by topic, every card's predicted recall
    and the mock-exam readiness; the Exam plan page adds concepts and the plan."""
    at = exam_ahead(study.settings)
    if at is None:
        st.page_link(
            pages.EXAM_PLAN, label="Set an exam date for a readiness forecast", icon=":material/event:"
        )
        return
    forecast = forecast_for(study, content, at)
    when = f"on exam day ({study.settings.exam_date:%d %B})"
    st.subheader(f"Readiness forecast {when}")
    headline(forecast, when, key="progress_forecast_headline")
    st.markdown("**Predicted recall by topic**")
    topic_chart(forecast, content, key="progress_forecast_topics")
    left, right = st.columns(2)
    with left:
        st.markdown("**Every card's predicted recall**")
        histogram(forecast, key="progress_forecast_histogram")
    with right:
        st.markdown("**Mock-exam readiness**")
        mock_exam_readiness(study)
    st.caption(RANGE_NOTE)
    st.page_link(pages.EXAM_PLAN, label="By concept, and your plan, on Exam plan", icon=":material/event:")
