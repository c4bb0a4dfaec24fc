"""Lambda prices the cost figures use: us-east-1, x86 (aws-facts.md section d, pricing).

Requests and on-demand GB-seconds; for provisioned concurrency the configured GB-seconds
(billed in 5-minute increments) plus the cheaper duration on provisioned environments.
Initialisation time is not billed in this model.
"""

from __future__ import annotations

PRICE_PER_REQUEST = 0.20 / 1_000_000
PRICE_GB_S = 0.0000166667
PRICE_PC_GB_S = 0.0000041667  # configured provisioned concurrency
PRICE_PC_DURATION_GB_S = 0.0000097222  # duration on provisioned environments
PC_BILLING_INCREMENT_S = 300
