"""Offer search under load: a large catalogue, the API under uvicorn, wrk from a second process.

    python -m bench.search                        # 100,000 offers, 1,000,000 applications, 50 connections, 10 s
    python -m bench.search --workers 1 --duration 20
    python -m bench.search --offers 20000 --applications 100000 --duration 5     # a quicker run
    eval "$(python -m infra.stack env --data-dir DIR)"; python -m bench.search --external   # a running stack

Starts its own stack (or, with --external, uses the services named in the environment and loads the
catalogue only into an empty database) (PostgreSQL, Redis, S3, SMTP) in a temporary folder, migrates it, bulk-loads the
catalogue with COPY (bench/catalogue.py), serves the API with uvicorn, checks that every URL of the query
mix answers 200, then runs wrk (installed separately: `apt-get install -y wrk`) at N connections against
/health/live (the stack's ceiling on this machine: the same server, no database) and against the search
mix, a warm-up first each time; /api/regions (one small query, no filters) is measured too, as the floor of
any endpoint that reads the database. Prints req/s, p50 and p99 of each, and the search/ceiling ratio, next to
the targets (search p99 under 100 ms, at least half the ceiling's req/s). While wrk runs the search mix, a
probe reads the Age header of a few answers a second: how stale the cache lets them get under this load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from backend.db.migrate import upgrade
from bench.catalogue import Loaded, existing, load, query_mix
from infra.services import ports
from infra.stack import temporary_stack

STACK_VARIABLES = ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
                   "S3_BUCKET", "S3_REGION", "SMTP_HOST", "SMTP_PORT")  # fmt: skip


def say(line: str) -> None:
    print(line, flush=True)


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str
    non_2xx: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if not match:
        raise ValueError(f"unreadable wrk latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors:.*", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return WrkResult(
        rps, p50, p99, requests, errors.group(0) if errors else "", int(non_2xx.group(1)) if non_2xx else 0
    )


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def run_wrk(base: str, path: str, *, connections: int, seconds: int, threads: int, script: Path | None) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the API did not answer at {url}")


def check_mix(base: str, urls: list[str]) -> float:
    """Every URL of the mix answers 200 (a 4xx would make wrk measure errors); returns the slowest, in ms."""
    slowest = 0.0
    for url in urls:
        started = time.perf_counter()
        with urllib.request.urlopen(base + url, timeout=30) as response:
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
            response.read()
        slowest = max(slowest, (time.perf_counter() - started) * 1000)
    return slowest


def prepare(args: argparse.Namespace, resources: contextlib.ExitStack) -> tuple[dict[str, str], Loaded]:
    """The services (started here, or the environment's) and a loaded catalogue."""
    if args.external:
        endpoints = {k: v for k, v in os.environ.items() if k in STACK_VARIABLES}
    else:
        endpoints = resources.enter_context(temporary_stack(env={}, log=lambda line: None)).endpoints.as_env()
    upgrade(endpoints["DATABASE_URL"])
    dsn = endpoints["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
    loaded = asyncio.run(existing(dsn)) if args.external else None
    if loaded is not None and loaded.offers:
        say(f"using the catalogue in place: {loaded.offers:,} offers, {loaded.applications:,} applications")
        return endpoints, loaded
    say(f"loading {args.offers:,} offers and {args.applications:,} applications with COPY ...")
    loaded = asyncio.run(load(dsn, offers=args.offers, applications=args.applications, seed=args.seed, say=say))
    say(f"loaded in {loaded.seconds:.1f} s (VACUUM ANALYZE included)")
    return endpoints, loaded


def serve(args: argparse.Namespace, endpoints: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    env = os.environ | endpoints | {
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
        "DATABASE_POOL_SIZE": str(args.pool),
        "DATABASE_MAX_OVERFLOW": "0",
    }  # fmt: skip
    return subprocess.Popen(
        # --api-nice N puts the workers below PostgreSQL in the CPU queue, as on a database host of its own: on a
        # 2-core machine the saturated workers starve it (a 70 ms query measured at 0.3-4 s under load), which
        # slows the search cache's background refreshes (the Age probe shows how old the answers get).
        ["nice", "-n", str(args.api_nice), sys.executable, "-m", "uvicorn", "backend.app:create_app", "--factory",
         "--host", ports.HOST,
         "--port", str(port), "--workers", str(args.workers), "--loop", "uvloop", "--http", "httptools",
         "--no-access-log", "--log-level", "warning"],
        env=env,
    )  # fmt: skip


class AgeProbe(threading.Thread):
    """Reads the Age header of the search answers a few times a second while wrk runs: how stale the cache lets
    them get when its refreshes compete with the load for the CPU."""

    def __init__(self, base: str, urls: list[str]) -> None:
        super().__init__(daemon=True)
        self.base, self.urls = base, urls
        self.ages: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        for i in itertools.count():
            if self.stop.wait(0.2):
                return
            url = self.base + self.urls[i % len(self.urls)]
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
                self.ages.append(int(answer.headers.get("Age", "0")))


def measure(
    args: argparse.Namespace, base: str, urls: list[str], script: Path
) -> tuple[dict[str, WrkResult], list[int]]:
    results: dict[str, WrkResult] = {}
    probe = AgeProbe(base, urls)
    targets = (
        ("ceiling /health/live", "/health/live", None),
        ("one query /api/regions", "/api/regions", None),
        ("search mix", "/", script),
    )
    for name, path, lua in targets:
        run_wrk(base, path, connections=args.connections, seconds=args.warmup, threads=args.threads, script=lua)
        if lua is not None:
            probe.start()
        r = run_wrk(base, path, connections=args.connections, seconds=args.duration, threads=args.threads, script=lua)
        if lua is not None:
            probe.stop.set()
        results[name] = r
        say(
            f"{name:22} {r.requests_per_second:9,.0f} req/s  p50 {r.p50_ms:7.1f} ms  p99 {r.p99_ms:7.1f} ms  "
            f"({r.requests:,} requests, non-2xx {r.non_2xx}) {r.errors}"
        )
    probe.join()
    return results, sorted(probe.ages)


def report(args: argparse.Namespace, loaded: Loaded, results: dict[str, WrkResult], ages: list[int]) -> None:
    ceiling, floor, search = (results[n] for n in ("ceiling /health/live", "one query /api/regions", "search mix"))
    ratio = search.requests_per_second / ceiling.requests_per_second
    say(
        f"\n== offer search: {loaded.offers:,} offers ({loaded.published:,} published), "
        f"{loaded.applications:,} applications; uvicorn x{args.workers}, wrk {args.connections} connections, "
        f"{args.duration} s, API nice {args.api_nice}, search cache {os.environ.get('SEARCH_CACHE_SECONDS', '10')} s "
        f"(+{os.environ.get('SEARCH_CACHE_STALE_SECONDS', '60')} s stale), "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    say("                          req/s     p50 ms    p99 ms")
    for name, r in results.items():
        say(f"{name:22} {r.requests_per_second:9,.0f} {r.p50_ms:9.1f} {r.p99_ms:9.1f}")
    say(
        f"search/one-query req/s: {search.requests_per_second / floor.requests_per_second:.2f}; "
        f"search/ceiling req/s: {ratio:.2f} (target >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'}); "
        f"search p99 {search.p99_ms:.1f} ms (target < 100 ms: {'met' if search.p99_ms < 100 else 'NOT met'})"
    )
    if ages:
        say(
            f"age of the search answers during the run ({len(ages)} probes, Age header): "
            f"median {ages[len(ages) // 2]} s, p90 {ages[len(ages) * 9 // 10]} s, max {ages[-1]} s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each warm-up run")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--pool", type=int, default=20, help="database connections per worker")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--api-nice", type=int, default=0, help="niceness of the API workers (e.g. 10: below the DB)")
    parser.add_argument("--external", action="store_true", help="use the services named in the environment")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        say("wrk is not installed: apt-get install -y wrk")
        return 2

    say(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    with contextlib.ExitStack() as resources:
        scratch = Path(resources.enter_context(tempfile.TemporaryDirectory()))
        endpoints, loaded = prepare(args, resources)
        port = ports.free_port()
        server = serve(args, endpoints, port)
        try:
            base = f"http://{ports.HOST}:{port}"
            wait_until_up(base + "/health/live")
            urls = query_mix(loaded)
            slowest = check_mix(base, urls)
            say(f"query mix: {len(urls)} URLs, all 200 (slowest alone: {slowest:.1f} ms), e.g. {urls[4]}")
            script = scratch / "mix.lua"
            script.write_text(LUA % ", ".join(f'"{u}"' for u in urls))
            results, ages = measure(args, base, urls, script)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(args, loaded, results, ages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
