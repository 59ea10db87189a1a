"""The real arq worker, in burst mode, as a process of its own (so tests can SIGKILL it):

    python -m tests.workers.worker_process QUEUE [--now ISO-DATETIME]

It runs the production job functions and startup (workers.settings) on the given queue until the queue is
empty, with settings from the environment. --now fixes the clock the jobs see (time is injected, not slept).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from typing import Any

from arq.worker import Worker

from backend.lib.queue import redis_settings
from backend.lib.settings import get_settings
from workers.settings import FUNCTIONS, WorkerSettings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("queue")
    parser.add_argument("--now", type=datetime.fromisoformat, default=None)
    args = parser.parse_args()
    asyncio.run(_run(args.queue, args.now))


async def _run(queue: str, now: datetime | None) -> None:
    ctx: dict[str, Any] = {}
    if now is not None:
        ctx["clock"] = lambda: now
    # Built inside the running loop: arq's Worker binds to the loop current when it is created.
    worker = Worker(
        functions=FUNCTIONS,
        queue_name=queue,
        redis_settings=redis_settings(get_settings().redis_url),
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        on_startup=WorkerSettings.on_startup,
        on_shutdown=WorkerSettings.on_shutdown,
        job_timeout=WorkerSettings.job_timeout,
        burst=True,
        poll_delay=0.05,
        ctx=ctx,
    )
    try:
        await worker.main()
    finally:
        await worker.close()


if __name__ == "__main__":
    main()
