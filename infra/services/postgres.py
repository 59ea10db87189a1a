"""PostgreSQL from the system's binaries (or those bundled in the PyPI package pgserver), as a plain user.

Layout under the service folder (data_dir/pg):  data/ (the cluster), postgres.log.
"""

from __future__ import annotations

import asyncio
import functools
import glob
import importlib.util
import os
import pwd
import re
import shutil
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

from infra.services.base import (
    Log,
    ServiceError,
    descendants,
    getpgid,
    kill_survivors,
    pid_alive,
    process_cmdline,
    read_pid,
    run,
    tail,
    terminate,
)

HOST = "127.0.0.1"
SUPERUSER = "postgres"
SERVER_USER = "postgres"  # system user the server runs as when we are root
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class PgBinaries:
    bin_dir: Path
    major: int

    def __getitem__(self, program: str) -> str:
        return str(self.bin_dir / program)


@functools.cache
def _major_version(bin_dir: Path) -> int | None:
    try:
        out = run([str(bin_dir / "pg_ctl"), "--version"], timeout=10)
    except (ServiceError, OSError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def _is_bin_dir(path: Path) -> bool:
    return all(os.access(path / program, os.X_OK) for program in ("initdb", "pg_ctl", "postgres"))


def _system_bin_dirs() -> list[Path]:
    found: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    found.extend(Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin"))
    return list(dict.fromkeys(p for p in found if _is_bin_dir(p)))


def _pgserver_bin_dir() -> Path | None:
    """pgserver/pginstall/bin of the PyPI package pgserver, without importing its Python wrapper."""
    try:
        spec = importlib.util.find_spec("pgserver")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "pginstall" / "bin"
        if _is_bin_dir(candidate):
            return candidate
    return None


def find_binaries(cluster_major: int | None = None) -> PgBinaries:
    """The newest system PostgreSQL, else pgserver's; the one matching an existing cluster if there is one."""
    system = [(major, d) for d in _system_bin_dirs() if (major := _major_version(d)) is not None]
    bundled_dir = _pgserver_bin_dir()
    bundled = [(major, bundled_dir)] if bundled_dir and (major := _major_version(bundled_dir)) else []
    if cluster_major is not None:
        for major, bin_dir in sorted(system, key=lambda item: -item[0]) + bundled:
            if major == cluster_major:
                return PgBinaries(bin_dir, major)
        seen = ", ".join(f"{major} ({d})" for major, d in system + bundled) or "none"
        raise ServiceError(
            f"the existing cluster was made by PostgreSQL {cluster_major}, but only these PostgreSQL "
            f"versions are installed: {seen}. Install PostgreSQL {cluster_major} or remove the cluster."
        )
    if system:
        major, bin_dir = max(system, key=lambda item: item[0])
        return PgBinaries(bin_dir, major)
    if bundled:
        return PgBinaries(bundled[0][1], bundled[0][0])
    raise ServiceError(
        "PostgreSQL binaries not found: looked for pg_ctl on PATH, in /usr/lib/postgresql/*/bin and in the "
        "PyPI package pgserver (pgserver/pginstall/bin). Install one of them (apt-get install postgresql, "
        "or pip install pgserver)."
    )


@dataclass(frozen=True)
class _RunAs:
    name: str
    uid: int
    gid: int
    groups: frozenset[int]


def _server_user() -> _RunAs | None:
    """None when we are not root (the server runs as us); else the unprivileged system user to run it as."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise ServiceError(
            f"running as root, and PostgreSQL refuses to run as root; no '{SERVER_USER}' user exists to run "
            f"it as. Create one (useradd --system --user-group {SERVER_USER}) or run as an unprivileged user."
        ) from None
    if shutil.which("runuser") is None:
        raise ServiceError("running as root, and `runuser` (util-linux) is missing: cannot start PostgreSQL.")
    groups = frozenset(os.getgrouplist(entry.pw_name, entry.pw_gid))
    return _RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid, groups)


def _can_enter(path: Path, user: _RunAs) -> bool:
    st = path.stat()
    if st.st_uid == user.uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in user.groups:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _make_enterable(path: Path, user: _RunAs, log: Log) -> None:
    """Give the server user the right to traverse every folder from / down to path (chmod o+x)."""
    for folder in [*reversed(path.parents), path]:
        if not _can_enter(folder, user):
            folder.chmod(stat.S_IMODE(folder.stat().st_mode) | stat.S_IXOTH)
            log(f"postgres: made {folder} enterable by user {user.name} (chmod o+x)")


def cluster_major(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "PG_VERSION").read_text().strip())
    except (OSError, ValueError):
        return None


class PostgresServer:
    name = "postgres"

    def __init__(self, root: Path, port: int, *, database: str, test_mode: bool, log: Log) -> None:
        if not _DB_NAME.match(database):
            raise ValueError(f"database name {database!r} must match {_DB_NAME.pattern}")
        self.root = root
        self.pgdata = root / "data"
        self.logfile = root / "postgres.log"
        self.port = port
        self.database = database
        self.test_mode = test_mode
        self._log = log
        self._pid: int | None = None
        self._pgid: int | None = None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@{HOST}:{self.port}/{self.database}"

    def pid(self) -> int | None:
        return self._pid if self._pid is not None and pid_alive(self._pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def _as_server_user(self, user: _RunAs | None, cmd: list[str]) -> list[str]:
        return cmd if user is None else ["runuser", "-u", user.name, "--", *cmd]

    def _server_options(self) -> str:
        options = [
            f"-p {self.port}",
            f"-c listen_addresses={HOST}",
            "-c unix_socket_directories=''",  # TCP only: no socket in /var/run/postgresql or /tmp
            "-c max_connections=200",
        ]
        if self.test_mode:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        return " ".join(options)

    def start(self) -> None:
        if self.is_running():
            return
        started = time.monotonic()
        user = _server_user()
        bins = find_binaries(cluster_major(self.pgdata))
        self.root.mkdir(parents=True, exist_ok=True)
        if user is not None:
            os.chown(self.root, user.uid, user.gid)
            self.root.chmod(0o700)
            _make_enterable(self.root, user, self._log)
        self._stop_leftover(bins, user)
        if cluster_major(self.pgdata) is None:
            if self.pgdata.exists() and any(self.pgdata.iterdir()):
                raise ServiceError(f"{self.pgdata} exists, is not empty and holds no PostgreSQL cluster")
            initdb = [bins["initdb"], "-D", str(self.pgdata), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8"]
            # --no-sync: only the freshly made, empty cluster is not flushed to disk (saves ~1 s).
            initdb += ["--locale=C.UTF-8", "--no-sync"]
            run(self._as_server_user(user, initdb), timeout=120)
        if user is not None and self.logfile.exists():
            os.chown(self.logfile, user.uid, user.gid)
        pg_ctl = [bins["pg_ctl"], "-D", str(self.pgdata), "-l", str(self.logfile), "-w", "-t", "60"]
        pg_ctl += ["-o", self._server_options(), "start"]
        try:
            try:
                run(self._as_server_user(user, pg_ctl), timeout=90, new_session=True)
            except ServiceError as exc:
                raise ServiceError(f"{exc}\n--- {self.logfile} ---\n{tail(self.logfile)}") from exc
            self._pid = read_pid(self.pgdata / "postmaster.pid")
            self._pgid = getpgid(self._pid) if self._pid else None
            self._ensure_database()
        except BaseException:
            self._stop_leftover(bins, user)  # a server that came up half-way must not outlive us
            raise
        self._log(
            f"postgres: started on {HOST}:{self.port} in {time.monotonic() - started:.1f} s "
            f"(PostgreSQL {bins.major} from {bins.bin_dir}{', as user ' + user.name if user else ''})"
        )

    def stop_leftover(self) -> None:
        major = cluster_major(self.pgdata)
        if major is not None and read_pid(self.pgdata / "postmaster.pid") is not None:
            self._stop_leftover(find_binaries(major), _server_user())

    def _stop_leftover(self, bins: PgBinaries, user: _RunAs | None) -> None:
        """A server of an earlier run that was not stopped (e.g. the launcher was killed): stop it."""
        pid = read_pid(self.pgdata / "postmaster.pid")
        # The command line check guards against a stale postmaster.pid naming a reused pid.
        if pid is None or not pid_alive(pid) or str(self.pgdata) not in process_cmdline(pid):
            return
        if pid != self._pid:
            self._log(f"postgres: stopping a server still running in {self.pgdata} (pid {pid})")
        self._pid, self._pgid = pid, getpgid(pid)
        self._stop_with(bins, user)

    def _ensure_database(self) -> None:
        async def create() -> None:
            conn = await asyncpg.connect(host=HOST, port=self.port, user=SUPERUSER, database="postgres", timeout=10)
            try:
                exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", self.database)
                if not exists:
                    await conn.execute(f'CREATE DATABASE "{self.database}"')
            finally:
                await conn.close()

        # A thread of its own: start() may be called from code that already runs an event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(lambda: asyncio.run(create())).result()

    def stop(self) -> None:
        if not self.is_running():
            self._pid = self._pgid = None
            return
        stopping = time.monotonic()
        bins = find_binaries(cluster_major(self.pgdata))
        self._stop_with(bins, _server_user())
        self._log(f"postgres: stopped in {time.monotonic() - stopping:.1f} s")

    def _stop_with(self, bins: PgBinaries, user: _RunAs | None) -> None:
        pid, pgid = self._pid, self._pgid
        children = descendants(pid) if pid is not None else set()
        stop = [bins["pg_ctl"], "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "30", "stop"]
        try:
            run(self._as_server_user(user, stop), timeout=40)
        except ServiceError as exc:
            self._log(f"postgres: pg_ctl stop failed, killing the server: {exc}")
        if pid is not None and pid_alive(pid):
            terminate(pid, pgid=pgid, timeout=5)
        kill_survivors(children, timeout=5)
        self._pid = self._pgid = None
