"""One invocation, phase by phase, in closed form.

A new connection costs a DNS lookup, one round trip for the TCP handshake (the client can send
after SYN, SYN-ACK), the TLS handshake's round trips plus its crypto work, and for a relational
database a login exchange and the session set-up on the server. DynamoDB signs every request
(SigV4), so it has no login step. The operation on an open connection takes ``operation_ms``.
With RDS Proxy the function's connection ends at the proxy, which lends a database connection
that is already logged in, so the server's session set-up is not paid by the invocation; the
proxy hop adds ``proxy_extra_ms`` (an assumption) to every operation.

The simulation uses these same functions, so the page's timeline and the run agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trainer.explainers.connections.settings import ConnectionMode, ConnectionSettings, Target


class PhaseKind(StrEnum):
    INIT = "init"
    STALE = "stale"
    DNS = "dns"
    TCP = "tcp"
    TLS = "tls"
    LOGIN = "login"
    WAIT = "wait"
    OPERATION = "operation"

    @property
    def label(self) -> str:
        return {
            "init": "Init (runtime and your code)",
            "stale": "Dead connection: reset, retry",
            "dns": "DNS lookup",
            "tcp": "TCP handshake",
            "tls": "TLS handshake",
            "login": "Database login",
            "wait": "Waiting for a pooled connection",
            "operation": "The operation itself",
        }[self.value]

    @property
    def is_handshake(self) -> bool:
        """Connection set-up: what reusing a connection saves."""
        return self in (PhaseKind.STALE, PhaseKind.DNS, PhaseKind.TCP, PhaseKind.TLS, PhaseKind.LOGIN)


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    start_ms: float
    ms: float

    @property
    def end_ms(self) -> float:
        return self.start_ms + self.ms


def handshake_parts(s: ConnectionSettings) -> list[tuple[PhaseKind, float]]:
    """The phases of opening one connection, in order, with their durations in ms."""
    parts = [
        (PhaseKind.DNS, s.dns_ms),
        (PhaseKind.TCP, s.rtt_ms),
        (PhaseKind.TLS, s.tls_round_trips * s.rtt_ms + s.tls_cpu_ms),
    ]
    if s.target is Target.RDS:
        setup = 0.0 if s.uses_proxy else s.server_setup_ms
        parts.append((PhaseKind.LOGIN, s.auth_round_trips * s.rtt_ms + setup))
    return parts


def handshake_ms(s: ConnectionSettings) -> float:
    """Time to open one new connection."""
    return sum(ms for _, ms in handshake_parts(s))


def stale_ms(s: ConnectionSettings) -> float:
    """Time lost finding out a kept connection is dead: one round trip to the reset (assumed)."""
    return s.rtt_ms


def operation_ms(s: ConnectionSettings) -> float:
    """The operation on an open connection, including the proxy hop when there is one."""
    return s.operation_ms + (s.proxy_extra_ms if s.uses_proxy else 0.0)


def connection_is_new(s: ConnectionSettings, cold: bool, stale: bool = False) -> bool:
    return s.mode is ConnectionMode.PER_INVOCATION or cold or stale


def phases(
    s: ConnectionSettings,
    cold: bool,
    stale: bool = False,
    mode: ConnectionMode | None = None,
    wait_ms: float = 0.0,
) -> list[Phase]:
    """The phases of one invocation, back to back from 0 ms.

    ``mode`` overrides the settings' mode so the page can set both side by side; ``stale``
    means a reused connection was dropped while idle (it has no effect on a new connection).
    """
    s = s if mode is None else s.with_(mode=mode)
    rows: list[tuple[PhaseKind, float]] = []
    if cold:
        rows.append((PhaseKind.INIT, s.init_ms))
    reused_but_dead = stale and not cold and s.mode is ConnectionMode.REUSE
    if reused_but_dead:
        rows.append((PhaseKind.STALE, stale_ms(s)))
    if connection_is_new(s, cold, reused_but_dead):
        rows += handshake_parts(s)
    if wait_ms > 0:
        rows.append((PhaseKind.WAIT, wait_ms))
    rows.append((PhaseKind.OPERATION, operation_ms(s)))
    out, t = [], 0.0
    for kind, ms in rows:
        out.append(Phase(kind, t, ms))
        t += ms
    return out


def latency_ms(
    s: ConnectionSettings, cold: bool, stale: bool = False, mode: ConnectionMode | None = None
) -> float:
    """Total time of one invocation as the caller sees it (no waiting for the pool)."""
    return sum(p.ms for p in phases(s, cold, stale, mode))
