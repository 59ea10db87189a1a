"""Free TCP ports on the loopback interface.

A port handed out here is remembered for the life of the process so that two services of one stack (or
two stacks in one test run) never get the same number, even if the kernel offers it twice.
"""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterable
from pathlib import Path

HOST = "127.0.0.1"

_lock = threading.Lock()
_handed_out: set[int] = set()


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when a server could listen on host:port now.

    SO_REUSEADDR mirrors what PostgreSQL, Redis, Go and asyncio servers do: connections in TIME_WAIT left
    by a server we just stopped do not block it, a listener does.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def claim(port: int) -> None:
    """Remember a port chosen elsewhere (e.g. reused from an earlier run) so it is not handed out again."""
    with _lock:
        _handed_out.add(port)


def free_port(host: str = HOST) -> int:
    """A port the kernel reports free (bind to port 0), never one handed out before in this process."""
    with _lock:
        for _ in range(100):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind((host, 0))
                port: int = sock.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise RuntimeError("no free TCP port found on " + host)


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port_block(offsets: Iterable[int], host: str = HOST) -> int:
    """A base port such that base + offset is free for every offset.

    Used for SeaweedFS, whose gRPC ports are its HTTP ports + 10000 (so HTTP ports must stay below 55535).
    The base is drawn below the kernel's ephemeral range when that leaves room, so that outgoing
    connections (which take ephemeral ports) cannot grab one of the ports between the check and the bind.
    """
    offsets = sorted(set(offsets))
    span = offsets[-1]
    low, high = 10000, min(45000, _ephemeral_low() - span - 1)
    if high - low < 1000:
        low, high = 20000, 45000
    rng = random.SystemRandom()
    with _lock:
        for _ in range(200):
            base = rng.randrange(low, high)
            ports = [base + offset for offset in offsets]
            if any(port in _handed_out for port in ports):
                continue
            if all(port_is_free(port, host) for port in ports):
                _handed_out.update(ports)
                return base
    raise RuntimeError(f"no free block of ports {offsets} found on {host}")


def block_is_free(base: int, offsets: Iterable[int], host: str = HOST) -> bool:
    return all(port_is_free(base + offset, host) for offset in offsets)
