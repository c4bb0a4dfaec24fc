"""The kinds of function the tuner models, by what their time is spent on.

A workload says how its duration at 1,024 MB splits between computing and waiting (on the
network, a database, another service), and how much of the computing can run on several cores
at once (Amdahl's law). The splits are the tuner's illustrative assumptions, not AWS figures:
real functions should be measured, which is what AWS Lambda Power Tuning does.
"""

from __future__ import annotations

from enum import StrEnum


class Workload(StrEnum):
    CPU = "cpu"
    CPU_MULTI = "cpu-multi"
    IO = "io"
    MIXED = "mixed"

    @property
    def label(self) -> str:
        return {
            "cpu": "CPU-bound, single-threaded",
            "cpu-multi": "CPU-bound, multi-threaded",
            "io": "I/O-bound (waits on other services)",
            "mixed": "Mixed: half computing, half waiting",
        }[self.value]

    @property
    def compute_share(self) -> float:
        """Share of the duration at 1,024 MB spent computing (the rest is waiting)."""
        return {"cpu": 1.0, "cpu-multi": 1.0, "io": 0.1, "mixed": 0.5}[self.value]

    @property
    def parallel_share(self) -> float:
        """Share of the computing that runs on all threads at once (the rest on one)."""
        return {"cpu": 0.0, "cpu-multi": 0.95, "io": 0.0, "mixed": 0.0}[self.value]

    @property
    def threads(self) -> int:
        """Busy threads while computing: one, or enough for the 6 cores of the top sizes."""
        return 6 if self is Workload.CPU_MULTI else 1
