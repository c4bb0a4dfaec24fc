"""Progress page: answers per day, due forecast, retention by topic, and retention statistics as
Anki shows them (true retention of young and mature cards, calibration)."""

from __future__ import annotations

import streamlit as st

from trainer.charts import retention as retention_charts
from trainer.charts import study as charts
from trainer.store.types import utcnow
from trainer.study import retention, stats
from trainer.study.scheduling import study_date
from trainer.ui import common, pages, study_forecast

st.title(":material/monitoring: Progress")
profile = common.require_profile()
assert profile.id is not None  # a stored profile always has its id
common.sidebar_profile(profile)
study = common.study_for(profile)
engine = common.engine()
content = common.bank()

numbers = stats.totals(engine, profile.id)
cols = st.columns(4)
cols[0].metric("Answers given", numbers.get("reviews", 0))
cols[1].metric("Cards in review", numbers.get("review", 0))
cols[2].metric("Learning", numbers.get("learn", 0))
cols[3].metric("Not started", numbers.get("new", 0))

if not numbers.get("reviews"):
    st.info("No reviews yet. Study a few cards and your charts appear here.", icon=":material/monitoring:")
    st.page_link(pages.STUDY, label="Start studying", icon="🧠")
    st.stop()

per_day = stats.reviews_per_day(engine, profile.id, study.settings)
st.plotly_chart(charts.reviews_chart(per_day), key="chart_reviews")
forecast = stats.due_forecast(engine, profile.id, study.settings)
st.plotly_chart(charts.forecast_chart(forecast), key="chart_forecast")
by_topic = stats.retention_by_topic(engine, profile.id, study.settings)
titles = {t: content.topic_title(t) for t in content.topics}
st.plotly_chart(charts.retention_chart(by_topic, titles), key="chart_retention")
st.caption(
    "Actual retention: share of reviews of graduated cards not rated Again (last 30 days). "
    "Predicted recall: FSRS's estimate, now, averaged over the topic's studied cards."
)

st.subheader("Retention statistics")
scored = retention.scored_profile_reviews(engine, profile.id, study.settings)
if not scored:
    st.caption("True retention and calibration appear once cards come back for their first review.")
else:
    today = study_date(utcnow(), study.settings)
    period = (
        st.segmented_control(
            "Group by",
            list(retention.Period),
            format_func=lambda p: p.label,
            default=retention.Period.DAY,
            key="retention_period",
        )
        or retention.Period.DAY
    )
    desired = study.settings.desired_retention
    counts = retention.true_retention(scored, study.settings, period, today)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**True retention, {period.label.lower()}**")
        st.plotly_chart(
            retention_charts.true_retention_chart(counts, desired, period), key="chart_true_retention"
        )
    with right:
        st.markdown("**Calibration: predicted recall against what happened**")
        st.plotly_chart(
            retention_charts.calibration_chart(retention.calibration(scored)), key="chart_calibration"
        )

    def share(value: float | None, reviews: int) -> str:
        return "—" if value is None else f"{value:.1%} ({reviews})"

    table = retention.retention_table(scored, study.settings, today)
    st.dataframe(
        {
            "": [row.label for row in table],
            "Young": [share(row.counts.young, row.counts.young_reviews) for row in table],
            "Mature": [share(row.counts.mature, row.counts.mature_reviews) for row in table],
            "Total": [share(row.counts.total, row.counts.reviews) for row in table],
        },
        hide_index=True,
        width="stretch",
        key="retention_table",
    )
    st.caption(
        f"True retention: the share of reviews of cards in review not rated Again (reviews in "
        f"brackets), against your desired retention of {desired:.0%}. Young: the card's interval "
        "before the review was under 21 days; mature: 21 days or more; a point grows with its reviews. "
        "Calibration: FSRS's predicted "
        "recall at each review, binned, against the share actually recalled; points near the "
        "diagonal mean the predictions fit you (Exam plan → Fit my parameters improves them)."
    )
study_forecast.progress_forecast(study, content)
