"""The numbers that bound a stream event source mapping, and this simulator's guards.

AWS values, with where they are documented (checked 2026-12-01):

* ``CreateEventSourceMapping`` API reference
  (https://docs.aws.amazon.com/lambda/latest/dg/API_CreateEventSourceMapping.html):
  BatchSize 1–10,000 (default 100 for Kinesis and DynamoDB Streams);
  MaximumBatchingWindowInSeconds 0–300 (default 0 for streams); ParallelizationFactor 1–10
  (default 1); MaximumRetryAttempts −1 (infinite, the default) to 10,000;
  MaximumRecordAgeInSeconds −1 (infinite, the default) or 60–604,800 (values from 0 to 59 are
  inside the parameter's range but refused).
* Kinesis ``PutRecords`` (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html):
  each shard takes writes of up to 1,000 records per second (and 1 MB/s), so a shard never
  receives more than that.
* Kinesis retention (https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html):
  24 hours by default. With MaximumRecordAgeInSeconds −1 a record is retried until it leaves
  the stream, which is far beyond any run here.
"""

from __future__ import annotations

MIN_BATCH_SIZE, MAX_BATCH_SIZE = 1, 10_000
DEFAULT_BATCH_SIZE = 100
MAX_BATCHING_WINDOW_S = 300
MIN_PARALLELIZATION, MAX_PARALLELIZATION = 1, 10
INFINITE = -1  # MaximumRetryAttempts and MaximumRecordAgeInSeconds: no limit
MAX_RETRY_ATTEMPTS = 10_000
MIN_RECORD_AGE_S, MAX_RECORD_AGE_S = 60, 604_800
MAX_RECORDS_PER_SHARD_PER_S = 1_000.0
MAX_DURATION_MS = 900_000  # the 15-minute function timeout

# Guards that keep the page and the command responsive (the simulator's, not AWS's).
MAX_SHARDS = 200
MAX_PARTITION_KEYS = 100_000
MAX_SECONDS = 3_600
MAX_RECORDS = 2_000_000
