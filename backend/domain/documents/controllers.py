from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Request, get, put
from litestar.datastructures import State
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath, QueryParameter

from backend.db.models import Role
from backend.domain.documents import services
from backend.domain.documents.schemas import DocumentOut, DownloadOut
from backend.lib.auth import Identity, requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, ObjectStorage
from backend.lib.errors import NotFound

Filename = Annotated[str | None, QueryParameter(max_length=200, description="The file's original name.")]


@dataclass
class PdfUpload(Operation):
    """The upload streams the raw body itself, so the schema is told what that body is."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={
                "application/pdf": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
            },
            required=True,
            description="The CV as a PDF (at most CV_MAX_BYTES; its bytes are checked to be a PDF).",
        )


class MyCvController(Controller):
    path = "/me/cv"
    tags = ["documents"]
    guards = [requires(Role.APPLICANT)]

    @put(
        "/",
        operation_id="uploadCv",
        status_code=201,
        request_max_body_size=None,  # the service enforces CV_MAX_BYTES while streaming
        operation_class=PdfUpload,
        summary="Upload a new CV version (the PDF as the request body, Content-Type: application/pdf)",
    )
    async def upload(
        self,
        request: Request[Identity, str, State],
        identity: CurrentIdentity,
        db_session: DbSession,
        storage: ObjectStorage,
        settings: AppSettings,
        clock: AppClock,
        filename: Filename = None,
    ) -> DocumentOut:
        document = await services.upload_cv(
            db_session,
            storage,
            identity,
            request.stream(),
            content_type=request.headers.get("content-type"),
            filename=filename,
            max_bytes=settings.cv_max_bytes,
            now=clock(),
        )
        out = services.document_out(document)
        await services.commit_or_discard(db_session, storage, document)
        return out

    @get("/", operation_id="getMyCv", summary="The current CV version")
    async def current(self, identity: CurrentIdentity, db_session: DbSession) -> DocumentOut:
        document = await services.current_cv(db_session, identity.user_id)
        if document is None:
            raise NotFound("You have not uploaded a CV yet.")
        return services.document_out(document)

    @get("/versions", operation_id="listMyCvVersions")
    async def versions(self, identity: CurrentIdentity, db_session: DbSession) -> list[DocumentOut]:
        return [services.document_out(d) for d in await services.cv_versions(db_session, identity.user_id)]


class DocumentController(Controller):
    path = "/"
    tags = ["documents"]
    guards = [requires(Role.APPLICANT, Role.COORDINATOR, Role.EMPLOYER)]

    @get(
        "/documents/{document_id:uuid}/download",
        operation_id="getDocumentDownload",
        summary="A short-lived link to download a document the caller may read",
    )
    async def download(
        self,
        document_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        storage: ObjectStorage,
        settings: AppSettings,
        clock: AppClock,
    ) -> DownloadOut:
        document = await services.readable_document(db_session, identity, document_id)
        return await services.download(storage, document, ttl_seconds=settings.download_url_ttl_seconds, now=clock())

    @get(
        "/applicants/{applicant_id:uuid}/cv",
        operation_id="getApplicantCv",
        summary="An applicant's current CV, for the coordinators and employers who may see it",
    )
    async def applicant_cv(
        self,
        applicant_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        storage: ObjectStorage,
        settings: AppSettings,
        clock: AppClock,
    ) -> DownloadOut:
        document = await services.readable_current_cv(db_session, identity, applicant_id)
        return await services.download(storage, document, ttl_seconds=settings.download_url_ttl_seconds, now=clock())
