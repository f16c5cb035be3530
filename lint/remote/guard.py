"""The address guard: which IP addresses a remote check may connect to.

Image URLs come from scraped articles, so they are untrusted input. Before any
connection the host is resolved here, every address is classified, and the connection
goes to an address that was checked (never re-resolved), so DNS cannot change the
answer between the check and the request. Refused by default: loopback, private
(RFC 1918, unique-local), link-local, shared (CGNAT), multicast, reserved, unspecified,
documentation and cloud metadata addresses, also when written as IPv4-mapped, 6to4 or
Teredo IPv6 addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
AddressPolicy = Callable[[IPAddress], "str | None"]

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean ...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IPv6 metadata
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


class AddressRefused(Exception):
    """A host that resolves to an address the guard refuses."""


class ResolveError(Exception):
    """A host that cannot be resolved."""


def address_problem(address: IPAddress) -> str | None:
    """Why the guard refuses ``address`` (e.g. ``"loopback"``), or None if it is public."""
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None:
            problem = address_problem(embedded)
            return f"{problem} (embedded in {address})" if problem else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for name, flag in checks:
        if flag:
            return name
    if not address.is_global:
        return "not globally routable"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver (``getaddrinfo``), in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ResolveError(f"cannot resolve {host}: {error}") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _literal(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.split("%", 1)[0])]
    except ValueError:
        return []


def checked_addresses(
    host: str,
    port: int,
    resolver: Resolver,
    allow_private: bool,
    policy: AddressPolicy = address_problem,
) -> list[IPAddress]:
    """The addresses to connect to for ``host``; raises AddressRefused or ResolveError.

    An IP literal is not resolved. A host is refused when any of its addresses is
    refused: a name that mixes public and private answers is a rebinding attempt or a
    misconfiguration, and either way not something to request.
    """
    literal = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    addresses = _literal(literal)
    if not addresses:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
        except ValueError as error:
            raise ResolveError(f"cannot resolve {host}: {error}") from None
        if not addresses:
            raise ResolveError(f"cannot resolve {host}: no address")
    if not allow_private:
        for address in addresses:
            problem = policy(address)
            if problem is not None:
                raise AddressRefused(f"refused address {address} ({problem}) for {host}")
    return addresses
