"""The connection explainer's presets: each teaches one idea, with what to watch.

Preset ids are stable: content YAML links cards to them, the page loads them from
``?preset=<id>`` and ``trainer simulate connections --preset`` offers the same ids.
"""

from __future__ import annotations

from trainer.explainers.connections.settings import ConnectionMode, ConnectionSettings, Target
from trainer.explainers.preset import Preset

_DYNAMO = ConnectionSettings(target=Target.DYNAMODB, operation_ms=4.0, concurrency=10, peak_concurrency=10)
_STORM = ConnectionSettings(
    target=Target.RDS,
    operation_ms=8.0,
    interval_s=0.5,
    concurrency=20,
    peak_concurrency=300,
    jump_at_s=60.0,
    seconds=180,
    max_connections=150,
)


def _presets() -> dict[str, Preset[ConnectionSettings]]:
    presets = [
        Preset(
            "new-connection-per-invocation",
            "A new connection in every invocation",
            "For a short operation such as a DynamoDB query, opening a connection (DNS, TCP and "
            "TLS) can take longer than the query itself. Opening one in every invocation pays "
            "that price every time.",
            "The timeline's warm row for this mode: DNS, TCP and TLS before a 4 ms query. The "
            "handshake share is about two thirds of all the time spent, and p50 is the handshake "
            "plus the query. Switch the connection to *made at init, reused* to compare.",
            _DYNAMO.with_(mode=ConnectionMode.PER_INVOCATION),
        ),
        Preset(
            "reuse-init-connection",
            "Connect during init, reuse in every invocation",
            "A client created outside the handler connects once per execution environment; "
            "every warm invocation in that environment reuses the open connection and pays "
            "only for the operation.",
            "p50 equals the operation time (4 ms) and the handshake share is close to 0. The "
            "timeline's warm reused row has one bar: the query.",
            _DYNAMO,
        ),
        Preset(
            "cold-start-still-connects",
            "Reuse does not help the cold start",
            "A new execution environment runs init and opens its connection, whichever mode "
            "you choose; reuse pays off from the second invocation on. A burst of new "
            "environments shows up in the tail latency.",
            "At 60 s the function goes from 10 to 60 environments: 50 cold starts, each with init "
            "and a handshake. p50 stays at the operation time while p99 carries the cold starts; "
            "in the chart, the cold-start bars at 60 s.",
            _DYNAMO.with_(peak_concurrency=60, jump_at_s=60.0, interval_s=2.0, seconds=120),
        ),
        Preset(
            "nat-idle-timeout",
            "An idle connection through a NAT gateway is dropped after 350 s",
            "A VPC function that reaches DynamoDB through a NAT gateway loses a connection that "
            "stays idle 350 seconds. Without keep-alive, the next invocation finds it dead, "
            "gets a reset and connects again, so reuse saves nothing.",
            "Each environment is invoked every 400 s, longer than the 350 s idle timeout: "
            "almost every warm invocation is a stale connection plus a full handshake, and p50 "
            "is far above the 4 ms query. Turn keep-alive on and p50 falls to the query time.",
            _DYNAMO.with_(
                keep_alive=False, interval_s=400.0, concurrency=5, peak_concurrency=5, seconds=3_600
            ),
        ),
        Preset(
            "rds-connection-storm",
            "A connection storm against max_connections",
            "Without a proxy every execution environment holds its own database connection. "
            "When concurrency jumps, every new environment connects at once, and connections "
            "beyond the database's max_connections are refused.",
            "At 60 s environments jump from 20 to 300 against max_connections 150: the "
            "connections line hits the limit and the failures bars fill with refused "
            "connections: the 150 environments that got no connection fail on every invocation.",
            _STORM,
        ),
        Preset(
            "rds-proxy-pool",
            "RDS Proxy absorbs the storm with a pool",
            "With RDS Proxy the functions connect to the proxy, which lends each operation one "
            "of a bounded pool of database connections (MaxConnectionsPercent of "
            "max_connections). Extra requests wait for a connection instead of failing.",
            "Same burst as the storm, through a proxy with MaxConnectionsPercent 50: database "
            "connections never exceed the pool of 75, nothing is refused, and operations wait a "
            "few milliseconds at most for a pooled connection.",
            _STORM.with_(proxy=True, max_connections_percent=50),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[ConnectionSettings]] = _presets()
DEFAULT_PRESET = "reuse-init-connection"
