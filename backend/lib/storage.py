"""S3-compatible object storage through boto3 (AWS S3, MinIO, Ceph, SeaweedFS alike).

boto3 is synchronous: every call runs in a worker thread so the event loop never blocks on the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from backend.lib.errors import ServiceUnavailable
from backend.lib.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class Storage:
    def __init__(self, settings: Settings) -> None:
        self.bucket = settings.s3_bucket
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if settings.s3_path_style else "auto"},
            connect_timeout=settings.s3_timeout_seconds,
            read_timeout=settings.s3_timeout_seconds,
            retries={"max_attempts": 2, "mode": "standard"},
        )
        self.client: S3Client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=settings.s3_secret_access_key,
            region_name=settings.s3_region,
            config=config,
        )

    async def call(self, method: str, /, **kwargs: Any) -> Any:
        """Run one boto3 client method off the event loop; network failures become a 503 problem."""
        fn = getattr(self.client, method)
        try:
            return await anyio.to_thread.run_sync(lambda: fn(**kwargs))
        except ClientError:
            raise
        except BotoCoreError as exc:
            raise ServiceUnavailable("Document storage is unavailable; try again shortly.") from exc

    async def ping(self) -> bool:
        await self.call("head_bucket", Bucket=self.bucket)
        return True
