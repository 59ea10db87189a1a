"""S3-compatible object storage through boto3 (AWS S3, MinIO, Ceph, SeaweedFS alike).

boto3 is synchronous: every call runs in a worker thread so the event loop never blocks on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import quote

import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from backend.lib.errors import ServiceUnavailable
from backend.lib.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback name plus the UTF-8 name, so accents survive and quotes cannot break out."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in filename) or "document.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


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

    async def upload(self, key: str, fileobj: BinaryIO, *, content_type: str) -> None:
        """Stream a file object to the bucket (multipart above boto3's threshold), off the event loop."""

        def put() -> None:
            self.client.upload_fileobj(fileobj, self.bucket, key, ExtraArgs={"ContentType": content_type})

        await self._run(put)

    async def exists(self, key: str) -> bool:
        try:
            await self.call("head_object", Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise ServiceUnavailable("Document storage refused the request; try again shortly.") from exc
        return True

    def download_url(self, key: str, *, filename: str, ttl_seconds: int) -> str:
        """A presigned GET: computed locally, valid for ttl_seconds, naming the file for the browser."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": "application/pdf",
            },
            ExpiresIn=ttl_seconds,
        )

    async def delete(self, keys: list[str]) -> list[str]:
        """Delete objects; returns the keys that could not be deleted (to retry later)."""
        failed: list[str] = []
        for start in range(0, len(keys), 1000):
            chunk = keys[start : start + 1000]
            result = await self.call(
                "delete_objects", Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
            )
            failed.extend(e["Key"] for e in result.get("Errors", []))
        return failed

    async def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return await anyio.to_thread.run_sync(fn)
        except (BotoCoreError, ClientError) as exc:
            raise ServiceUnavailable("Document storage is unavailable; try again shortly.") from exc
