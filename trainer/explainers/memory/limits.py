"""The numbers that bound the tuner: Lambda's memory range and CPU rule, and the tuner's guards.

AWS values follow ``aws-facts.md`` section e. The 6-vCPU ceiling is corroborated (AWS's launch
of 10 GB and 6 vCPU functions, December 2020), not stated on the memory documentation page.
"""

from __future__ import annotations

MIN_MEMORY_MB, MAX_MEMORY_MB = 128, 10_240  # in 1 MB increments
MB_PER_VCPU = 1_769  # "At 1,769 MB, a function has the equivalent of one vCPU."
MAX_VCPUS = 6  # at the top memory sizes
TIMEOUT_MS = 900_000  # the 15-minute maximum timeout

BASELINE_MB = 1_024  # durations are given as measured at this memory size

# Guards that keep inputs meaningful (the tuner's, not AWS's).
MAX_INIT_MS = 60_000
MIN_ARM_SPEED, MAX_ARM_SPEED = 0.25, 4.0
