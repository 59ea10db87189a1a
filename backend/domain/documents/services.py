"""CVs in S3-compatible storage: validated streaming upload, versions, presigned downloads, deletion.

Uploads go through the API (streamed to a temporary file, never held whole in memory) rather than a presigned
POST: the server must look at the bytes (PDF header, end marker, size) before anything is stored, and a
presigned POST would put an unchecked object in the bucket first.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Document, DocumentKind, ObjectDeletion, User
from backend.domain.documents.access import may_read_documents_of
from backend.domain.documents.pdf import HEAD_BYTES, TAIL_BYTES, check_pdf
from backend.domain.documents.schemas import DocumentOut, DownloadOut
from backend.lib.auth import Identity
from backend.lib.errors import DomainError, InvalidInput, NotFound
from backend.lib.storage import Storage

SPOOL_IN_MEMORY = 1024 * 1024  # above this an upload spills to a temporary file on disk


class PayloadTooLarge(DomainError):
    status = 413
    type_ = "payload-too-large"
    title = "File too large"


class UnsupportedMediaType(DomainError):
    status = 415
    type_ = "unsupported-media-type"
    title = "Unsupported file type"


def document_out(doc: Document) -> DocumentOut:
    return DocumentOut(
        id=doc.id,
        kind=doc.kind,
        version=doc.version,
        filename=doc.filename,
        content_type=doc.content_type,
        size_bytes=doc.size_bytes,
        sha256=doc.sha256.hex(),
        created_at=doc.created_at,
    )


def clean_filename(name: str | None) -> str:
    """Keep a readable name for the download, without paths or control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()[:150]
    if not base:
        base = "cv.pdf"
    return base if base.lower().endswith(".pdf") else base + ".pdf"


async def upload_cv(
    session: AsyncSession,
    storage: Storage,
    identity: Identity,
    chunks: AsyncIterator[bytes],
    *,
    content_type: str | None,
    filename: str | None,
    max_bytes: int,
    now: datetime,
) -> Document:
    """Check, store and record a new CV version; on any refusal nothing stays in the bucket or the database."""
    if (content_type or "").split(";")[0].strip().lower() != "application/pdf":
        raise UnsupportedMediaType("The CV must be a PDF file (sent as application/pdf).", field="file")
    digest = hashlib.sha256()
    head = b""
    tail = b""
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MB.", field="file")
            digest.update(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            tail = (tail + chunk)[-TAIL_BYTES:]
            spool.write(chunk)
        verdict = check_pdf(head, tail, size)
        if not verdict.ok:
            raise InvalidInput(verdict.reason, field="file")
        # One upload at a time per person, so versions count up without gaps or duplicates.
        await session.execute(select(User.id).where(User.id == identity.user_id).with_for_update())
        version = await session.scalar(
            select(func.coalesce(func.max(Document.version), 0) + 1).where(
                Document.owner_id == identity.user_id, Document.kind == DocumentKind.CV
            )
        )
        key = f"cv/{uuid.uuid4().hex}"
        spool.seek(0)
        await storage.upload(key, spool, content_type="application/pdf")  # type: ignore[arg-type]
    document = Document(
        owner_id=identity.user_id,
        kind=DocumentKind.CV,
        version=int(version or 1),
        object_key=key,
        filename=clean_filename(filename),
        content_type="application/pdf",
        size_bytes=size,
        sha256=digest.digest(),
        created_at=now,
    )
    session.add(document)
    try:
        await session.flush()
    except Exception:
        await storage.delete([key])
        raise
    return document


async def commit_or_discard(session: AsyncSession, storage: Storage, document: Document) -> None:
    """Commit the new row; if the commit fails, remove the object it would have pointed at."""
    try:
        await session.commit()
    except Exception:
        await storage.delete([document.object_key])
        raise


async def current_cv(session: AsyncSession, owner_id: uuid.UUID) -> Document | None:
    return await session.scalar(
        select(Document)
        .where(Document.owner_id == owner_id, Document.kind == DocumentKind.CV)
        .order_by(Document.version.desc())
        .limit(1)
    )


async def cv_versions(session: AsyncSession, owner_id: uuid.UUID) -> list[Document]:
    return list(
        await session.scalars(
            select(Document)
            .where(Document.owner_id == owner_id, Document.kind == DocumentKind.CV)
            .order_by(Document.version.desc())
        )
    )


async def readable_document(session: AsyncSession, identity: Identity, document_id: uuid.UUID) -> Document:
    """The document if the caller may read it; 404 otherwise (its existence is not revealed)."""
    document = await session.get(Document, document_id)
    if document is None or not await may_read_documents_of(session, identity, document.owner_id):
        raise NotFound("No such document.")
    return document


async def readable_current_cv(session: AsyncSession, identity: Identity, applicant_id: uuid.UUID) -> Document:
    if not await may_read_documents_of(session, identity, applicant_id):
        raise NotFound("No CV to show.")
    document = await current_cv(session, applicant_id)
    if document is None:
        raise NotFound("No CV to show.")
    return document


async def download(storage: Storage, document: Document, *, ttl_seconds: int, now: datetime) -> DownloadOut:
    """A short-lived presigned URL, handed out only once the object is confirmed to be there."""
    if not await storage.exists(document.object_key):
        raise NotFound("The file is missing from storage.")
    url = storage.download_url(document.object_key, filename=document.filename, ttl_seconds=ttl_seconds)
    return DownloadOut(document=document_out(document), url=url, expires_at=now + timedelta(seconds=ttl_seconds))


async def discard_documents_of(session: AsyncSession, owner_id: uuid.UUID) -> list[str]:
    """Drop a person's document rows and queue their objects for deletion, in the caller's transaction."""
    keys = list(
        await session.scalars(delete(Document).where(Document.owner_id == owner_id).returning(Document.object_key))
    )
    if keys:
        await session.execute(insert(ObjectDeletion).values([{"object_key": k} for k in keys]).on_conflict_do_nothing())
    return keys


async def delete_queued_objects(session: AsyncSession, storage: Storage, keys: list[str] | None = None) -> int:
    """Delete queued objects from the bucket and forget them; what fails stays queued for the next try."""
    query = select(ObjectDeletion.object_key).order_by(ObjectDeletion.requested_at).limit(1000)
    if keys is not None:
        query = query.where(ObjectDeletion.object_key.in_(keys))
    pending = list(await session.scalars(query.with_for_update(skip_locked=True)))
    if not pending:
        return 0
    failed = set(await storage.delete(pending))
    done = [k for k in pending if k not in failed]
    if done:
        await session.execute(delete(ObjectDeletion).where(ObjectDeletion.object_key.in_(done)))
    return len(done)
