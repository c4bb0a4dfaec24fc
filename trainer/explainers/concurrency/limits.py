"""The numbers that bound the simulation: AWS quotas and schedules, and this simulator's guards.

AWS values follow ``aws-facts.md`` (the section is named on each group). They live in one
module because the settings check them, the run loops obey them and the page offers them as
the ends of its inputs: one place to update when AWS changes a quota.
"""

from __future__ import annotations

# Account and scaling limits (aws-facts.md section d).
DEFAULT_ACCOUNT_LIMIT = 1_000
MIN_UNRESERVED = 100
SCALE_ENVIRONMENTS = 1_000  # new execution environments per function ...
SCALE_WINDOW_S = 10  # ... in each window of this many seconds

# Function settings (aws-facts.md section e).
MIN_MEMORY_MB, MAX_MEMORY_MB = 128, 10_240
MAX_DURATION_MS = 900_000  # the 15-minute timeout

# Asynchronous invocation (sections d and f).
ASYNC_THROTTLE_FIRST_S = 1.0
ASYNC_THROTTLE_MAX_S = 300.0
ASYNC_ERROR_DELAYS_S = (60.0, 120.0)  # before the 2nd and the 3rd attempt
MIN_EVENT_AGE_S, MAX_EVENT_AGE_S = 60, 21_600
MAX_RETRY_ATTEMPTS = 2

# SQS event source mapping (section g).
SQS_START_BATCHES = 5
SQS_ADD_PER_SECOND = 5  # 300 per minute
SQS_MAX_BATCHES = 1_000
MAX_BATCH_SIZE = 10_000
MAX_BATCHING_WINDOW_S = 300

# Caller-side retry policy for synchronous throttles (the caller's choice, not Lambda's).
CALLER_BACKOFF_FIRST_S = 0.1
MAX_CALLER_RETRIES = 10

# Guards that keep the page and the command responsive (the simulator's, not AWS's).
MAX_SECONDS = 86_400
MAX_RATE = 100_000.0
MAX_ARRIVALS = 5_000_000
MAX_ACCOUNT_LIMIT = 100_000
MAX_INIT_MS = 60_000
MAX_SEED = 2**32 - 1  # numpy's generators take any non-negative integer; one 32-bit word is plenty
