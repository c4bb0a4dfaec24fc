"""Subnet addresses: CIDR parsing, the five addresses AWS reserves, and how big a subnet must be.

Usable addresses = 2^(32 - prefix) - 5: the first four and the last one of every subnet belong
to AWS, so a /24 has 251 usable addresses and a /28 only 11.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.limits import MAX_PREFIX, MIN_PREFIX, RESERVED_PER_SUBNET


@dataclass(frozen=True)
class ReservedAddress:
    address: str
    purpose: str


def parse_cidr(text: Any, what: str = "CIDR") -> ipaddress.IPv4Network:
    """An IPv4 network between /16 and /28 whose address has no host bits set."""
    if not isinstance(text, str) or not text.strip():
        raise SizingError(f"{what}: expected an IPv4 CIDR such as 10.0.0.0/24, got {text!r}")
    text = text.strip()
    if "/" not in text:
        try:
            ipaddress.IPv4Address(text)
        except ValueError:
            pass
        else:
            raise SizingError(f"{what} {text} has no prefix length; write it like {text}/24")
    try:
        interface = ipaddress.ip_interface(text)
    except ValueError:
        raise SizingError(f"{what} {text!r} is not a valid IPv4 CIDR block such as 10.0.1.0/24") from None
    if interface.version != 4:
        raise SizingError(
            f"{what} {text} is IPv6; this calculator sizes IPv4 (an IPv6 subnet is always a /64)"
        )
    network = interface.network
    if interface.ip != network.network_address:
        raise SizingError(f"{what} {text} has host bits set; the network is {network}")
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise SizingError(
            f"{what} {network} is a /{network.prefixlen}; AWS allows /{MIN_PREFIX} to "
            f"/{MAX_PREFIX} for VPCs and subnets"
        )
    return network


def usable_addresses(prefix: int) -> int:
    """Addresses left for you in a subnet of this prefix: the size minus the five AWS keeps."""
    return 2 ** (32 - prefix) - RESERVED_PER_SUBNET


def reserved_addresses(network: ipaddress.IPv4Network) -> tuple[ReservedAddress, ...]:
    """The five addresses AWS reserves in a subnet, each with what it is for."""
    base = network.network_address
    return (
        ReservedAddress(str(base), "network address"),
        ReservedAddress(str(base + 1), "VPC router"),
        ReservedAddress(str(base + 2), "reserved by AWS (the DNS server sits at VPC base + 2)"),
        ReservedAddress(str(base + 3), "reserved for future use"),
        ReservedAddress(
            str(network.broadcast_address),
            "network broadcast address (VPCs don't support broadcast, so AWS reserves it)",
        ),
    )


def subnet_info(cidr: str) -> dict[str, Any]:
    """Everything ``trainer size subnet`` reports about one CIDR."""
    network = parse_cidr(cidr, "subnet")
    reserved = reserved_addresses(network)
    return {
        "cidr": str(network),
        "prefix": network.prefixlen,
        "total_ips": network.num_addresses,
        "usable_ips": usable_addresses(network.prefixlen),
        "reserved": [{"address": r.address, "purpose": r.purpose} for r in reserved],
        "first_usable": str(network.network_address + 4),
        "last_usable": str(network.broadcast_address - 1),
    }


def smallest_prefix(needed: int, headroom_percent: int) -> int | None:
    """The smallest subnet (largest prefix, /28 at most) whose usable addresses hold ``needed``
    while keeping ``headroom_percent`` of them free; None when not even a /16 does."""
    for prefix in range(MAX_PREFIX, MIN_PREFIX - 1, -1):
        if needed * 100 <= usable_addresses(prefix) * (100 - headroom_percent):
            return prefix
    return None
