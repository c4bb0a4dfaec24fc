"""Connection reuse: what opening a connection costs an invocation, and what a burst costs a database.

The model is ``trainer.explainers.connections`` and the charts ``trainer.charts.connections``;
this page gathers the settings at the top of the main column (the preset picker and a folded
"Settings" expander with one tab per group: a phone folds the sidebar away), draws one
invocation's timeline and the run, and names every modelling choice AWS does not document next
to the value it uses.

URL state: every setting is in the query (``to_query``/``from_query``), plus ``preset=<id>``
while the settings are a preset's, so a shared link reproduces the view. A link naming an
unknown preset or carrying a value the model refuses gets one plain warning and the defaults.
The URL is read only when it changed since the page last wrote it, so the page's own rewrites
never reset the controls. Every control is always drawn (disabled when it does not apply), so
Streamlit never forgets a value.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.connections import run_figure, timeline_figure
from trainer.explainers.connections import limits
from trainer.explainers.connections.presets import PRESETS
from trainer.explainers.connections.results import ConnectionResult
from trainer.explainers.connections.settings import (
    QUERY_KEYS,
    ConnectionMode,
    ConnectionSettings,
    Target,
    from_query,
    to_query,
)
from trainer.explainers.connections.simulation import simulate
from trainer.explainers.traffic import SimulationError
from trainer.ui.common import render_back_links
from trainer.ui.explainer_state import ExplainerState

PAGE = "connections"
_P = "conn_"  # session_state and widget-key prefix


# --- Settings <-> widget values -------------------------------------------------------------


def widget_values(s: ConnectionSettings) -> dict[str, Any]:
    """The value of every control (keys are the settings' field names)."""
    out: dict[str, Any] = {}
    for name in QUERY_KEYS:
        value = getattr(s, name)
        if isinstance(value, Target | ConnectionMode):
            out[name] = value.value
        elif isinstance(value, bool | int):
            out[name] = value
        else:
            out[name] = float(value)
    return out


def settings_from(v: dict[str, Any]) -> ConnectionSettings:
    changes = {name: v[name] for name in QUERY_KEYS}
    changes["target"] = Target(v["target"])
    changes["mode"] = ConnectionMode(v["mode"])
    return ConnectionSettings(**changes).canonical()


STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=ConnectionSettings,
    widget_values=widget_values,
    query_keys=QUERY_KEYS,
    canonical=ConnectionSettings.canonical,
)


def _from_link(query: dict[str, str], base: ConnectionSettings) -> ConnectionSettings:
    """A link's settings over ``base``; raises SimulationError when the model refuses them."""
    settings = from_query(query, base).canonical()
    settings.validate()
    return settings


# --- Controls -------------------------------------------------------------------------------


def _number(label: str, key: str, lo: float, hi: float, step: float, **kw: Any) -> None:
    whole = isinstance(step, int)
    current = st.session_state[_P + key]
    st.session_state[_P + key] = int(current) if whole else float(current)
    st.number_input(label, min_value=lo, max_value=hi, step=step, key=_P + key, **kw)


_ASSUMED = "Assumed: AWS does not publish this. Put in what you measured."


_SECTIONS = ["Function", "Handshake", "Environments", "Database", "Run"]


def _controls() -> None:
    """The preset picker and the settings, at the top of the main column (see settings_panel)."""
    function, handshake, environments, database, run = STATE.settings_panel(_SECTIONS)
    with function:
        target = st.radio(
            "It calls",
            [t.value for t in Target],
            key=_P + "target",
            format_func=lambda t: Target(t).label,
        )
        mode = st.radio(
            "Connection",
            [m.value for m in ConnectionMode],
            key=_P + "mode",
            format_func=lambda m: ConnectionMode(m).label,
        )
        st.checkbox(
            "TCP keep-alive on the kept connection",
            key=_P + "keep_alive",
            disabled=mode != ConnectionMode.REUSE.value,
            help="Keeps an idle connection from being dropped by a NAT gateway's idle timeout.",
        )
        _number(
            "Operation time on an open connection (ms)",
            "operation_ms",
            0.1,
            float(limits.MAX_OPERATION_MS),
            1.0,
        )
        _number(
            "Init time, without the connection (ms)",
            "init_ms",
            0.0,
            float(limits.MAX_INIT_MS),
            50.0,
            help="Runtime start-up and your init code on a cold start.",
        )
    rds = target == Target.RDS.value
    with handshake:
        st.caption(_ASSUMED)
        top = limits.MAX_LATENCY_MS
        _number("DNS lookup (ms)", "dns_ms", 0.0, top, 0.5, help=_ASSUMED)
        _number("Network round trip (ms)", "rtt_ms", 0.0, top, 0.5, help=_ASSUMED)
        _number(
            "TLS handshake round trips",
            "tls_round_trips",
            0,
            limits.MAX_ROUND_TRIPS,
            1,
            help="2 for a full TLS 1.2 handshake, 1 for TLS 1.3. Which version is negotiated "
            "depends on the client and the endpoint.",
        )
        _number("TLS crypto time in the function (ms)", "tls_cpu_ms", 0.0, top, 1.0, help=_ASSUMED)
        _number(
            "Database login round trips",
            "auth_round_trips",
            0,
            limits.MAX_ROUND_TRIPS,
            1,
            disabled=not rds,
        )
        _number(
            "Database session set-up (ms)",
            "server_setup_ms",
            0.0,
            top,
            1.0,
            disabled=not rds,
            help=_ASSUMED,
        )
    with environments:
        _number("Environments in use", "concurrency", 1, limits.MAX_CONCURRENCY, 10)
        _number("… from the jump on", "peak_concurrency", 1, limits.MAX_CONCURRENCY, 10)
        c1, c2 = st.columns(2)
        with c1:
            _number("Jump at (s)", "jump_at_s", 0.0, float(limits.MAX_SECONDS), 10.0)
        with c2:
            _number("Lasts (s)", "peak_length_s", 0.0, float(limits.MAX_SECONDS), 10.0, help="0: to the end.")
        _number(
            "Gap between invocations in one environment (s)",
            "interval_s",
            limits.MIN_INTERVAL_S,
            limits.MAX_INTERVAL_S,
            1.0,
        )
        _number(
            "Idle timeout on the path (s)",
            "idle_timeout_s",
            0.0,
            limits.MAX_IDLE_S,
            10.0,
            help=f"A NAT gateway drops a connection idle for {limits.NAT_IDLE_TIMEOUT_S} s (AWS "
            "documentation). 0: nothing on the path drops idle connections.",
        )
        _number(
            "Idle environments reclaimed after (s)",
            "idle_reclaim_s",
            1.0,
            limits.MAX_IDLE_S,
            60.0,
            help=_ASSUMED + " AWS does not say how long an idle environment is kept.",
        )
    with database:
        if not rds:
            st.caption("For an RDS database only.")
        _number("max_connections", "max_connections", 1, limits.MAX_DB_CONNECTIONS, 10, disabled=not rds)
        proxy = st.checkbox("Through RDS Proxy", key=_P + "proxy", disabled=not rds)
        on = rds and proxy
        _number("MaxConnectionsPercent", "max_connections_percent", 1, 100, 5, disabled=not on)
        _number(
            "ConnectionBorrowTimeout (s)",
            "borrow_timeout_s",
            1.0,
            float(limits.PROXY_BORROW_TIMEOUT_MAX_S),
            10.0,
            disabled=not on,
        )
        _number(
            "Proxy hop per operation (ms)",
            "proxy_extra_ms",
            0.0,
            limits.MAX_LATENCY_MS,
            0.5,
            disabled=not on,
            help=_ASSUMED,
        )
    with run:
        _number("Simulated seconds", "seconds", 1, limits.MAX_SECONDS, 60)
        _number("Random seed", "seed", 0, 2**31 - 1, 1)


# --- Showing --------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_simulation(settings: ConnectionSettings) -> ConnectionResult:
    return simulate(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def figures_for(settings: ConnectionSettings) -> tuple[go.Figure, go.Figure]:
    """Cached as a resource: copying a figure through pickle would re-validate it."""
    return timeline_figure(settings), run_figure(run_simulation(settings))


def _metrics(r: ConnectionResult) -> None:
    m = r.summary
    cols = st.columns(4)
    cols[0].metric("p50 latency", f"{m.p50_ms:,.1f} ms", help="Half of the successful invocations took less.")
    cols[1].metric(
        "p99 latency",
        f"{m.p99_ms:,.1f} ms",
        help="99 % of the successful invocations took less; cold starts and dropped connections live here.",
    )
    cols[2].metric(
        "Handshake share",
        f"{100 * m.handshake_share:.1f} %",
        help="Time spent opening connections (and finding dead ones) ÷ the total time of the "
        "successful invocations.",
    )
    limit, what = "", ""
    if m.pool_size is not None:
        limit, what = f" / {m.pool_size:,}", f" The second number is RDS Proxy's pool ({m.pool_size:,})."
    elif m.max_connections is not None:
        limit, what = f" / {m.max_connections:,}", " The second number is max_connections."
    cols[3].metric(
        "Peak DB connections",
        f"{m.peak_db_connections:,}{limit}",
        help="Connections the database (or DynamoDB endpoint) held at the same moment." + what,
    )
    more = st.columns(4)
    more[0].metric("Invocations", f"{m.invocations:,}", help=f"{m.cold_starts:,} cold starts")
    more[1].metric(
        "New connections",
        f"{m.new_connections:,}",
        help=f"{m.stale_connections:,} of them after a kept connection was dropped while idle",
    )
    more[2].metric(
        "Failed invocations",
        f"{m.failed:,}",
        help=f"{m.refused:,} refused over max_connections, {m.borrow_timeouts:,} waited past "
        "ConnectionBorrowTimeout",
    )
    if m.pool_size is not None:
        more[3].metric(
            "Longest wait for the pool", f"{m.max_wait_ms:,.1f} ms", help=f"peak {m.peak_waiting:,} waiting"
        )


def _assumptions(s: ConnectionSettings) -> None:
    with st.expander("Modelling choices AWS does not document (all settable)", expanded=True):
        st.markdown(
            f"- DNS lookup **{s.dns_ms:g} ms** and one network round trip **{s.rtt_ms:g} ms**.\n"
            f"- TCP handshake: **1 round trip** before the first byte can be sent.\n"
            f"- TLS handshake: **{s.tls_round_trips} round trips** plus **{s.tls_cpu_ms:g} ms** of "
            "crypto work in the function (2 round trips is a full TLS 1.2 handshake, 1 is TLS "
            "1.3; session resumption is not modelled).\n"
            f"- Database login (RDS only): **{s.auth_round_trips} round trips** plus "
            f"**{s.server_setup_ms:g} ms** for the server to set up the session; DynamoDB signs "
            "each request and has no login.\n"
            "- A kept connection dropped while idle costs **one round trip** (the reset) before "
            "the function connects again; the SDK's retry is assumed to be immediate.\n"
            f"- Idle environments are reclaimed after **{s.idle_reclaim_s:g} s**; AWS does not "
            "publish how long it keeps them.\n"
            "- With keep-alive on, a kept connection survives any idle gap. AWS recommends "
            "keep-alive for connections made at init; whether probes are sent while an "
            "environment is frozen between invocations is not documented.\n"
            f"- RDS Proxy adds **{s.proxy_extra_ms:g} ms** per operation, lends a database "
            "connection per operation (no session pinning) and takes the login off the database.\n"
            "- A connection over max_connections fails the invocation (no retry)."
        )


def _facts() -> None:
    with st.expander("What AWS documents, and what is true today", expanded=True):
        st.markdown(
            "- **Keep-alive for short operations.** For an operation such as a DynamoDB query, "
            "setting up a TCP connection can take longer than the operation. AWS recommends "
            "creating connections during init and using TCP keep-alive so later invocations "
            "reuse them ([Lambda: VPC access](https://docs.aws.amazon.com/lambda/latest/dg/"
            "configuration-vpc.html), [best practices](https://docs.aws.amazon.com/lambda/latest/"
            "dg/best-practices.html)).\n"
            f"- **NAT gateway idle timeout: {limits.NAT_IDLE_TIMEOUT_S} s.** A connection through "
            "a NAT gateway that is idle that long times out; keep-alive under 350 s prevents it "
            f"([Troubleshoot NAT gateways]({limits.NAT_TROUBLESHOOTING_URL})).\n"
            "- **Today's SDKs often do it for you.** The AWS SDK for JavaScript v3 reuses TCP "
            "connections (keep-alive) by default; with v2 you had to set "
            "`AWS_NODEJS_CONNECTION_REUSE_ENABLED=1` or pass a keep-alive agent "
            f"([SDK for JavaScript v3 guide]({limits.SDK_JS_KEEP_ALIVE_URL})). What remains your "
            "job: create the client outside the handler.\n"
            "- **RDS Proxy** pools database connections: its pool is MaxConnectionsPercent "
            "(default 100) of the database's max_connections, and a request that finds no free "
            "connection waits up to ConnectionBorrowTimeout (default 120 s) "
            f"([RDS Proxy connection settings]({limits.RDS_PROXY_URL}))."
        )


def main() -> None:
    st.title("Connection reuse")
    st.markdown(
        "What opening a connection costs one Lambda invocation — DNS, TCP and TLS against the "
        "operation itself — and what a burst of new environments costs a database's "
        "`max_connections`, with and without RDS Proxy. Choose a preset or open **Settings** below "
        "to change it."
    )
    STATE.read_url(_from_link, ready="target")
    _controls()
    notice = STATE.notice
    if notice:
        st.warning(notice)
    values = {key: st.session_state[_P + key] for key in QUERY_KEYS}
    chosen = STATE.chosen
    try:
        settings = settings_from(values)
        result = run_simulation(settings)
        timeline, run = figures_for(settings)
    except SimulationError as exc:
        st.error("\n\n".join(exc.problems), icon=":material/block:")
        return
    preset = STATE.unchanged_preset(settings)
    query = STATE.with_preset(to_query(settings), preset)
    STATE.write_url(query)
    STATE.explain_preset(changed=preset is None)
    _metrics(result)
    st.plotly_chart(timeline, key=_P + "timeline", config={"displayModeBar": False})
    st.caption("◀ marks the rows that apply to these settings. Hover a bar for its phase and time.")
    st.plotly_chart(run, key=_P + "run", config={"displayModeBar": False})
    _facts()
    _assumptions(settings)
    STATE.share_link(PAGE, query)
    if chosen in PRESETS:
        render_back_links(PAGE, chosen, "Cards about this idea")


main()
