"""AWS values the connection explainer uses, with their sources, and the explainer's own guards.

Only the values in the first group are AWS facts; the defaults of the assumed latencies live in
``settings`` and are labelled there as assumptions.
"""

from __future__ import annotations

# AWS facts.
# "If a connection that's using a NAT gateway is idle for 350 seconds or more, the connection
# times out." (Amazon VPC user guide, "Troubleshoot NAT gateways"; also the Lambda developer
# guide's VPC page.)
NAT_IDLE_TIMEOUT_S = 350
NAT_TROUBLESHOOTING_URL = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html"
# RDS Proxy connection pool settings (RDS user guide, "RDS Proxy connection considerations";
# ConnectionPoolConfiguration in the RDS API reference).
PROXY_MAX_CONNECTIONS_PERCENT_DEFAULT = 100  # 1-100, a share of the database's max_connections
PROXY_BORROW_TIMEOUT_DEFAULT_S = 120  # how long an operation may wait for a pooled connection
PROXY_BORROW_TIMEOUT_MAX_S = 3_600
RDS_PROXY_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html"
# The AWS SDK for JavaScript v3 keeps connections alive by default (SDK developer guide,
# "Reuse connections with keep-alive in Node.js"); v2 needed AWS_NODEJS_CONNECTION_REUSE_ENABLED=1.
SDK_JS_KEEP_ALIVE_URL = (
    "https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-reusing-connections.html"
)
MAX_OPERATION_MS = 900_000  # the 15-minute Lambda timeout

# The explainer's guards, so a page or a command never starts an unbounded run.
MAX_INIT_MS = 60_000
MAX_SECONDS = 3_600
MAX_CONCURRENCY = 5_000
MAX_LATENCY_MS = 10_000.0  # for each assumed latency (DNS, round trip, crypto, login)
MAX_ROUND_TRIPS = 10
MAX_DB_CONNECTIONS = 100_000
MAX_IDLE_S = 86_400.0
MIN_INTERVAL_S = 0.0
MAX_INTERVAL_S = 3_600.0
