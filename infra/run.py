"""`make run`: the whole platform on this machine, on its real services, until Ctrl-C.

Starts the local stack (data kept in .stack/ between runs), applies the migrations, loads the demo data once,
starts the API server (serving the built front end too) and the arq worker, prints the URLs and the demo
accounts, and stops everything it started on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

from infra.services.ports import free_port, port_is_free
from infra.stack import LocalStack

ROOT = Path(__file__).resolve().parent.parent


def _say(line: str) -> None:
    print(line, flush=True)


def _wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback server
                return bool(response.status == 200)
        except OSError:
            time.sleep(0.2)
    return False


def _prepare(env: dict[str, str]) -> None:
    """Migrations to head, then the demo data (once)."""
    from backend.cli.seed import run as seed  # noqa: PLC0415 - imported after the environment is set
    from backend.db.migrate import upgrade  # noqa: PLC0415
    from backend.lib.settings import load_settings  # noqa: PLC0415

    settings = load_settings(env)
    started = time.perf_counter()
    upgrade(settings.database_url)
    _say(f"migrations: at head ({time.perf_counter() - started:.1f} s)")
    asyncio.run(seed(settings, out=_say))


def _start_processes(env: dict[str, str], port: int) -> list[subprocess.Popen[bytes]]:
    python = sys.executable
    api = subprocess.Popen(
        [
            python,
            "-m",
            "uvicorn",
            "backend.asgi:create",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen([python, "-m", "arq", "workers.settings.WorkerSettings"], cwd=ROOT, env=env)
    return [api, worker]


def _banner(public_url: str, mail_dir: Path | None) -> None:
    from backend.cli.seed import print_accounts  # noqa: PLC0415

    _say("")
    _say(f"  platform:        {public_url}/")
    _say(f"  API docs:        {public_url}/schema  (Swagger UI: /schema/swagger, JSON: /schema/openapi.json)")
    _say(f"  readiness:       {public_url}/health/ready")
    if mail_dir is not None:
        _say(f"  e-mail (dev):    every message lands in {mail_dir} (Maildir)")
    _say("  demo accounts:")
    print_accounts(_say)
    _say("")
    _say("Ctrl-C stops everything.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".stack")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)

    port = args.port if port_is_free(args.port) else free_port()
    if port != args.port:
        _say(f"port {args.port} is taken: using {port}")
    public_url = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{port}")

    stack = LocalStack(args.data_dir, persistent=True, env=os.environ, log=_say)
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        endpoints = stack.start()
        env = os.environ | endpoints.as_env() | {"PUBLIC_URL": public_url, "ENVIRONMENT": "development"}
        dist = ROOT / "frontend" / "dist"
        if (dist / "index.html").is_file():
            env["FRONTEND_DIST"] = str(dist)
        else:
            _say("front end: not built (frontend/dist missing): serving the API only")
        os.environ.update(env)

        _prepare(env)
        children.extend(_start_processes(env, port))
        api = children[0]
        if not _wait_for_http(f"http://127.0.0.1:{port}/health/live", api):
            _say("the API server did not start: see the lines above")
            return 1

        _banner(public_url, endpoints.mail_dir)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        _say("a process ended unexpectedly: stopping")
        return 1
    except KeyboardInterrupt:
        _say("\nstopping ...")
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
