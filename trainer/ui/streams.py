"""Stream event sources: play with a Kinesis or DynamoDB stream feeding a Lambda function.

The simulation is ``trainer.explainers.streams``, the charts ``trainer.charts.streams``; this page
gathers the settings at the top of the main column (the preset picker and a folded "Settings"
expander with one tab per group: a phone folds the sidebar away), runs the (cached) simulation
and shows the animated chart, the numbers and, when there is a poison record, its lane batch by
batch.

URL state: the query carries every setting (``trainer.explainers.streams.links``) and
``preset=<id>`` while the settings are a preset's, so a copied address reproduces the view. The
page reads the URL only when it changed since the page last wrote it; a link that cannot be
read gets one plain warning and the defaults.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.streams import build_figure, poison_lane_figure
from trainer.explainers.streams import limits
from trainer.explainers.streams.links import from_query, to_query
from trainer.explainers.streams.presets import PRESETS
from trainer.explainers.streams.results import StreamResult
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.streams.simulation import simulate
from trainer.explainers.traffic import SimulationError
from trainer.ui.common import render_back_links
from trainer.ui.explainer_state import ExplainerState

PAGE = "streams"
_P = "streams_"  # session_state and widget-key prefix


# --- Settings <-> widget values -------------------------------------------------------------


def widget_values(s: StreamSettings) -> dict[str, Any]:
    """The value of every control for these settings (keys without the prefix)."""
    return {
        "shards": int(s.shards),
        "factor": int(s.parallelization_factor),
        "rate": float(s.records_per_second),
        "keys": int(s.partition_keys),
        "batch": int(s.batch_size),
        "window": int(s.window_s),
        "duration": float(s.duration_ms),
        "seconds": int(s.seconds),
        "poison_on": s.poison_at_s is not None,
        "poison_at": float(s.poison_at_s if s.poison_at_s is not None else min(30.0, s.seconds / 2)),
        "bisect": bool(s.bisect),
        "rbif": bool(s.report_batch_item_failures),
        "retries_on": s.max_retry_attempts != limits.INFINITE,
        "retries": int(s.max_retry_attempts if s.max_retry_attempts != limits.INFINITE else 2),
        "age_on": s.max_record_age_s != limits.INFINITE,
        "age": int(s.max_record_age_s if s.max_record_age_s != limits.INFINITE else 60),
        "dest": bool(s.on_failure_destination),
    }


def settings_from(v: dict[str, Any]) -> StreamSettings:
    """The settings from control values (the inverse of :func:`widget_values`)."""
    return StreamSettings(
        shards=int(v["shards"]),
        parallelization_factor=int(v["factor"]),
        records_per_second=float(v["rate"]),
        partition_keys=int(v["keys"]),
        batch_size=int(v["batch"]),
        window_s=int(v["window"]),
        duration_ms=float(v["duration"]),
        seconds=int(v["seconds"]),
        poison_at_s=float(v["poison_at"]) if v["poison_on"] else None,
        bisect=bool(v["bisect"]),
        report_batch_item_failures=bool(v["rbif"]),
        max_retry_attempts=int(v["retries"]) if v["retries_on"] else limits.INFINITE,
        max_record_age_s=int(v["age"]) if v["age_on"] else limits.INFINITE,
        on_failure_destination=bool(v["dest"]),
    )


# Every control's value is also kept in a model dict (``streams_model``) while a control is hidden.
STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=StreamSettings,
    widget_values=widget_values,
    notice_name="link_problem",
    model_name="model",
)


# --- Controls -----------------------------------------------------------------------------


def _number(label: str, key: str, lo: float, hi: float, step: float, **kw: Any) -> Any:
    kind = int if isinstance(step, int) else float
    st.session_state[_P + key] = kind(min(max(st.session_state[_P + key], lo), hi))
    return st.number_input(label, min_value=lo, max_value=hi, step=step, key=_P + key, **kw)


_SECTIONS = ["Stream", "Mapping", "Errors", "Run"]


def _controls() -> None:
    """The preset picker and the settings, at the top of the main column (see settings_panel)."""
    stream, mapping, errors, run = STATE.settings_panel(_SECTIONS)
    with stream:
        _number("Shards", "shards", 1, limits.MAX_SHARDS, 1)
        _number(
            "Records per second, per shard",
            "rate",
            0.0,
            limits.MAX_RECORDS_PER_SHARD_PER_S,
            10.0,
            help="A Kinesis shard takes writes of at most 1,000 records per second.",
        )
        _number(
            "Partition keys per shard",
            "keys",
            1,
            limits.MAX_PARTITION_KEYS,
            1,
            help="Records with the same key are processed in order, one batch at a time.",
        )
    with mapping:
        _number("ParallelizationFactor", "factor", limits.MIN_PARALLELIZATION, limits.MAX_PARALLELIZATION, 1)
        _number("BatchSize", "batch", limits.MIN_BATCH_SIZE, limits.MAX_BATCH_SIZE, 10)
        _number("MaximumBatchingWindowInSeconds", "window", 0, limits.MAX_BATCHING_WINDOW_S, 1)
        _number("Function duration per batch (ms)", "duration", 1.0, float(limits.MAX_DURATION_MS), 50.0)
    with errors:
        if st.checkbox("A poison record arrives in shard 0", key=_P + "poison_on"):
            _number("… written at (s)", "poison_at", 0.0, float(limits.MAX_SECONDS - 1), 1.0)
        st.checkbox("BisectBatchOnFunctionError", key=_P + "bisect")
        st.checkbox("ReportBatchItemFailures", key=_P + "rbif")
        if st.checkbox("Limit MaximumRetryAttempts (else −1, infinite)", key=_P + "retries_on"):
            _number("MaximumRetryAttempts", "retries", 0, limits.MAX_RETRY_ATTEMPTS, 1)
        if st.checkbox("Limit MaximumRecordAgeInSeconds (else −1)", key=_P + "age_on"):
            _number("MaximumRecordAgeInSeconds", "age", limits.MIN_RECORD_AGE_S, limits.MAX_RECORD_AGE_S, 60)
        st.checkbox("On-failure destination (SQS, SNS or S3)", key=_P + "dest")
    with run:
        _number("Simulated seconds", "seconds", 1, limits.MAX_SECONDS, 60)


# --- Running and showing --------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_simulation(settings: StreamSettings) -> StreamResult:
    return simulate(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def figures_for(settings: StreamSettings) -> tuple[go.Figure, go.Figure | None]:
    """Cached as a resource: copying figures through pickle would re-validate them."""
    result = run_simulation(settings)
    return build_figure(result), poison_lane_figure(result)


def _metrics(result: StreamResult) -> None:
    m, s = result.summary, result.settings
    cols = st.columns(4)
    cols[0].metric(
        "Peak concurrency",
        f"{m.max_concurrency:,} of {m.concurrency_limit:,}",
        help=f"At most shards × ParallelizationFactor = {s.shards} × {s.parallelization_factor} "
        "batches run at once.",
    )
    cols[1].metric(
        "Max IteratorAge",
        _seconds(m.max_iterator_age_s),
        help="Age of the newest record in a batch when Lambda sent it: how far behind the stream "
        f"the mapping is. The longest any record waited was {_seconds(m.max_record_wait_s)}.",
    )
    cols[2].metric(
        "Records processed",
        f"{m.records_processed:,}",
        help=f"{m.records_written:,} written; {m.backlog_at_end:,} still waiting at the end.",
    )
    cols[3].metric(
        "To the destination" if s.on_failure_destination else "Discarded (lost)",
        f"{m.records_discarded:,}",
        help="Records of batches Lambda gave up on. The destination receives the batch's details "
        "(shard, sequence numbers), not the records themselves.",
    )
    more = st.columns(4)
    more[0].metric("Invocations", f"{m.invocations:,}", help=f"{m.failed_invocations:,} of them failed")
    more[1].metric(
        "Batches retried", f"{m.batches_retried:,}", help="Resent failed batches, halves included."
    )
    more[2].metric("Backlog at the end", f"{m.backlog_at_end:,}")
    if m.poison_invocations is not None and m.poison_discarded_at_s is not None:
        more[3].metric(
            "Poison record dropped",
            f"{m.poison_discarded_at_s:,.1f} s",
            help=f"after {m.poison_invocations} invocations of its lane",
        )
    elif s.poison_at_s is not None:
        more[3].metric("Poison record", "still blocking", help="Its shard is stuck until the end of the run.")


def _seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.1f} s"


def _how_it_works() -> None:
    with st.expander("How the simulator works"):
        st.markdown(
            "- Every shard receives records at the same steady rate, spread over its partition "
            "keys in turn. Lambda reads each shard with up to **ParallelizationFactor** batches "
            "in flight; each key always goes to the same one, so a key's records stay in order.\n"
            "- A batch leaves when it holds **BatchSize** records or the **batching window** has "
            "passed, whichever comes first (at once with a 0 s window). An invocation takes the "
            "duration you set, whatever the batch size. Polling delay and the 6 MB payload limit "
            "are left out.\n"
            "- **IteratorAge** is the age of the newest record in a batch when Lambda sends it.\n"
            "- A **poison record** makes every batch holding it fail. Lambda retries the batch at "
            "once until **MaximumRetryAttempts** retries are used or the batch is older than "
            "**MaximumRecordAgeInSeconds** (−1: never, until the record leaves the stream), then "
            "discards it and sends its details to the **on-failure destination**.\n"
            "- **BisectBatchOnFunctionError** splits a failed batch in two and retries each half; "
            "splits do not use up retries. **ReportBatchItemFailures** checkpoints the records "
            "before the first failed one and retries from there.\n\n"
            "Sources: *Using Lambda with Amazon Kinesis* and the *CreateEventSourceMapping* API "
            "reference in the AWS Lambda Developer Guide."
        )


def main() -> None:
    st.title(":material/waves: Stream event sources")
    st.markdown(
        "Kinesis and DynamoDB Streams feeding a Lambda function: shards and ParallelizationFactor, "
        "batching, IteratorAge, and what one bad record does to its shard. Choose a preset or open "
        "**Settings** below to change it, then press **▶ Play**."
    )
    STATE.read_link(from_query)
    STATE.restore_hidden()
    _controls()
    chosen = STATE.chosen
    problem = STATE.notice
    if problem:
        st.warning(problem, icon=":material/link_off:")
    settings = settings_from(STATE.remember())
    preset = STATE.unchanged_preset(settings)
    STATE.explain_preset(changed=preset is None)
    STATE.write_url(to_query(settings, preset))
    try:
        result = run_simulation(settings)
        timeline, lane = figures_for(settings)
    except SimulationError as exc:
        st.error(str(exc).replace("\n", "\n\n"), icon=":material/block:")
        return
    st.plotly_chart(timeline, key=_P + "chart", config={"displayModeBar": False})
    _metrics(result)
    if lane is not None:
        st.plotly_chart(lane, key=_P + "lane", config={"displayModeBar": False})
    st.caption("The address bar holds every setting: copy it to share exactly this view.")
    _how_it_works()
    if chosen in PRESETS:
        render_back_links(PAGE, chosen, "Cards about this idea")


main()
