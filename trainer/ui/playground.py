"""Concurrency playground: play with Lambda concurrency, throttles, cold starts and retries.

All the simulation is in ``trainer.explainers.concurrency`` and the chart in
``trainer.charts.concurrency``; this page gathers the settings at the top of the main column (a
preset picker and a folded "Settings" expander with one tab per group: the sidebar is out of
sight on a phone), runs the (cached) simulation, and shows the animated chart and the numbers.

URL state: ``?preset=<id>`` loads a preset; choosing another preset rewrites it. Widget values
live in a model dict in ``st.session_state`` as well as under the widget keys, because
Streamlit forgets the state of widgets that are not drawn in a run (the SQS controls while
"synchronous" is chosen, for example) and we want them back when they reappear.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.concurrency import build_figure
from trainer.explainers.concurrency import limits
from trainer.explainers.concurrency.durations import DurationDist
from trainer.explainers.concurrency.presets import PRESETS
from trainer.explainers.concurrency.results import SimulationResult
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.concurrency.simulation import simulate
from trainer.explainers.traffic import Load, LoadKind, SimulationError, parse_rates_csv
from trainer.ui.common import render_back_links
from trainer.ui.explainer_state import ExplainerState
from trainer.ui.plain import plain

PAGE = "playground"
_P = "pg_"  # session_state prefix
_MISSING = object()

_SHAPES = [k.value for k in LoadKind]
_OTHER_SHAPES = [LoadKind.STEADY.value, LoadKind.SPIKE.value, LoadKind.RAMP.value, LoadKind.WAVE.value]


# --- Settings <-> widget values -------------------------------------------------------------


def widget_values(s: PlaygroundSettings) -> dict[str, Any]:
    """The value of every control for these settings (keys without the prefix)."""
    t, o = s.traffic, s.other_load
    return {
        "pattern": t.kind.value,
        "rate": float(t.level),
        "peak": float(t.peak if t.kind is not LoadKind.STEADY else 2 * t.level),
        "start": float(t.start_s),
        "length": float(t.length_s),
        "duration_ms": float(s.duration_ms),
        "dist": s.duration_dist.value,
        "p99_ms": float(s.p99_ms),
        "memory": int(s.memory_mb),
        "init_ms": float(s.init_ms),
        "reclaim": float(s.idle_reclaim_s),
        "account": int(s.account_limit),
        "other_kind": o.kind.value if o.kind.value in _OTHER_SHAPES else LoadKind.STEADY.value,
        "other_level": float(o.level),
        "other_peak": float(o.peak),
        "other_start": float(o.start_s),
        "other_length": float(o.length_s),
        "reserved_on": s.reserved is not None,
        "reserved": int(s.reserved if s.reserved is not None else 100),
        "provisioned": int(s.provisioned),
        "invocation": s.invocation.value,
        "caller_retries": int(s.caller_retries),
        "error_pct": float(100 * s.error_rate),
        "max_age": int(s.max_event_age_s),
        "max_retry": int(s.max_retry_attempts),
        "batch": int(s.batch_size),
        "window": int(s.batching_window_s),
        "maxconc_on": s.max_concurrency is not None,
        "maxconc": int(s.max_concurrency or 1000),
        "seconds": int(s.seconds),
        "seed": int(s.seed),
    }


def settings_from(v: dict[str, Any], csv_values: tuple[float, ...] = ()) -> PlaygroundSettings:
    """The playground settings from control values (the inverse of :func:`widget_values`)."""
    kind = LoadKind(v["pattern"])
    traffic = Load(
        kind,
        level=v["rate"],
        peak=v["peak"],
        start_s=v["start"],
        length_s=v["length"],
        values=csv_values if kind is LoadKind.CSV else (),
    )
    other = Load(
        LoadKind(v["other_kind"]),
        level=v["other_level"],
        peak=v["other_peak"],
        start_s=v["other_start"],
        length_s=v["other_length"],
    )
    return PlaygroundSettings(
        traffic=traffic,
        seconds=int(v["seconds"]),
        seed=int(v["seed"]),
        duration_ms=v["duration_ms"],
        duration_dist=DurationDist(v["dist"]),
        duration_p99_ms=v["p99_ms"],
        memory_mb=int(v["memory"]),
        init_ms=v["init_ms"],
        idle_reclaim_s=v["reclaim"],
        account_limit=int(v["account"]),
        other_load=other,
        reserved=int(v["reserved"]) if v["reserved_on"] else None,
        provisioned=int(v["provisioned"]),
        invocation=Invocation(v["invocation"]),
        caller_retries=int(v["caller_retries"]),
        error_rate=v["error_pct"] / 100.0,
        max_event_age_s=int(v["max_age"]),
        max_retry_attempts=int(v["max_retry"]),
        batch_size=int(v["batch"]),
        batching_window_s=int(v["window"]),
        max_concurrency=int(v["maxconc"]) if v["maxconc_on"] else None,
    )


STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=PlaygroundSettings,
    widget_values=widget_values,
    model_name="model",
)


# --- Presets and the URL --------------------------------------------------------------------


def _apply_query() -> str | None:
    """Load the preset the URL names when the URL changed; returns an unknown id, if any.

    Only ``preset=<id>`` is in this page's URL (the settings are not), so it is read here
    rather than with ``ExplainerState.read_url``.
    """
    wanted = st.query_params.get("preset")
    if wanted == st.session_state.get(STATE.seen_key, _MISSING):
        return wanted if wanted and wanted not in PRESETS else None
    st.session_state[STATE.seen_key] = wanted
    if wanted in PRESETS:
        STATE.load(PRESETS[wanted].settings, wanted)
        return None
    STATE.load(PlaygroundSettings(), None)
    return wanted


def _on_preset() -> None:
    STATE.on_preset()
    chosen = STATE.chosen
    if chosen in PRESETS:
        st.query_params["preset"] = chosen
        st.session_state[STATE.seen_key] = chosen
    else:
        if "preset" in st.query_params:
            del st.query_params["preset"]
        st.session_state[STATE.seen_key] = None


# --- Controls -------------------------------------------------------------------------------

_CLAMPED = _P + "clamped"  # (control name, message) after a typed value was out of range


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _clamp(key: str, label: str, lo: float, hi: float) -> None:
    """on_change of a number input: a typed value out of range is brought into it, with a message.

    The limits are checked here rather than by the widget's min and max: the browser refuses an
    out-of-range number silently (a red border, the old value kept), which reads as "the page
    ignored me".
    """
    value = st.session_state[_P + key]
    if value is None or lo <= value <= hi:
        return
    kept = hi if value > hi else lo
    bound = "at most" if value > hi else "at least"
    st.session_state[_P + key] = type(value)(kept)
    st.session_state[_CLAMPED] = (
        key,
        f"{label} can be {bound} {_amount(kept)}: {_amount(value)} was changed to {_amount(kept)}.",
    )


def _number(label: str, key: str, lo: float, hi: float, step: float, **kw: Any) -> Any:
    if isinstance(step, int):
        st.session_state[_P + key] = int(st.session_state[_P + key])
    else:
        st.session_state[_P + key] = float(st.session_state[_P + key])
    value = st.number_input(label, step=step, key=_P + key, on_change=_clamp, args=(key, label, lo, hi), **kw)
    clamped = st.session_state.get(_CLAMPED)
    if clamped and clamped[0] == key:
        st.warning(clamped[1], icon=":material/straighten:")
        del st.session_state[_CLAMPED]
    return value


_SECTIONS = ["Traffic", "Function", "Limits", "Invocation", "Run"]


def _controls() -> tuple[float, ...]:
    """Draw the preset picker and the settings; returns the CSV values if a CSV pattern is in use."""
    traffic, function, limit, invocation, run = STATE.settings_panel(_SECTIONS, on_preset=_on_preset)
    with traffic:
        csv_values = _traffic_controls()
    with function:
        _function_controls()
    with limit:
        _limit_controls()
    with invocation:
        _invocation_controls()
    with run:
        _number("Simulated seconds", "seconds", 1, limits.MAX_SECONDS, 60)
        _number("Random seed", "seed", 0, 2**31 - 1, 1)
    return csv_values


def _traffic_controls() -> tuple[float, ...]:
    kind = st.selectbox("Pattern", _SHAPES, key=_P + "pattern", format_func=lambda k: LoadKind(k).label)
    if kind == LoadKind.CSV.value:
        return _csv_upload()
    label = "Requests per second" if kind == "steady" else "Base requests per second"
    _number(label, "rate", 0.0, limits.MAX_RATE, 10.0)
    if kind != LoadKind.STEADY.value:
        _number("Peak requests per second", "peak", 0.0, limits.MAX_RATE, 10.0)
    if kind in (LoadKind.SPIKE.value, LoadKind.RAMP.value):
        c1, c2 = st.columns(2)
        with c1:
            _number("Starts at (s)", "start", 0.0, float(limits.MAX_SECONDS), 10.0)
        with c2:
            _number(
                "Lasts (s)",
                "length",
                0.0,
                float(limits.MAX_SECONDS),
                10.0,
                help="For a ramp, 0 means until the end of the run.",
            )
    if kind == LoadKind.WAVE.value:
        st.caption("One whole day's cycle, compressed into the simulated time.")
    return ()


def _csv_upload() -> tuple[float, ...]:
    upload = st.file_uploader("Per-second rates (CSV, one per line)", type=["csv", "txt"], key=_P + "csv")
    if upload is None:
        return ()
    try:
        return parse_rates_csv(upload.getvalue().decode("utf-8", "replace"))
    except SimulationError as exc:
        st.error(plain(exc, 300))  # quotes the file's own cells
        return ()


def _function_controls() -> None:
    _number("Mean duration (ms)", "duration_ms", 1.0, float(limits.MAX_DURATION_MS), 10.0)
    dist = st.selectbox("Duration distribution", [d.value for d in DurationDist], key=_P + "dist")
    if dist == DurationDist.LOGNORMAL.value:
        _number("p99 duration (ms)", "p99_ms", 1.0, float(limits.MAX_DURATION_MS), 10.0)
    _number("Memory (MB)", "memory", 128, 10_240, 64)
    _number("Cold-start init time (ms)", "init_ms", 0.0, float(limits.MAX_INIT_MS), 50.0)
    _number(
        "Idle environments reclaimed after (s)",
        "reclaim",
        1.0,
        float(limits.MAX_SECONDS),
        30.0,
        help="The simulator's assumption: AWS does not publish how long an idle environment is kept.",
    )


def _limit_controls() -> None:
    _number("Account concurrency limit", "account", 100, limits.MAX_ACCOUNT_LIMIT, 100)
    other = st.selectbox(
        "Other functions' load",
        _OTHER_SHAPES,
        key=_P + "other_kind",
        format_func=lambda k: LoadKind(k).label,
    )
    _number("Other functions' concurrency", "other_level", 0.0, float(limits.MAX_ACCOUNT_LIMIT), 10.0)
    if other != LoadKind.STEADY.value:
        _number("… at its peak", "other_peak", 0.0, float(limits.MAX_ACCOUNT_LIMIT), 10.0)
    if other in (LoadKind.SPIKE.value, LoadKind.RAMP.value):
        c1, c2 = st.columns(2)
        with c1:
            _number("Starts at (s)", "other_start", 0.0, float(limits.MAX_SECONDS), 10.0)
        with c2:
            _number("Lasts (s)", "other_length", 0.0, float(limits.MAX_SECONDS), 10.0)
    if st.checkbox("Reserve concurrency for this function", key=_P + "reserved_on"):
        _number("Reserved concurrency", "reserved", 0, limits.MAX_ACCOUNT_LIMIT, 10)
    _number("Provisioned concurrency", "provisioned", 0, limits.MAX_ACCOUNT_LIMIT, 10)


def _invocation_controls() -> None:
    how = st.radio(
        "Invocation type",
        [i.value for i in Invocation],
        key=_P + "invocation",
        format_func=lambda i: Invocation(i).label,
    )
    if how == Invocation.SYNC.value:
        _number(
            "Caller retries after a 429",
            "caller_retries",
            0,
            limits.MAX_CALLER_RETRIES,
            1,
            help="The caller's choice: exponential backoff with jitter from 100 ms.",
        )
    elif how == Invocation.ASYNC.value:
        _number(
            "Error rate (% of attempts)",
            "error_pct",
            0.0,
            100.0,
            1.0,
            help="Share of attempts where the function returns an error.",
        )
        _number("MaximumEventAgeInSeconds", "max_age", 0, 100_000, 60)
        _number("MaximumRetryAttempts", "max_retry", 0, 10, 1)
    else:
        _number("BatchSize", "batch", 1, 100_000, 10)
        _number("MaximumBatchingWindowInSeconds", "window", 0, 1_000, 1)
        if st.checkbox("Set MaximumConcurrency", key=_P + "maxconc_on"):
            _number("MaximumConcurrency", "maxconc", 0, 10_000, 10)


# --- Running and showing --------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_simulation(settings: PlaygroundSettings) -> SimulationResult:
    return simulate(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def figure_for(settings: PlaygroundSettings) -> go.Figure:
    """The figure is cached as a resource: copying it through pickle would re-validate it."""
    return build_figure(run_simulation(settings))


def _percent(x: float) -> str:
    return f"{100 * x:.2f} %" if x < 0.1 else f"{100 * x:.1f} %"


def _metrics(result: SimulationResult) -> None:
    m, s = result.summary, result.settings
    attempts = m.throttled + m.invocations
    cols = st.columns(4)
    cols[0].metric(
        "Throttle share",
        _percent(m.throttle_fraction),
        help=f"{m.throttled:,} of {attempts:,} attempts got a 429"
        + (" (each retry counts as an attempt)" if s.invocation.value != "sync" or s.caller_retries else ""),
    )
    cols[1].metric(
        "Cold-start share",
        _percent(m.cold_start_fraction),
        help=f"{m.cold_starts:,} of {m.invocations:,} invocations",
    )
    cols[2].metric(
        "p99 added latency",
        _latency(m.p99_added_latency_ms),
        help="Time added on top of the handler: cold-start init, waiting in a queue "
        "and retry backoff. 99 % of successful requests waited less.",
    )
    cols[3].metric(
        "Cost per day",
        f"${m.cost_per_day_usd:,.2f}",
        help=f"us-east-1 x86 prices, this traffic all day. On-demand "
        f"${m.cost_on_demand_usd:,.4f} and provisioned "
        f"${m.cost_provisioned_usd:,.4f} for the simulated "
        f"{s.seconds:,} s.",
    )
    more = st.columns(4)
    more[0].metric("Peak concurrency", f"{m.peak_concurrency:,}", help=f"mean {m.mean_concurrency:,.1f}")
    if m.erlang_b is not None:
        more[1].metric(
            "Erlang-B predicts",
            _percent(m.erlang_b),
            help=f"Throttle share of a loss system with offered load "
            f"{m.offered_load:g} (rate × mean duration) and this limit. "
            "Cold starts and the scaling rate are not in the formula.",
        )
    if s.invocation is Invocation.ASYNC:
        more[2].metric("Sent to the DLQ", f"{m.dlq:,}", help=f"{m.errors:,} failed attempts")
        more[3].metric(
            "Oldest waiting event",
            f"{m.max_oldest_age_s:,.0f} s",
            help=f"largest queue depth {m.max_queue_depth:,}",
        )
    elif s.invocation is Invocation.SQS:
        more[2].metric("Largest SQS backlog", f"{m.max_queue_depth:,}")
        more[3].metric("Oldest waiting message", f"{m.max_oldest_age_s:,.0f} s")
    elif s.caller_retries:
        more[2].metric("Gave up after retries", f"{m.failed:,}")


def _latency(ms: float) -> str:
    return f"{ms:,.0f} ms" if ms < 10_000 else f"{ms / 1000:,.0f} s"


def _how_it_works() -> None:
    with st.expander("How the simulator works"):
        st.markdown(
            "- Requests arrive at random (a Poisson process) following the traffic pattern; "
            "each takes a random time from the duration distribution.\n"
            "- An execution environment serves one request at a time. No idle environment "
            "means a **cold start**: the init time is added before the handler runs. The most "
            "recently freed environment is reused first, and one left idle for the reclaim "
            "time is gone.\n"
            "- The function may run **reserved concurrency** requests at once if set, "
            "otherwise what the account limit leaves after other functions. At most 1,000 new "
            "environments per 10 seconds. Anything over a limit is **throttled** (429).\n"
            "- **Provisioned** environments are always initialised and are used first.\n"
            "- **Asynchronous** events that are throttled come back after a backoff that "
            "grows from 1 s to at most 5 minutes (here it doubles: 1, 2, 4 … s); failed ones "
            "after about 1 and then 2 minutes. Out of retries or older than the maximum event "
            "age: off to the dead-letter queue.\n"
            "- **SQS**: a batch leaves when it is full or its oldest message has waited the "
            "batching window. The mapping starts with 5 concurrent batches and adds up to 300 "
            "a minute (5 a second here) while messages wait. Each message takes the duration; "
            "a batch takes the "
            "sum. In this model the mapping never exceeds the function's free concurrency.\n"
            "- Cost: us-east-1 x86 prices for requests, GB-seconds, and provisioned "
            "concurrency; init time is not billed here.\n\n"
            "Check: with steady traffic, synchronous calls and a fixed limit, the throttle "
            "share should be close to the Erlang-B prediction shown under the chart."
        )


def main() -> None:
    st.title("⚡ Concurrency playground")
    st.markdown(
        "Reserved and provisioned concurrency, throttles, cold starts, async retries "
        "and SQS batching. Pick a preset or open **Settings** below to change anything, "
        "then press **▶ Play** above the chart."
    )
    unknown = _apply_query()
    STATE.restore_hidden()
    csv_values = _controls()
    values = STATE.remember()
    preset = STATE.chosen
    if unknown:
        st.warning(STATE.unknown_preset_notice(unknown))
    if preset in PRESETS:
        p = PRESETS[preset]
        st.info(f"**{p.title}.** {p.idea}\n\n**What to watch:** {p.watch}", icon=":material/lightbulb:")
    try:
        settings = settings_from(values, csv_values).canonical()
        if preset in PRESETS and settings != PRESETS[preset].settings.canonical():
            st.caption(
                "You changed the preset's settings: the explanation above is about "
                "the original ones. *Reset to the preset's settings* brings them back."
            )
        if settings.traffic.kind is LoadKind.CSV and not csv_values:
            st.info("Upload a CSV of per-second request rates in **Settings → Traffic**.")
            return
        result = run_simulation(settings)
        figure = figure_for(settings)
    except SimulationError as exc:
        st.error(str(exc).replace("\n", "\n\n"), icon=":material/block:")
        return
    st.plotly_chart(figure, key=_P + "chart", config={"displayModeBar": False})
    _metrics(result)
    _how_it_works()
    if preset in PRESETS:
        render_back_links(PAGE, preset, "Cards about this idea")


main()
