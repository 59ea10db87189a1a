from __future__ import annotations

import logging

from litestar import Controller, delete, get
from litestar.params import JSONBody
from sqlalchemy.exc import SQLAlchemyError

from backend.db.models import Role
from backend.domain.documents.services import delete_queued_objects
from backend.domain.privacy import services
from backend.domain.privacy.schemas import ErasureIn, ExportOut
from backend.lib.auth import requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, ObjectStorage
from backend.lib.errors import ServiceUnavailable

logger = logging.getLogger("backend.privacy")


class PrivacyController(Controller):
    path = "/me"
    tags = ["privacy"]
    guards = [requires(Role.APPLICANT)]

    @get("/export", operation_id="exportMyData", summary="Everything the platform keeps about me (JSON)")
    async def export(self, identity: CurrentIdentity, db_session: DbSession, clock: AppClock) -> ExportOut:
        return ExportOut(**await services.export(db_session, identity, clock()))

    @delete(
        "/",
        operation_id="eraseMyAccount",
        status_code=204,
        summary="Erase my account, profile, CVs and messages (confirm with the password)",
    )
    async def erase(
        self,
        data: JSONBody[ErasureIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        storage: ObjectStorage,
        settings: AppSettings,
        clock: AppClock,
    ) -> None:
        keys = await services.erase(db_session, identity, data.password, now=clock(), settings=settings)
        await db_session.commit()
        # The rows are gone and the keys queued: delete the objects now; a worker retries what fails.
        try:
            await delete_queued_objects(db_session, storage, keys)
            await db_session.commit()
        except (ServiceUnavailable, SQLAlchemyError) as exc:
            await db_session.rollback()
            logger.warning("object deletion deferred to the worker", extra={"error": type(exc).__name__})
