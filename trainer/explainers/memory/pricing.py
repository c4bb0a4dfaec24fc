"""The prices the cost figures use: us-east-1, first tier, on demand (aws-facts.md section d).

Prices change; the date says when they were last checked against the AWS Lambda pricing page,
and the page and the command both show it. Tiered discounts (above 6 billion GB-seconds a month
on x86) and the free tier are left out: a per-million figure is about the marginal price.
"""

from __future__ import annotations

from enum import StrEnum

PRICES_REGION = "us-east-1"
PRICES_CHECKED = "2026-11-26"  # the date aws-facts.md was checked against the pricing page
PRICES_SOURCE = "https://aws.amazon.com/lambda/pricing/"
PRICE_PER_REQUEST = 0.20 / 1_000_000  # x86 and Arm alike


class Arch(StrEnum):
    X86 = "x86"
    ARM = "arm"

    @property
    def label(self) -> str:
        return {"x86": "x86_64", "arm": "Arm (arm64, Graviton)"}[self.value]

    @property
    def price_per_gb_s(self) -> float:
        """On-demand duration price per GB-second, first tier."""
        return {"x86": 0.0000166667, "arm": 0.0000133334}[self.value]


def gb_seconds(memory_mb: float, duration_ms: float) -> float:
    """Billed compute of one invocation: memory in GB (MB / 1,024) times seconds."""
    return (memory_mb / 1024.0) * (duration_ms / 1000.0)


def cost_per_invocation(memory_mb: float, duration_ms: float, arch: Arch) -> float:
    """GB-seconds × the price per GB-second, plus the request price."""
    return gb_seconds(memory_mb, duration_ms) * arch.price_per_gb_s + PRICE_PER_REQUEST
