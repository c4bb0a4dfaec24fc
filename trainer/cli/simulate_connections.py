"""``trainer simulate connections``: connection reuse, idle timeouts and connection storms.

Start from the defaults or a preset (``--preset``), override any setting, and get a summary or
``--json`` (``p50_ms``, ``p99_ms``, ``handshake_share``, ``peak_db_connections`` and the rest).
Options are named after the settings; the latencies marked "assumed" are modelling choices, not
AWS figures. Only argparse loads with the CLI: the simulator loads when the command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from trainer.cli.reporting import add_budget_options, budget_from, print_result, settings_checked

if TYPE_CHECKING:
    from trainer.explainers.connections.results import ConnectionResult
    from trainer.explainers.connections.settings import ConnectionSettings

PRESET_IDS = (
    "new-connection-per-invocation",
    "reuse-init-connection",
    "cold-start-still-connects",
    "nat-idle-timeout",
    "rds-connection-storm",
    "rds-proxy-pool",
)

# Option dest -> (ConnectionSettings field, type, help).
_OPTIONS: dict[str, tuple[str, Any, str]] = {
    "operation_ms": ("operation_ms", float, "the operation on an open connection, ms (default 5)"),
    "dns_ms": ("dns_ms", float, "assumed DNS lookup, ms (default 2)"),
    "rtt_ms": ("rtt_ms", float, "assumed network round trip, ms (default 1)"),
    "tls_round_trips": (
        "tls_round_trips",
        int,
        "assumed TLS handshake round trips (default 2; 1 for TLS 1.3)",
    ),
    "tls_cpu_ms": ("tls_cpu_ms", float, "assumed TLS crypto time in the function, ms (default 5)"),
    "auth_round_trips": ("auth_round_trips", int, "RDS: assumed login round trips (default 3)"),
    "server_setup_ms": (
        "server_setup_ms",
        float,
        "RDS: assumed session set-up on the server, ms (default 5)",
    ),
    "init_ms": ("init_ms", float, "cold-start init without the connection, ms (default 250)"),
    "idle_timeout_s": (
        "idle_timeout_s",
        float,
        "idle timeout on the path, s (default 350, a NAT gateway's; 0 none)",
    ),
    "idle_reclaim_s": (
        "idle_reclaim_s",
        float,
        "assumed: idle environments reclaimed after, s (default 900)",
    ),
    "interval_s": ("interval_s", float, "gap between one environment's invocations, s (default 1)"),
    "concurrency": ("concurrency", int, "environments in use before the jump (default 10)"),
    "peak_concurrency": ("peak_concurrency", int, "environments in use from the jump on (default: no jump)"),
    "jump_at_s": ("jump_at_s", float, "when concurrency jumps, s (default 60)"),
    "peak_length_s": ("peak_length_s", float, "how long the jump lasts, s (default 0: to the end)"),
    "max_connections": ("max_connections", int, "RDS: the database's max_connections (default 100)"),
    "max_connections_percent": (
        "max_connections_percent",
        int,
        "RDS Proxy: MaxConnectionsPercent (default 100)",
    ),
    "borrow_timeout_s": ("borrow_timeout_s", float, "RDS Proxy: ConnectionBorrowTimeout, s (default 120)"),
    "proxy_extra_ms": (
        "proxy_extra_ms",
        float,
        "RDS Proxy: assumed extra time per operation, ms (default 1)",
    ),
    "seconds": ("seconds", int, "simulated seconds (default 300)"),
    "seed": ("seed", int, "random seed (default 1)"),
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "connections",
        help="simulate connection reuse, idle timeouts and connection storms",
        description="Simulate Lambda execution environments reaching DynamoDB or an RDS database: "
        "a new connection per invocation or one made at init and reused, keep-alive against an "
        "idle timeout, and a jump in concurrency against max_connections with or without RDS "
        "Proxy. Unset options come from --preset, or the defaults.",
    )
    add = parser.add_argument
    add("--preset", choices=PRESET_IDS, help="start from a preset")
    add("--target", choices=["dynamodb", "rds"], help="what the function calls (default dynamodb)")
    add(
        "--mode",
        choices=["per-invocation", "reuse"],
        help="new connection each time, or made at init (default reuse)",
    )
    add(
        "--keep-alive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="TCP keep-alive (default on)",
    )
    add("--proxy", action=argparse.BooleanOptionalAction, default=None, help="RDS: go through RDS Proxy")
    for dest, (_, kind, text) in _OPTIONS.items():
        add("--" + dest.replace("_", "-"), dest=dest, type=kind, help=text)
    add("--json", action="store_true", help="print the summary as JSON")
    add_budget_options(parser)
    parser.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> ConnectionSettings:
    from trainer.explainers.connections.presets import PRESETS
    from trainer.explainers.connections.settings import ConnectionMode, ConnectionSettings, Target

    base = PRESETS[args.preset].settings if args.preset else ConnectionSettings()
    changes: dict[str, Any] = {
        field: getattr(args, dest)
        for dest, (field, _, _) in _OPTIONS.items()
        if getattr(args, dest) is not None
    }
    if args.target:
        changes["target"] = Target(args.target)
    if args.mode:
        changes["mode"] = ConnectionMode(args.mode)
    if args.keep_alive is not None:
        changes["keep_alive"] = args.keep_alive
    if args.proxy is not None:
        changes["proxy"] = args.proxy
    if (
        "concurrency" in changes
        and "peak_concurrency" not in changes
        and base.peak_concurrency == base.concurrency
    ):
        changes["peak_concurrency"] = changes["concurrency"]  # no jump unless asked for
    return base.with_(**changes)


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.connections.simulation import simulate

    with settings_checked():
        result = simulate(settings_from_args(args), budget_from(args))
    return print_result(args.json, result.to_json_dict, lambda: _text(result))


def _text(result: ConnectionResult) -> str:
    s, m = result.settings, result.summary
    lines = [
        f"{s.target.label}, {s.mode.label.lower()}, keep-alive {'on' if s.keep_alive else 'off'}, "
        f"{s.concurrency}→{s.peak_concurrency} environments, {s.seconds} s simulated",
        f"  invocations      {m.invocations:,} ({m.cold_starts:,} cold starts, {m.failed:,} failed)",
        f"  p50 / p99        {m.p50_ms:,.1f} / {m.p99_ms:,.1f} ms",
        f"  handshake share  {100 * m.handshake_share:.1f} % of the time",
        f"  new connections  {m.new_connections:,} ({m.stale_connections:,} after a dropped idle connection)",
        f"  peak connections {m.peak_db_connections:,}"
        + (f" (max_connections {m.max_connections:,})" if m.max_connections is not None else ""),
    ]
    if m.pool_size is not None:
        lines.append(
            f"  RDS Proxy        pool {m.pool_size:,}, peak waiting {m.peak_waiting:,}, longest wait "
            f"{m.max_wait_ms:,.0f} ms, {m.borrow_timeouts:,} borrow timeouts"
        )
    elif m.refused:
        lines.append(f"  refused          {m.refused:,} connections over max_connections")
    return "\n".join(lines)
