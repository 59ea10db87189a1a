from __future__ import annotations

from backend.lib.settings import Settings
from infra.services.seaweedfs import s3_client


def object_keys(settings: Settings, prefix: str = "") -> set[str]:
    """Every key in the bucket under a prefix, read straight from the S3 server."""
    client = s3_client(settings.s3_endpoint_url or "", settings.s3_access_key_id, settings.s3_secret_access_key)
    keys: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket, Prefix=prefix):
        keys.update(item["Key"] for item in page.get("Contents", []))
    return keys
