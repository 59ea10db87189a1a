"""What the local services share: the Service protocol and process helpers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

Log = Callable[[str], None]


class ServiceError(RuntimeError):
    """A local service could not be found, started or stopped."""


class Service(Protocol):
    """One locally started server. start() and stop() are idempotent; the port never changes."""

    name: str
    port: int

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def is_running(self) -> bool: ...

    def stop_leftover(self) -> None:
        """Stop a server that an earlier run left running in the same folder (its launcher was killed)."""
        ...

    def pid(self) -> int | None:
        """The server's main process id (None when it runs inside this process or is stopped)."""
        ...


def run(
    cmd: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    new_session: bool = False,
) -> str:
    """Run a command to completion and return its output; raise ServiceError with the output on failure.

    Output goes through an anonymous temporary file rather than a pipe: a daemon that the command leaves
    behind could inherit the pipe and make us wait for it forever.
    """
    with tempfile.TemporaryFile() as out:
        try:
            proc = subprocess.run(
                list(cmd),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=new_session,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ServiceError(f"{' '.join(cmd)} did not finish within {timeout:.0f} s") from exc
        out.seek(0)
        text = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise ServiceError(f"{' '.join(cmd)} failed with exit code {proc.returncode}:\n{text.strip()}")
    return text


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def process_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def _signal(pid: int, pgid: int | None, sig: signal.Signals) -> None:
    try:
        if pgid is not None and pgid > 1 and pgid != os.getpgrp():
            os.killpg(pgid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def terminate(pid: int, *, pgid: int | None, timeout: float) -> None:
    """SIGTERM the process (its whole group when pgid is given), SIGKILL it after timeout seconds."""
    _signal(pid, pgid, signal.SIGTERM)
    if wait_until(lambda: not pid_alive(pid), timeout):
        return
    _signal(pid, pgid, signal.SIGKILL)
    if not wait_until(lambda: not pid_alive(pid), 5):
        raise ServiceError(f"process {pid} survived SIGKILL")


def descendants(pid: int) -> set[int]:
    """Live processes below pid (PostgreSQL's children call setsid(), so its process group is not enough)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def kill_survivors(pids: set[int], timeout: float) -> None:
    """Give processes timeout seconds to exit on their own, then SIGKILL those still there."""
    if wait_until(lambda: not any(pid_alive(pid) for pid in pids), timeout):
        return
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def getpgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])
