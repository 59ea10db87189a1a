"""The local stack: PostgreSQL, Redis, S3 (SeaweedFS) and SMTP (aiosmtpd) on loopback and free ports.

From Python (tests)::

    with LocalStack(Path(tempfile.mkdtemp()), persistent=False) as stack:
        endpoints = stack.start()          # or: with temporary_stack() as stack
        ...

From a shell (make run)::

    python -m infra.stack up --data-dir .stack     # prints `export VAR=value` lines, runs until Ctrl-C
    python -m infra.stack env --data-dir .stack    # the same lines, for the stack running in that folder
    python -m infra.stack run --data-dir .stack -- CMD ARGS   # runs CMD with the variables set, then stops

Any service is replaced by a real one when its variable is set (then it is not started and the value is
passed through): DATABASE_URL, REDIS_URL, S3_ENDPOINT_URL (+ S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
S3_BUCKET, S3_REGION), SMTP_HOST (+ SMTP_PORT).

Persistent mode (make run) keeps the PostgreSQL cluster and the S3 data in the folder across runs and
reuses the ports of the last run when they are free (data_dir/stack.json). Otherwise (tests) PostgreSQL
runs without fsync and the folder is meant to be thrown away.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Literal, Self, get_args

from infra.services import ports
from infra.services.base import Log, Service, ServiceError, pid_alive
from infra.services.postgres import PostgresServer
from infra.services.redis import RedisServer
from infra.services.seaweedfs import PORT_OFFSETS, REGION, SeaweedS3
from infra.services.smtp import SmtpServer

ServiceName = Literal["postgres", "redis", "s3", "smtp"]
SERVICE_NAMES: tuple[ServiceName, ...] = get_args(ServiceName)
STATE_FILE = "stack.json"
DEFAULT_DATABASE = "exchange"
DEFAULT_BUCKET = "exchange"


@dataclass(frozen=True)
class StackEndpoints:
    database_url: str  # postgresql+asyncpg://...
    redis_url: str
    s3_endpoint_url: str
    s3_access_key_id: str
    s3_secret_access_key: str
    s3_bucket: str
    s3_region: str
    smtp_host: str
    smtp_port: int
    mail_dir: Path | None  # Maildir of the dev SMTP server (None when SMTP is external)

    def as_env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "S3_ENDPOINT_URL": self.s3_endpoint_url,
            "S3_ACCESS_KEY_ID": self.s3_access_key_id,
            "S3_SECRET_ACCESS_KEY": self.s3_secret_access_key,
            "S3_BUCKET": self.s3_bucket,
            "S3_REGION": self.s3_region,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": str(self.smtp_port),
            "MAIL_DIR": str(self.mail_dir) if self.mail_dir is not None else "",
        }


@dataclass(frozen=True)
class _External:
    """The services that the environment replaces by real ones."""

    database_url: str | None
    redis_url: str | None
    s3: tuple[str, str, str] | None  # endpoint, access key id, secret
    smtp: tuple[str, int] | None
    s3_bucket: str | None
    s3_region: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> _External:
        def get(name: str) -> str | None:
            return env.get(name) or None

        s3 = None
        if endpoint := get("S3_ENDPOINT_URL"):
            key, secret = get("S3_ACCESS_KEY_ID"), get("S3_SECRET_ACCESS_KEY")
            if key is None or secret is None:
                raise ValueError("S3_ENDPOINT_URL is set: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY too")
            s3 = (endpoint, key, secret)
        smtp = None
        if host := get("SMTP_HOST"):
            port = get("SMTP_PORT") or "25"
            if not port.isdigit():
                raise ValueError(f"SMTP_PORT must be a port number, not {port!r}")
            smtp = (host, int(port))
        return cls(get("DATABASE_URL"), get("REDIS_URL"), s3, smtp, get("S3_BUCKET"), get("S3_REGION"))

    def replaces(self, name: ServiceName) -> bool:
        return {
            "postgres": self.database_url,
            "redis": self.redis_url,
            "s3": self.s3,
            "smtp": self.smtp,
        }[name] is not None


class LocalStack:
    """Starts what the environment does not replace; stops everything it started (also at exit)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        persistent: bool,
        env: Mapping[str, str] | None = None,
        log: Callable[[str], None] = print,
        database: str = DEFAULT_DATABASE,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.persistent = persistent
        self._external = _External.from_env(os.environ if env is None else env)
        self._log: Log = log
        self._database = database
        self._services: dict[ServiceName, Service] = {}
        self._endpoints: StackEndpoints | None = None
        self._lock = threading.RLock()

    # -- life cycle ------------------------------------------------------------------------------------

    def start(self) -> StackEndpoints:
        with self._lock:
            if self._endpoints is not None:
                return self._endpoints
            started = time.monotonic()
            self.data_dir.mkdir(parents=True, exist_ok=True)
            state = self._load_state() if self.persistent else {}
            if self.persistent:
                self._stop_leftovers(state)
            self._services = self._make_services(state)
            self._save_state(state)
            atexit.register(self._stop_at_exit)
            try:
                _in_parallel([service.start for service in self._services.values()])
            except BaseException:
                self.stop()
                raise
            self._endpoints = self._make_endpoints()
            state["endpoints"] = self._endpoints.as_env()
            state["launcher_pid"] = os.getpid()
            self._save_state(state)
            local = ", ".join(self._services) or "nothing"
            external = ", ".join(n for n in SERVICE_NAMES if self._external.replaces(n)) or "none"
            elapsed = time.monotonic() - started
            self._log(f"stack: ready in {elapsed:.1f} s (started: {local}; external: {external})")
            return self._endpoints

    def stop(self) -> None:
        """Stop every service this stack started; safe to call more than once."""
        self._stop(parallel=True)

    def _stop_at_exit(self) -> None:
        # concurrent.futures refuses new work once the interpreter is shutting down: one by one.
        self._stop(parallel=False)

    def _stop(self, *, parallel: bool) -> None:
        with self._lock:
            atexit.unregister(self._stop_at_exit)
            services = [s for s in self._services.values() if s.is_running()]
            self._endpoints = None
            try:
                _in_parallel([service.stop for service in services], parallel=parallel)
            finally:
                if self._services and self.data_dir.exists():
                    state = self._load_state()
                    state.pop("endpoints", None)
                    state.pop("launcher_pid", None)
                    self._save_state(state)

    def stop_service(self, name: ServiceName) -> None:
        self._service(name).stop()

    def start_service(self, name: ServiceName) -> None:
        """Start a stopped service again, on the same port."""
        self._service(name).start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- inspection ------------------------------------------------------------------------------------

    @property
    def endpoints(self) -> StackEndpoints:
        if self._endpoints is None:
            raise RuntimeError("the stack is not started")
        return self._endpoints

    def pids(self) -> dict[str, int]:
        """Main process id of each running server process (SMTP runs in this process and has none)."""
        return {name: pid for name, service in self._services.items() if (pid := service.pid()) is not None}

    def is_running(self, name: ServiceName) -> bool:
        return self._service(name).is_running()

    @property
    def started_services(self) -> tuple[ServiceName, ...]:
        return tuple(self._services)

    # -- internals -------------------------------------------------------------------------------------

    def _service(self, name: ServiceName) -> Service:
        if name not in SERVICE_NAMES:
            raise ValueError(f"unknown service {name!r}; one of {', '.join(SERVICE_NAMES)}")
        if self._endpoints is None:
            raise RuntimeError("the stack is not started")
        if name not in self._services:
            raise ValueError(f"{name} is external (set in the environment): the stack does not control it")
        return self._services[name]

    def _port(self, state: dict[str, Any], name: ServiceName) -> int:
        last = state.get("ports", {}).get(name)
        if name == "s3":
            if isinstance(last, int) and ports.block_is_free(last, PORT_OFFSETS):
                for offset in PORT_OFFSETS:
                    ports.claim(last + offset)
                return last
            return ports.free_port_block(PORT_OFFSETS)
        if isinstance(last, int) and ports.port_is_free(last):
            ports.claim(last)
            return last
        return ports.free_port()

    def _build(self, name: ServiceName, port: int, state: dict[str, Any]) -> Service:
        if name == "postgres":
            return PostgresServer(
                self.data_dir / "pg",
                port,
                database=self._database,
                test_mode=not self.persistent,
                log=self._log,
            )
        if name == "redis":
            return RedisServer(self.data_dir / "redis", port, log=self._log)
        if name == "s3":
            s3_state = state.setdefault("s3", {})
            s3_state.setdefault("access_key_id", "LOCAL" + secrets.token_hex(8).upper())
            s3_state.setdefault("secret_access_key", secrets.token_urlsafe(30))
            return SeaweedS3(
                self.data_dir / "s3",
                port,
                access_key_id=s3_state["access_key_id"],
                secret_access_key=s3_state["secret_access_key"],
                bucket=self._external.s3_bucket or DEFAULT_BUCKET,
                log=self._log,
            )
        return SmtpServer(self.data_dir / "mail", port, log=self._log)

    def _stop_leftovers(self, state: dict[str, Any]) -> None:
        """Servers of an earlier run whose launcher was killed hold our folder and ports: stop them first."""
        last_ports = state.get("ports", {})
        leftovers = [
            self._build(name, last_ports[name], state)
            for name in SERVICE_NAMES
            if isinstance(last_ports.get(name), int)
        ]
        _in_parallel([service.stop_leftover for service in leftovers])

    def _make_services(self, state: dict[str, Any]) -> dict[ServiceName, Service]:
        chosen: dict[str, int] = {}
        services: dict[ServiceName, Service] = {}
        for name in SERVICE_NAMES:
            if not self._external.replaces(name):
                chosen[name] = self._port(state, name)
                services[name] = self._build(name, chosen[name], state)
        state["ports"] = {**state.get("ports", {}), **chosen}
        return services

    def _make_endpoints(self) -> StackEndpoints:
        ext = self._external
        services = self._services
        postgres, redis, s3, smtp = (services.get(n) for n in SERVICE_NAMES)
        if ext.database_url is not None:
            database_url = ext.database_url
        else:
            assert isinstance(postgres, PostgresServer)
            database_url = postgres.url
        if ext.redis_url is not None:
            redis_url = ext.redis_url
        else:
            assert isinstance(redis, RedisServer)
            redis_url = redis.url
        if ext.s3 is not None:
            s3_endpoint, s3_key, s3_secret = ext.s3
            s3_bucket = ext.s3_bucket or DEFAULT_BUCKET
        else:
            assert isinstance(s3, SeaweedS3)
            s3_endpoint, s3_key, s3_secret, s3_bucket = (
                s3.endpoint_url,
                s3.access_key_id,
                s3.secret_access_key,
                s3.bucket,
            )
        mail_dir: Path | None = None
        if ext.smtp is not None:
            smtp_host, smtp_port = ext.smtp
        else:
            assert isinstance(smtp, SmtpServer)
            smtp_host, smtp_port, mail_dir = ports.HOST, smtp.port, smtp.mail_dir
        return StackEndpoints(
            database_url=database_url,
            redis_url=redis_url,
            s3_endpoint_url=s3_endpoint,
            s3_access_key_id=s3_key,
            s3_secret_access_key=s3_secret,
            s3_bucket=s3_bucket,
            s3_region=ext.s3_region or REGION,
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            mail_dir=mail_dir,
        )

    def _load_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.data_dir / STATE_FILE).read_text())
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        path = self.data_dir / STATE_FILE
        tmp = path.with_suffix(".json.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the S3 secret
        with os.fdopen(fd, "w") as out:
            json.dump(state, out, indent=2, sort_keys=True)
            out.write("\n")
        tmp.replace(path)


def _in_parallel(calls: list[Callable[[], None]], *, parallel: bool = True) -> None:
    """Run all the calls (in threads unless parallel is False); raise the first error, the others as notes."""
    errors: list[BaseException] = []
    if parallel and len(calls) > 1:
        pool = ThreadPoolExecutor(max_workers=len(calls))
        futures = [pool.submit(call) for call in calls]
        try:
            wait(futures)
        except BaseException:
            # Ctrl-C while waiting: let the calls in flight finish, so that a following stop() sees
            # every process they started.
            wait(futures)
            raise
        finally:
            pool.shutdown(wait=False)
        errors = [exc for future in futures if (exc := future.exception()) is not None]
    else:
        for call in calls:
            try:
                call()
            except Exception as exc:  # collected, re-raised below
                errors.append(exc)
    if errors:
        for other in errors[1:]:
            errors[0].add_note(f"also: {type(other).__name__}: {other}")
        raise errors[0]


@contextlib.contextmanager
def temporary_stack(
    *, env: Mapping[str, str] | None = None, log: Callable[[str], None] = print
) -> Iterator[LocalStack]:
    """A started, non-persistent stack in a fresh temporary folder, removed afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="exchange-stack-"))
    try:
        with LocalStack(data_dir, persistent=False, env=env, log=log) as stack:
            yield stack
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# -- command line -----------------------------------------------------------------------------------------


def _exports(env: Mapping[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _up(data_dir: Path) -> int:
    stack = LocalStack(data_dir, persistent=True, log=_stderr)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        _stderr(f"stack: {signal.Signals(signum).name} received, stopping")
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        endpoints = stack.start()
        sys.stdout.write(_exports(endpoints.as_env()))
        sys.stdout.flush()
        _stderr("stack: running; Ctrl-C (or SIGTERM) stops it")
        while not stop.wait(1.0):
            dead = [name for name in stack.started_services if not stack.is_running(name)]
            if dead:
                _stderr(f"stack: {', '.join(dead)} exited unexpectedly; stopping the rest")
                return 1
        return 0
    except (ServiceError, ValueError) as exc:
        _stderr(f"stack: failed: {exc}")
        return 1
    finally:
        stack.stop()


def _env(data_dir: Path) -> int:
    try:
        state = json.loads((data_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        state = {}
    pid = state.get("launcher_pid")
    if not isinstance(pid, int) or not pid_alive(pid) or "endpoints" not in state:
        _stderr(f"stack: none running in {data_dir} (start it: python -m infra.stack up --data-dir DIR)")
        return 1
    sys.stdout.write(_exports(state["endpoints"]))
    return 0


def _run(data_dir: Path | None, command: list[str]) -> int:
    """Start the stack, run command with its variables in the environment, stop the stack when it exits."""
    if not command:
        _stderr("stack: run needs a command after --")
        return 2
    temporary = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="exchange-stack-")) if data_dir is None else data_dir
    stack = LocalStack(folder, persistent=not temporary, log=_stderr)
    child: subprocess.Popen[bytes] | None = None

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # Ctrl-C reaches the command too (same process group); SIGTERM/SIGHUP are passed on to it.
        if child is not None and signum != signal.SIGINT:
            child.send_signal(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        endpoints = stack.start()
        try:
            child = subprocess.Popen(command, env={**os.environ, **endpoints.as_env()})
        except OSError as exc:
            _stderr(f"stack: cannot run {command[0]}: {exc}")
            return 127
        return child.wait()
    except (ServiceError, ValueError) as exc:
        _stderr(f"stack: failed: {exc}")
        return 1
    finally:
        stack.stop()
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.stack",
        description="Local PostgreSQL, Redis, S3 (SeaweedFS) and SMTP on loopback and free ports.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the stack, print `export` lines, run until Ctrl-C/SIGTERM")
    up.add_argument("--data-dir", type=Path, required=True, help="folder for the data (kept across runs)")
    env = commands.add_parser("env", help="print the `export` lines of the stack running in --data-dir")
    env.add_argument("--data-dir", type=Path, required=True)
    run = commands.add_parser(
        "run",
        help="start the stack, run a command with its variables set, stop the stack when the command ends",
        description="Example: python -m infra.stack run --data-dir .stack -- litestar run",
    )
    where = run.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", type=Path, help="folder for the data (kept across runs)")
    where.add_argument("--temporary", action="store_true", help="throwaway folder, test settings")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- command and arguments")
    args = parser.parse_args(argv)
    if args.command == "up":
        return _up(args.data_dir)
    if args.command == "run":
        cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        return _run(None if args.temporary else args.data_dir, cmd)
    return _env(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
