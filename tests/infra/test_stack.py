"""The local stack launcher: real PostgreSQL, Redis, SeaweedFS and SMTP, started in a throwaway folder."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import smtplib
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
import redis
from botocore.exceptions import ClientError

from infra.services import ports
from infra.services.base import descendants, pid_alive
from infra.services.seaweedfs import PORT_OFFSETS, s3_client
from infra.services.smtp import read_mail
from infra.stack import LocalStack, StackEndpoints, _exports, main

NO_EXTERNAL: dict[str, str] = {}  # ignore DATABASE_URL & co. of the developer's shell


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _group_members(pgids: set[int]) -> set[int]:
    """Every live process whose process group is one of pgids."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in pgids:
            members.add(int(entry.name))
    return members


def _stack_processes(stack: LocalStack) -> set[int]:
    pids = set(stack.pids().values())
    found = pids | _group_members({os.getpgid(pid) for pid in pids})
    for pid in pids:
        found |= descendants(pid)
    return found


def _listen_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on port (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _owner_uid(path: Path) -> int:
    return path.stat().st_uid


def _process_uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("Uid:")).split()[1])


LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    data_dir = Path(tempfile.mkdtemp(prefix="test-stack-"))
    local = LocalStack(data_dir, persistent=False, env=NO_EXTERNAL)
    try:
        yield local
    finally:
        local.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def endpoints(stack: LocalStack) -> StackEndpoints:
    return stack.start()  # idempotent; starts again if a test stopped it


async def test_postgres_answers_as_unprivileged_user(stack: LocalStack, endpoints: StackEndpoints) -> None:
    assert endpoints.database_url.startswith("postgresql+asyncpg://postgres@127.0.0.1:")
    assert endpoints.database_url.endswith("/exchange")
    conn = await asyncpg.connect(_asyncpg_dsn(endpoints.database_url))
    try:
        assert await conn.fetchval("SELECT 41 + 1") == 42
        assert await conn.fetchval("SELECT current_database()") == "exchange"
        data_directory = Path(await conn.fetchval("SELECT current_setting('data_directory')"))
        settings = {
            name: await conn.fetchval(f"SELECT current_setting('{name}')")
            for name in ("fsync", "synchronous_commit", "full_page_writes", "max_connections")
        }
    finally:
        await conn.close()
    expected_uid = pwd.getpwnam("postgres").pw_uid if os.geteuid() == 0 else os.geteuid()
    assert _owner_uid(data_directory) == expected_uid
    assert _process_uid(stack.pids()["postgres"]) == expected_uid != 0
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
    }


async def test_postgres_takes_fifty_concurrent_connections(endpoints: StackEndpoints) -> None:
    pool = await asyncpg.create_pool(_asyncpg_dsn(endpoints.database_url), min_size=55, max_size=55)
    try:
        assert await pool.fetchval("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'") >= 55
    finally:
        await pool.close()


def test_redis_answers_ping(endpoints: StackEndpoints) -> None:
    assert endpoints.redis_url.startswith("redis://127.0.0.1:")
    client = redis.Redis.from_url(endpoints.redis_url)
    try:
        assert client.ping() is True
        client.set("greeting", "hello")
        assert client.get("greeting") == b"hello"
    finally:
        client.close()


def test_s3_put_get_and_wrong_secret_refused(endpoints: StackEndpoints) -> None:
    s3 = s3_client(endpoints.s3_endpoint_url, endpoints.s3_access_key_id, endpoints.s3_secret_access_key)
    s3.put_object(Bucket=endpoints.s3_bucket, Key="docs/cv.txt", Body=b"curriculum")
    assert s3.get_object(Bucket=endpoints.s3_bucket, Key="docs/cv.txt")["Body"].read() == b"curriculum"

    intruder = s3_client(endpoints.s3_endpoint_url, endpoints.s3_access_key_id, "not-the-secret")
    with pytest.raises(ClientError) as refused:
        intruder.get_object(Bucket=endpoints.s3_bucket, Key="docs/cv.txt")
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    stranger = s3_client(endpoints.s3_endpoint_url, "NOSUCHKEY", endpoints.s3_secret_access_key)
    with pytest.raises(ClientError) as unknown:
        stranger.list_objects_v2(Bucket=endpoints.s3_bucket)
    assert unknown.value.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_smtp_message_lands_in_the_maildir(endpoints: StackEndpoints) -> None:
    assert endpoints.mail_dir is not None
    before = len(read_mail(endpoints.mail_dir))
    message = EmailMessage()
    message["From"] = "noreply@exchange.test"
    message["To"] = "trainee@example.test"
    message["Subject"] = "Your application was received — merci"
    message.set_content("Dear trainee,\nwe received your application.\n")
    with smtplib.SMTP(endpoints.smtp_host, endpoints.smtp_port, timeout=5) as smtp:
        smtp.send_message(message, to_addrs=["trainee@example.test", "audit@exchange.test"])
    received = read_mail(endpoints.mail_dir)
    assert len(received) == before + 1
    last = received[-1]
    assert last["Subject"] == "Your application was received — merci"
    assert last["X-Envelope-To"] == "trainee@example.test, audit@exchange.test"
    assert "we received your application." in last.get_content()


def test_every_server_listens_on_loopback_only(stack: LocalStack, endpoints: StackEndpoints) -> None:
    s3_base = json.loads((stack.data_dir / "stack.json").read_text())["ports"]["s3"]
    ports = [
        int(endpoints.database_url.split(":")[-1].split("/")[0]),
        int(endpoints.redis_url.split(":")[-1].split("/")[0]),
        endpoints.smtp_port,
        *(s3_base + offset for offset in PORT_OFFSETS),
    ]
    for port in ports:
        assert _listen_addresses(port) <= {LOOPBACK}, port
    assert _listen_addresses(endpoints.smtp_port) == {LOOPBACK}


def test_stop_and_start_redis_on_the_same_port(stack: LocalStack, endpoints: StackEndpoints) -> None:
    pid = stack.pids()["redis"]
    stack.stop_service("redis")
    assert not pid_alive(pid)
    assert not stack.is_running("redis")
    client = redis.Redis.from_url(endpoints.redis_url, socket_connect_timeout=1)
    try:
        with pytest.raises(redis.ConnectionError):
            client.ping()
        stack.start_service("redis")
        assert client.ping() is True
    finally:
        client.close()
    assert stack.endpoints.redis_url == endpoints.redis_url


def test_stop_leaves_no_process_and_a_removable_folder(stack: LocalStack, endpoints: StackEndpoints) -> None:
    processes = _stack_processes(stack)
    assert set(stack.pids()) == {"postgres", "redis", "s3"}
    assert len(processes) > 3  # PostgreSQL's own children are in there too
    s3_base = json.loads((stack.data_dir / "stack.json").read_text())["ports"]["s3"]

    stack.stop()

    assert [pid for pid in processes if pid_alive(pid)] == []
    assert stack.pids() == {}
    leftovers = [
        f"/tmp/seaweedfs-{role}-grpc-{s3_base + 10000 + i}.sock"
        for i, role in enumerate(("master", "volume", "filer", "s3", "admin"))
    ]
    assert [path for path in leftovers if os.path.exists(path)] == []
    shutil.rmtree(stack.data_dir)  # no error: nothing holds or locks it
    assert not stack.data_dir.exists()


def test_external_services_are_passed_through_and_not_started(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql+asyncpg://app@db.internal:5432/exchange",
        "REDIS_URL": "redis://cache.internal:6379/2",
        "S3_ENDPOINT_URL": "https://s3.example.test",
        "S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_BUCKET": "exchange-prod",
        "SMTP_HOST": "smtp.example.test",
        "SMTP_PORT": "587",
    }
    with LocalStack(tmp_path, persistent=False, env=env) as local:
        got = local.endpoints
        assert local.pids() == {}
        with pytest.raises(ValueError, match="external"):
            local.stop_service("redis")
    assert got.as_env() == {**env, "S3_REGION": "us-east-1", "MAIL_DIR": ""}
    assert got.mail_dir is None


async def test_persistent_mode_keeps_data_and_ports(tmp_path_factory: pytest.TempPathFactory) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="test-stack-persistent-"))
    try:
        first = LocalStack(data_dir, persistent=True, env=NO_EXTERNAL)
        with first:
            conn = await asyncpg.connect(_asyncpg_dsn(first.endpoints.database_url))
            try:
                await conn.execute("CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (7)")
            finally:
                await conn.close()
            ep = first.endpoints
            s3_client(ep.s3_endpoint_url, ep.s3_access_key_id, ep.s3_secret_access_key).put_object(
                Bucket=ep.s3_bucket, Key="kept.txt", Body=b"still here"
            )
            first_env = ep.as_env()
        assert first.pids() == {}

        with LocalStack(data_dir, persistent=True, env=NO_EXTERNAL) as second:
            ep = second.endpoints
            conn = await asyncpg.connect(_asyncpg_dsn(ep.database_url))
            try:
                assert await conn.fetchval("SELECT id FROM kept") == 7
                assert await conn.fetchval("SELECT current_setting('fsync')") == "on"
            finally:
                await conn.close()
            s3 = s3_client(ep.s3_endpoint_url, ep.s3_access_key_id, ep.s3_secret_access_key)
            assert s3.get_object(Bucket=ep.s3_bucket, Key="kept.txt")["Body"].read() == b"still here"
            assert ep.as_env() == first_env  # same ports (they were free) and same S3 credentials
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def test_weed_port_block_leaves_room_for_grpc_ports() -> None:
    base = ports.free_port_block(PORT_OFFSETS)
    assert base + max(PORT_OFFSETS) < 65536
    assert base < 45000
    assert ports.free_port_block(PORT_OFFSETS) != base  # never handed out twice


def test_cli_env_without_a_running_stack_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["env", "--data-dir", str(tmp_path)]) == 1
    assert "none running" in capsys.readouterr().err


def test_export_lines_are_shell_quoted() -> None:
    assert _exports({"A": "x y", "B": "it's"}) == "export A='x y'\nexport B='it'\"'\"'s'\n"
