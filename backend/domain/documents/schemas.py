from __future__ import annotations

import uuid
from datetime import datetime

from backend.db.models import DocumentKind
from backend.lib.schemas import Output


class DocumentOut(Output):
    id: uuid.UUID
    kind: DocumentKind
    version: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


class DownloadOut(Output):
    document: DocumentOut
    url: str
    expires_at: datetime
