"""Progress page: answers per day, due forecast, retention by topic."""

from __future__ import annotations

import streamlit as st

from trainer.charts import study as charts
from trainer.study import stats
from trainer.ui import common, pages

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
retention = stats.retention_by_topic(engine, profile.id, study.settings)
titles = {t: content.topic_title(t) for t in content.topics}
st.plotly_chart(charts.retention_chart(retention, titles), key="chart_retention")
st.caption(
    "Actual retention: share of reviews of graduated cards not rated Again (last 30 days). "
    "Predicted recall: FSRS's estimate, now, averaged over the topic's studied cards."
)
