"""The connection-reuse explainer: closed forms for one invocation and for the run, the checks,
the URL form, the charts and ``trainer simulate connections``."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from trainer.charts.connections import run_figure, timeline_figure, timeline_rows
from trainer.cli import main
from trainer.cli.simulate_connections import PRESET_IDS
from trainer.explainers.connections import limits
from trainer.explainers.connections.presets import PRESETS
from trainer.explainers.connections.settings import (
    ConnectionMode,
    ConnectionSettings,
    Target,
    from_query,
    to_query,
)
from trainer.explainers.connections.simulation import simulate
from trainer.explainers.connections.timeline import PhaseKind, handshake_ms, latency_ms, phases
from trainer.explainers.traffic import SimulationError

REUSE, NEW = ConnectionMode.REUSE, ConnectionMode.PER_INVOCATION
# Round numbers so the closed forms are easy to read.
BASE = ConnectionSettings(
    operation_ms=4.0, dns_ms=3.0, rtt_ms=2.0, tls_round_trips=2, tls_cpu_ms=0.0, init_ms=200.0
)


# --- one invocation, in closed form ------------------------------------------------------------


def test_warm_reused_connection_costs_the_operation_only():
    assert latency_ms(BASE, cold=False, mode=REUSE) == BASE.operation_ms
    assert [p.kind for p in phases(BASE, cold=False, mode=REUSE)] == [PhaseKind.OPERATION]


def test_new_connection_adds_dns_tcp_and_tls_round_trips():
    s = BASE
    expected = s.dns_ms + s.rtt_ms + s.tls_round_trips * s.rtt_ms + s.operation_ms
    assert latency_ms(s, cold=False, mode=NEW) == pytest.approx(expected)  # 3 + 2 + 4 + 4
    assert latency_ms(s.with_(tls_round_trips=1), cold=False, mode=NEW) == pytest.approx(expected - s.rtt_ms)
    assert latency_ms(s.with_(tls_cpu_ms=7.0), cold=False, mode=NEW) == pytest.approx(expected + 7.0)


def test_rds_adds_the_login_and_a_proxy_skips_the_server_setup_but_adds_its_hop():
    s = BASE.with_(target=Target.RDS, auth_round_trips=3, server_setup_ms=6.0, proxy_extra_ms=1.5)
    tcp_tls = s.dns_ms + s.rtt_ms + s.tls_round_trips * s.rtt_ms
    assert handshake_ms(s) == pytest.approx(tcp_tls + 3 * s.rtt_ms + 6.0)
    proxied = s.with_(proxy=True)
    assert handshake_ms(proxied) == pytest.approx(tcp_tls + 3 * s.rtt_ms)
    assert latency_ms(proxied, cold=False, mode=REUSE) == pytest.approx(s.operation_ms + 1.5)
    # DynamoDB signs each request: no login phase at all.
    assert PhaseKind.LOGIN not in {p.kind for p in phases(BASE, cold=True)}


@pytest.mark.parametrize("mode", [REUSE, NEW])
def test_cold_start_pays_init_and_a_handshake_in_either_mode(mode):
    assert latency_ms(BASE, cold=True, mode=mode) == pytest.approx(
        BASE.init_ms + handshake_ms(BASE) + BASE.operation_ms
    )


def test_a_dropped_kept_connection_costs_a_round_trip_and_a_new_handshake():
    stale = latency_ms(BASE, cold=False, stale=True, mode=REUSE)
    assert stale == pytest.approx(BASE.rtt_ms + handshake_ms(BASE) + BASE.operation_ms)
    # ... and means nothing for a connection that is new anyway.
    assert latency_ms(BASE, cold=False, stale=True, mode=NEW) == latency_ms(BASE, cold=False, mode=NEW)


def test_phases_are_back_to_back():
    row = phases(BASE.with_(target=Target.RDS), cold=True, mode=NEW)
    for a, b in zip(row, row[1:], strict=False):
        assert b.start_ms == pytest.approx(a.end_ms)


# --- the run -------------------------------------------------------------------------------------


def test_warm_reuse_run_is_the_operation_time_every_time():
    r = simulate(BASE.with_(concurrency=8, peak_concurrency=8, seconds=60))
    m = r.summary
    assert m.cold_starts == 0 and m.new_connections == 0 and m.failed == 0
    assert m.p50_ms == pytest.approx(BASE.operation_ms) and m.p99_ms == pytest.approx(BASE.operation_ms)
    assert m.handshake_share == 0.0
    assert m.invocations > 8 * 55  # every environment, about once a second


def test_new_connection_run_has_the_closed_form_handshake_share():
    r = simulate(BASE.with_(mode=NEW, concurrency=8, peak_concurrency=8, seconds=60))
    hs = handshake_ms(BASE)
    m = r.summary
    assert m.new_connections == m.invocations
    assert m.p50_ms == pytest.approx(hs + BASE.operation_ms)
    assert m.handshake_share == pytest.approx(hs / (hs + BASE.operation_ms))


@pytest.mark.parametrize("n", [1, 25, 120])
def test_peak_db_connections_equal_concurrency_without_a_proxy(n):
    s = BASE.with_(target=Target.RDS, concurrency=n, peak_concurrency=n, max_connections=1_000, seconds=30)
    assert simulate(s).summary.peak_db_connections == n
    jump = s.with_(concurrency=5, peak_concurrency=n + 5, jump_at_s=10.0)
    m = simulate(jump).summary
    assert m.peak_db_connections == n + 5 and m.cold_starts == n


def test_connections_over_max_connections_are_refused():
    s = PRESETS["rds-connection-storm"].settings
    m = simulate(s).summary
    assert m.peak_db_connections == s.max_connections
    assert m.refused > 0 and m.borrow_timeouts == 0


@pytest.mark.parametrize("percent", [10, 50, 100])
def test_with_rds_proxy_database_connections_are_bounded_by_the_pool(percent):
    s = PRESETS["rds-connection-storm"].settings.with_(proxy=True, max_connections_percent=percent)
    m = simulate(s).summary
    pool = s.max_connections * percent // 100
    assert m.pool_size == pool
    assert m.peak_db_connections <= pool
    assert m.refused == 0
    # The jump's 280 environments ask at once, more than any of these pools: the pool fills.
    assert m.peak_db_connections == min(pool, s.peak_concurrency)


def test_pool_waits_end_in_borrow_timeouts_when_operations_are_long():
    s = PRESETS["rds-proxy-pool"].settings.with_(
        mode=NEW, operation_ms=400.0, max_connections_percent=10, borrow_timeout_s=1.0, seconds=90
    )
    m = simulate(s).summary
    assert m.borrow_timeouts > 0
    assert m.max_wait_ms <= 1_000.0 + 1e-6
    assert m.peak_db_connections == 15


def test_idle_timeout_drops_kept_connections_without_keep_alive():
    s = BASE.with_(keep_alive=False, interval_s=400.0, concurrency=3, peak_concurrency=3, seconds=3_600)
    m = simulate(s).summary
    warm = m.invocations - m.cold_starts
    assert m.stale_connections >= warm - 3  # each environment's first call may come before 350 s
    assert m.p50_ms == pytest.approx(latency_ms(s, cold=False, stale=True))
    kept = simulate(s.with_(keep_alive=True)).summary
    assert kept.stale_connections == 0 and kept.p50_ms == pytest.approx(BASE.operation_ms)
    shorter = simulate(s.with_(interval_s=300.0)).summary
    assert shorter.stale_connections == 0
    no_nat = simulate(s.with_(idle_timeout_s=0.0)).summary
    assert no_nat.stale_connections == 0


def test_nat_timeout_default_is_the_documented_350_seconds():
    assert limits.NAT_IDLE_TIMEOUT_S == 350
    assert ConnectionSettings().idle_timeout_s == 350


def test_idle_environments_past_the_reclaim_time_start_cold():
    s = BASE.with_(interval_s=120.0, idle_reclaim_s=60.0, concurrency=2, peak_concurrency=2, seconds=600)
    m = simulate(s).summary
    assert m.cold_starts == m.invocations


def test_same_seed_same_run():
    s = PRESETS["rds-proxy-pool"].settings
    assert simulate(s).summary == simulate(s).summary


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_run_and_teach_what_they_say(preset):
    m = simulate(PRESETS[preset].settings).summary
    assert m.invocations > 0
    if preset == "new-connection-per-invocation":
        assert m.handshake_share > 0.5
    if preset == "reuse-init-connection":
        assert m.p50_ms == PRESETS[preset].settings.operation_ms
    if preset == "cold-start-still-connects":
        assert m.cold_starts == 50 and m.p99_ms > 10 * m.p50_ms
    if preset == "nat-idle-timeout":
        assert m.stale_connections > 0 and m.p50_ms > 3 * PRESETS[preset].settings.operation_ms
    if preset == "rds-connection-storm":
        assert m.refused > 0
    if preset == "rds-proxy-pool":
        assert m.failed == 0 and m.peak_db_connections == 75


def test_cli_preset_ids_match_the_engine():
    assert PRESET_IDS == tuple(PRESETS)


# --- checks and the URL form ------------------------------------------------------------------


def test_problems_list_every_bad_setting():
    bad = ConnectionSettings(
        operation_ms=0, rtt_ms=-1, tls_round_trips=99, concurrency=0, seconds=10**6, interval_s=-1
    )
    problems = bad.problems()
    assert len(problems) >= 5
    assert any("Operation time" in p for p in problems)
    assert any("Round trip" in p for p in problems)
    with pytest.raises(SimulationError) as err:
        simulate(bad)
    assert len(err.value.problems) == len(problems)


def test_runs_that_are_too_long_are_refused_before_they_start():
    s = ConnectionSettings(concurrency=5_000, peak_concurrency=5_000, interval_s=0.0, seconds=3_600)
    (problem,) = s.problems()
    assert problem.startswith("Too large for one run") and "Lower the number of environments" in problem


def test_proxy_settings_are_checked_only_with_a_proxy():
    s = ConnectionSettings(target=Target.RDS, proxy=True, max_connections_percent=0)
    assert any("MaxConnectionsPercent" in p for p in s.problems())
    assert not ConnectionSettings(target=Target.RDS, max_connections_percent=0).problems()


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_setting_survives_the_url(preset):
    s = PRESETS[preset].settings
    query = to_query(s)
    assert set(query) == {f.name for f in fields(ConnectionSettings)}  # every field named
    assert from_query(query) == s


@pytest.mark.parametrize(
    "key,value",
    [
        ("target", "mongodb"),
        ("rtt_ms", "fast"),
        ("keep_alive", "yes"),
        ("concurrency", "1.5"),
        ("dns_ms", "nan"),
    ],
)
def test_a_tampered_url_value_is_one_plain_error(key, value):
    with pytest.raises(SimulationError) as err:
        from_query({key: value})
    assert key in str(err.value) and "\n" not in str(err.value)


def test_canonical_resets_what_cannot_matter():
    a = ConnectionSettings(target=Target.DYNAMODB, auth_round_trips=7, proxy=True, max_connections_percent=5)
    assert a.canonical() == ConnectionSettings(target=Target.DYNAMODB)


# --- charts -----------------------------------------------------------------------------------


def test_timeline_marks_the_rows_that_apply():
    rows = timeline_rows(BASE.with_(keep_alive=False))
    assert [label for label, _, _ in rows][-1].startswith("Warm, idle > 350")
    assert [applies for _, _, applies in rows] == [True, False, True, True]
    fig = timeline_figure(BASE)
    names = {trace.name for trace in fig.data}
    assert PhaseKind.OPERATION.label in names and PhaseKind.TLS.label in names
    # Warm rows and the cold start each have their own scale.
    assert fig.layout.xaxis.range[1] == pytest.approx(1.05 * latency_ms(BASE, cold=False, mode=NEW))
    assert fig.layout.xaxis2.range[1] == pytest.approx(1.05 * latency_ms(BASE, cold=True))


def test_run_figure_shows_the_limit_and_the_pool():
    result = simulate(PRESETS["rds-proxy-pool"].settings)
    fig = run_figure(result)
    names = [trace.name for trace in fig.data]
    assert "max_connections" in names and any(n.startswith("RDS Proxy pool") for n in names)
    assert list(fig.layout.xaxis.range) == [0, result.settings.seconds]


# --- the command ------------------------------------------------------------------------------


def test_cli_json_has_the_numbers(capsys):
    assert main(["simulate", "connections", "--mode", "per-invocation", "--seconds", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("p50_ms", "p99_ms", "handshake_share", "peak_db_connections"):
        assert key in out
    s = ConnectionSettings(mode=NEW)
    assert out["p50_ms"] == pytest.approx(handshake_ms(s) + s.operation_ms)


def test_cli_preset_with_overrides(capsys):
    args = ["simulate", "connections", "--preset", "rds-proxy-pool", "--no-proxy", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["refused"] > 0 and out["pool_size"] is None
    assert main(["simulate", "connections", "--preset", "rds-proxy-pool"]) == 0
    text = capsys.readouterr().out
    assert "RDS Proxy" in text and "p50 / p99" in text


@pytest.mark.parametrize(
    "args,message",
    [(["--rtt-ms", "-3"], "Round trip must be"), (["--concurrency", "0"], "Environments before the jump")],
)
def test_cli_bad_settings_are_one_line_and_exit_2(capsys, args, message):
    assert main(["simulate", "connections", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "args,message",
    [(["--target", "mongodb"], "invalid choice"), (["--rtt-ms", "abc"], "invalid float value")],
)
def test_cli_malformed_options_are_one_line_and_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["simulate", "connections", *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "usage:" not in err
