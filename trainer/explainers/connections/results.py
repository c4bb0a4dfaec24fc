"""What a connection run produces: per-second series, the summary, and the result record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from trainer.explainers.connections.settings import ConnectionSettings


@dataclass(frozen=True)
class ConnectionSummary:
    invocations: int  # started (successful and failed)
    succeeded: int
    refused: int  # the database said "too many connections"
    borrow_timeouts: int  # waited longer than ConnectionBorrowTimeout for a pooled connection
    cold_starts: int
    new_connections: int
    stale_connections: int  # kept connections found dead after an idle timeout
    p50_ms: float
    p99_ms: float
    mean_ms: float
    handshake_share: float  # connection set-up time ÷ total time of the successful invocations
    peak_db_connections: int  # connections the database (or DynamoDB endpoint) held at once
    pool_size: int | None  # RDS Proxy's pool, when there is a proxy
    max_connections: int | None  # the database's limit (RDS only)
    peak_waiting: int  # operations waiting for a pooled connection at once
    max_wait_ms: float

    @property
    def failed(self) -> int:
        return self.refused + self.borrow_timeouts

    def to_json_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["failed"] = self.failed
        for key in ("p50_ms", "p99_ms", "mean_ms", "max_wait_ms"):
            out[key] = round(float(out[key]), 3)
        out["handshake_share"] = round(float(self.handshake_share), 4)
        return out


@dataclass(frozen=True, eq=False)
class ConnectionSeries:
    """One value per simulated second."""

    seconds: int
    environments: np.ndarray  # environments in use (the concurrency level)
    invocations: np.ndarray  # started
    cold_starts: np.ndarray
    failures: np.ndarray
    db_connections: np.ndarray  # peak in the second
    waiting: np.ndarray  # peak operations waiting for the pool
    mean_latency_ms: np.ndarray  # of the successful invocations that started in the second (nan: none)


@dataclass(frozen=True, eq=False)
class ConnectionResult:
    settings: ConnectionSettings
    summary: ConnectionSummary
    series: ConnectionSeries
    latencies_ms: np.ndarray  # every successful invocation, in start order
    handshakes_ms: np.ndarray
    cold: np.ndarray  # bool, per successful invocation

    def to_json_dict(self) -> dict[str, Any]:
        return self.summary.to_json_dict()
