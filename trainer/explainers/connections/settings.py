"""The connection explainer's settings: one frozen record, its checks, and its URL form.

The record is hashable so the page can cache runs by it. :meth:`ConnectionSettings.canonical`
resets what cannot matter (the database login for DynamoDB, the proxy's pool without a proxy),
so settings that simulate the same thing cache the same. :func:`to_query` and
:func:`from_query` turn every field into URL query text and back, so a shared link reproduces
the whole view; a tampered value raises :class:`SimulationError` with one plain sentence.

Fields marked *assumed* are modelling choices, not AWS figures: AWS does not publish DNS,
round-trip or handshake times for its endpoints. They are settings so a learner can put in
what they measured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from trainer.explainers.budget import DEFAULT_BUDGET, Work, WorkBudget
from trainer.explainers.connections import limits
from trainer.explainers.traffic import SimulationError


class Target(StrEnum):
    DYNAMODB = "dynamodb"
    RDS = "rds"

    @property
    def label(self) -> str:
        return {"dynamodb": "DynamoDB (HTTPS)", "rds": "RDS database (MySQL or PostgreSQL)"}[self.value]


class ConnectionMode(StrEnum):
    PER_INVOCATION = "per-invocation"
    REUSE = "reuse"

    @property
    def label(self) -> str:
        return {
            "per-invocation": "New connection in every invocation",
            "reuse": "Connection made at init, reused",
        }[self.value]


INVOCATION_WEIGHT = 2.5


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything a run depends on. Times in the unit their name says."""

    target: Target = Target.DYNAMODB
    mode: ConnectionMode = ConnectionMode.REUSE
    keep_alive: bool = True  # TCP keep-alive on the reused connection
    # One invocation. The latencies are assumed (see the module docstring).
    operation_ms: float = 5.0  # the request and its response on an open connection
    dns_ms: float = 2.0  # assumed
    rtt_ms: float = 1.0  # assumed: one network round trip to the endpoint
    tls_round_trips: int = 2  # assumed: 2 for a full TLS 1.2 handshake, 1 for TLS 1.3
    tls_cpu_ms: float = 5.0  # assumed: key exchange and certificate checks in the function
    auth_round_trips: int = 3  # assumed, RDS only: the database login exchange
    server_setup_ms: float = 5.0  # assumed, RDS only: the database sets up the session
    init_ms: float = 250.0  # cold start: runtime and your init code, without the connection
    # The path and the environments.
    idle_timeout_s: float = float(limits.NAT_IDLE_TIMEOUT_S)  # 0: nothing on the path drops idle
    idle_reclaim_s: float = 900.0  # assumed: AWS does not say how long idle environments live
    interval_s: float = 1.0  # gap between one environment's invocations
    concurrency: int = 10  # environments in use before the jump
    peak_concurrency: int = 10  # ... and from the jump on
    jump_at_s: float = 60.0
    peak_length_s: float = 0.0  # 0: until the end of the run
    seconds: int = 300
    seed: int = 1
    # The database and RDS Proxy.
    max_connections: int = 100
    proxy: bool = False
    max_connections_percent: int = limits.PROXY_MAX_CONNECTIONS_PERCENT_DEFAULT
    borrow_timeout_s: float = float(limits.PROXY_BORROW_TIMEOUT_DEFAULT_S)
    proxy_extra_ms: float = 1.0  # assumed: the extra hop through the proxy, per operation

    def with_(self, **changes: Any) -> ConnectionSettings:
        return replace(self, **changes)

    @property
    def uses_proxy(self) -> bool:
        return self.target is Target.RDS and self.proxy

    @property
    def pool_size(self) -> int:
        """Database connections RDS Proxy may open: a share of max_connections (at least 1)."""
        return max(1, math.floor(self.max_connections * self.max_connections_percent / 100))

    @property
    def peak_end_s(self) -> float:
        return self.seconds if self.peak_length_s <= 0 else self.jump_at_s + self.peak_length_s

    def canonical(self) -> ConnectionSettings:
        """These settings with every field that cannot matter reset to its default."""
        d = ConnectionSettings()
        rds = self.target is Target.RDS
        proxy = self.uses_proxy
        return replace(
            self,
            keep_alive=self.keep_alive if self.mode is ConnectionMode.REUSE else d.keep_alive,
            auth_round_trips=self.auth_round_trips if rds else d.auth_round_trips,
            server_setup_ms=self.server_setup_ms if rds else d.server_setup_ms,
            max_connections=self.max_connections if rds else d.max_connections,
            proxy=proxy,
            max_connections_percent=self.max_connections_percent if proxy else d.max_connections_percent,
            borrow_timeout_s=self.borrow_timeout_s if proxy else d.borrow_timeout_s,
            proxy_extra_ms=self.proxy_extra_ms if proxy else d.proxy_extra_ms,
            peak_length_s=self.peak_length_s if self.peak_concurrency != self.concurrency else 0.0,
        )

    def expected_invocations(self) -> float:
        """About how many invocations a run makes (to refuse runs that would take too long)."""
        cycle = self.interval_s + self.operation_ms / 1000.0
        extra = max(0, self.peak_concurrency - self.concurrency)
        peak_time = max(0.0, min(self.peak_end_s, self.seconds) - self.jump_at_s)
        busy = self.concurrency * self.seconds + extra * peak_time
        return busy / max(cycle, 1e-3)

    def work(self) -> Work:
        """The run's work: each invocation costs about 2.5 playground attempts (it draws its
        handshakes and walks the pool), measured at 300,000 invocations in 2.3 s."""
        return Work(
            self.expected_invocations() * INVOCATION_WEIGHT,
            "attempt-sized steps",
            ["the number of environments", "the simulated time", "the invocation rate (a longer gap)"],
        )

    def problems(self, budget: WorkBudget = DEFAULT_BUDGET) -> list[str]:
        """Every reason these settings can't be simulated; [] when fine."""
        out = [*_check_latencies(self), *_check_run(self), *_check_database(self)]
        return out or budget.problems(self.work())

    def validate(self, budget: WorkBudget = DEFAULT_BUDGET) -> None:
        problems = self.problems(budget)
        if problems:
            raise SimulationError("\n".join(problems), problems)


def _bad(value: object, lo: float, hi: float, whole: bool = False) -> bool:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return not math.isfinite(x) or not lo <= x <= hi or (whole and x != int(x))


def _check_latencies(s: ConnectionSettings) -> list[str]:
    out = []
    top = limits.MAX_LATENCY_MS
    if _bad(s.operation_ms, 0.0, limits.MAX_OPERATION_MS) or s.operation_ms <= 0:
        out.append(
            f"Operation time must be more than 0 and at most {limits.MAX_OPERATION_MS:,} ms; "
            f"got {s.operation_ms}."
        )
    for name, value in (
        ("DNS lookup", s.dns_ms),
        ("Round trip", s.rtt_ms),
        ("TLS crypto time", s.tls_cpu_ms),
        ("Database session setup", s.server_setup_ms),
        ("Proxy hop", s.proxy_extra_ms),
    ):
        if _bad(value, 0.0, top):
            out.append(f"{name} must be 0 to {top:,.0f} ms; got {value}.")
    for name, value in (("TLS round trips", s.tls_round_trips), ("Login round trips", s.auth_round_trips)):
        if _bad(value, 0, limits.MAX_ROUND_TRIPS, whole=True):
            out.append(f"{name} must be a whole number from 0 to {limits.MAX_ROUND_TRIPS}; got {value}.")
    if _bad(s.init_ms, 0.0, limits.MAX_INIT_MS):
        out.append(f"Init time must be 0 to {limits.MAX_INIT_MS:,} ms; got {s.init_ms}.")
    return out


def _check_run(s: ConnectionSettings) -> list[str]:
    out = []
    if _bad(s.seconds, 1, limits.MAX_SECONDS, whole=True):
        out.append(f"Simulated time must be 1 to {limits.MAX_SECONDS:,} seconds; got {s.seconds}.")
    for name, value in (
        ("Environments before the jump", s.concurrency),
        ("Environments after the jump", s.peak_concurrency),
    ):
        if _bad(value, 1, limits.MAX_CONCURRENCY, whole=True):
            out.append(f"{name} must be a whole number from 1 to {limits.MAX_CONCURRENCY:,}; got {value}.")
    if _bad(s.interval_s, limits.MIN_INTERVAL_S, limits.MAX_INTERVAL_S):
        out.append(
            f"The gap between invocations must be 0 to {limits.MAX_INTERVAL_S:,.0f} s; got {s.interval_s}."
        )
    if _bad(s.jump_at_s, 0.0, limits.MAX_SECONDS) or _bad(s.peak_length_s, 0.0, limits.MAX_SECONDS):
        out.append(f"The jump's start and length must be 0 to {limits.MAX_SECONDS:,} s.")
    if _bad(s.idle_timeout_s, 0.0, limits.MAX_IDLE_S):
        out.append(f"Idle timeout must be 0 (none) to {limits.MAX_IDLE_S:,.0f} s; got {s.idle_timeout_s}.")
    if _bad(s.idle_reclaim_s, 1.0, limits.MAX_IDLE_S):
        out.append(f"Idle environments must be kept 1 to {limits.MAX_IDLE_S:,.0f} s; got {s.idle_reclaim_s}.")
    if _bad(s.seed, 0, 2**31 - 1, whole=True):
        out.append(f"Random seed must be a whole number from 0 to {2**31 - 1}; got {s.seed}.")
    return out


def _check_database(s: ConnectionSettings) -> list[str]:
    if s.target is not Target.RDS:
        return []
    out = []
    if _bad(s.max_connections, 1, limits.MAX_DB_CONNECTIONS, whole=True):
        out.append(
            f"max_connections must be a whole number from 1 to {limits.MAX_DB_CONNECTIONS:,}; "
            f"got {s.max_connections}."
        )
    if s.proxy:
        if _bad(s.max_connections_percent, 1, 100, whole=True):
            out.append(
                "MaxConnectionsPercent must be a whole number from 1 to 100; "
                f"got {s.max_connections_percent}."
            )
        if _bad(s.borrow_timeout_s, 1.0, limits.PROXY_BORROW_TIMEOUT_MAX_S):
            out.append(
                f"ConnectionBorrowTimeout must be 1 to {limits.PROXY_BORROW_TIMEOUT_MAX_S:,} seconds here; "
                f"got {s.borrow_timeout_s}."
            )
    return out


# --- URL query form -------------------------------------------------------------------------

_ENUMS: dict[str, type[StrEnum]] = {"target": Target, "mode": ConnectionMode}
_BOOLS = {"keep_alive", "proxy"}
_INTS = {
    "tls_round_trips",
    "auth_round_trips",
    "concurrency",
    "peak_concurrency",
    "seconds",
    "seed",
    "max_connections",
    "max_connections_percent",
}
QUERY_KEYS: tuple[str, ...] = tuple(f.name for f in fields(ConnectionSettings))


def to_query(s: ConnectionSettings) -> dict[str, str]:
    """Every setting as URL query text (the field name is the key)."""
    out = {}
    for name in QUERY_KEYS:
        value = getattr(s, name)
        if isinstance(value, bool):
            out[name] = "1" if value else "0"
        elif isinstance(value, StrEnum):
            out[name] = value.value
        elif isinstance(value, float):
            out[name] = f"{value:g}" if value == int(value) or abs(value) >= 1e-3 else repr(value)
        else:
            out[name] = str(value)
    return out


def from_query(params: Mapping[str, str], base: ConnectionSettings | None = None) -> ConnectionSettings:
    """Settings from URL query text; keys that are missing keep ``base``'s value.

    Raises :class:`SimulationError` naming the first value that is not understood; the values
    are not range-checked here (:meth:`ConnectionSettings.problems` does that).
    """
    changes: dict[str, Any] = {}
    for name in QUERY_KEYS:
        if name not in params:
            continue
        text = str(params[name]).strip()
        try:
            if name in _ENUMS:
                changes[name] = _ENUMS[name](text)
            elif name in _BOOLS:
                if text not in ("0", "1"):
                    raise ValueError(text)
                changes[name] = text == "1"
            elif name in _INTS:
                changes[name] = int(text)
            else:
                value = float(text)
                if not math.isfinite(value):
                    raise ValueError(text)
                changes[name] = value
        except ValueError:
            raise SimulationError(
                f"the link's value for “{name}” ({text[:40]!r}) is not understood"
            ) from None
    return replace(base or ConnectionSettings(), **changes)
