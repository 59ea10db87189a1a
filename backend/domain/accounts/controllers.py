from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from backend.db.models import Role, User
from backend.domain.accounts import services
from backend.domain.accounts.schemas import (
    Accepted,
    AccountOut,
    EmailIn,
    LoginIn,
    PasswordResetIn,
    ProfileUpdateIn,
    RegionAssignmentIn,
    RegisterIn,
    SessionOut,
    StaffAccountIn,
    TokenIn,
)
from backend.lib.auth import Identity, authenticated, requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, Jobs

SENT_IF_KNOWN = "If an account uses this address, a message is on its way."


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post("/register", operation_id="register", summary="Create an applicant or employer account")
    async def register(
        self, data: JSONBody[RegisterIn], db_session: DbSession, settings: AppSettings, clock: AppClock, jobs: Jobs
    ) -> AccountOut:
        user = await services.register(
            db_session,
            email=data.email,
            password=data.password,
            full_name=data.full_name,
            role=Role(data.role),
            locale=data.locale,
            settings=settings,
            clock=clock,
        )
        out = await services.account_out(db_session, user)
        await db_session.commit()
        await jobs.deliver_notifications()
        return out

    @post(
        "/verify-email",
        operation_id="verifyEmail",
        status_code=HTTP_200_OK,
        summary="Confirm an e-mail address with the mailed token",
    )
    async def verify_email(self, data: JSONBody[TokenIn], db_session: DbSession, clock: AppClock) -> AccountOut:
        user = await services.verify_email(db_session, data.token, clock)
        out = await services.account_out(db_session, user)
        await db_session.commit()
        return out

    @post("/verify-email/resend", operation_id="resendVerification", status_code=HTTP_202_ACCEPTED)
    async def resend_verification(
        self, data: JSONBody[EmailIn], db_session: DbSession, settings: AppSettings, clock: AppClock, jobs: Jobs
    ) -> Accepted:
        await services.resend_verification(db_session, data.email, settings, clock)
        await db_session.commit()
        await jobs.deliver_notifications()
        return Accepted(detail=SENT_IF_KNOWN)

    @post(
        "/login",
        operation_id="login",
        status_code=HTTP_200_OK,
        summary="Exchange e-mail and password for a bearer token",
    )
    async def login(
        self, data: JSONBody[LoginIn], db_session: DbSession, settings: AppSettings, clock: AppClock
    ) -> SessionOut:
        user, token, expires_at = await services.login(
            db_session, email=data.email, password=data.password, settings=settings, clock=clock
        )
        account = await services.account_out(db_session, user)
        await db_session.commit()
        return SessionOut(access_token=token, expires_at=expires_at, account=account)

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT, guards=[authenticated])
    async def logout(self, request: Request[Identity, str, State], db_session: DbSession) -> None:
        await services.logout(db_session, request.auth)
        await db_session.commit()

    @post("/password-reset", operation_id="requestPasswordReset", status_code=HTTP_202_ACCEPTED)
    async def request_password_reset(
        self, data: JSONBody[EmailIn], db_session: DbSession, settings: AppSettings, clock: AppClock, jobs: Jobs
    ) -> Accepted:
        await services.request_password_reset(db_session, data.email, settings, clock)
        await db_session.commit()
        await jobs.deliver_notifications()
        return Accepted(detail=SENT_IF_KNOWN)

    @post("/password-reset/confirm", operation_id="confirmPasswordReset", status_code=HTTP_204_NO_CONTENT)
    async def reset_password(
        self, data: JSONBody[PasswordResetIn], db_session: DbSession, settings: AppSettings, clock: AppClock
    ) -> None:
        await services.reset_password(db_session, data.token, data.new_password, settings, clock)
        await db_session.commit()


class MeController(Controller):
    path = "/me"
    tags = ["accounts"]
    guards = [authenticated]

    @get("/", operation_id="getMe", summary="The logged-in account")
    async def me(self, identity: CurrentIdentity, db_session: DbSession) -> AccountOut:
        user = await db_session.get_one(User, identity.user_id)
        return await services.account_out(db_session, user)

    @patch("/", operation_id="updateMe")
    async def update(
        self, data: JSONBody[ProfileUpdateIn], identity: CurrentIdentity, db_session: DbSession
    ) -> AccountOut:
        user = await services.update_profile(
            db_session,
            identity.user_id,
            full_name=data.full_name or None,
            locale=data.locale or None,
        )
        out = await services.account_out(db_session, user)
        await db_session.commit()
        return out


class AdminAccountsController(Controller):
    path = "/admin/accounts"
    tags = ["admin"]
    guards = [requires(Role.ADMIN)]

    @get("/", operation_id="listAccounts")
    async def list_accounts(
        self,
        db_session: DbSession,
        role: FromQuery[Role | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> list[AccountOut]:
        users = await services.list_accounts(db_session, role, limit, offset)
        return [await services.account_out(db_session, u) for u in users]

    @post("/", operation_id="createStaffAccount", summary="Invite a coordinator, chair or admin")
    async def create_staff(
        self, data: JSONBody[StaffAccountIn], db_session: DbSession, settings: AppSettings, clock: AppClock, jobs: Jobs
    ) -> AccountOut:
        user = await services.create_staff_account(
            db_session,
            email=data.email,
            full_name=data.full_name,
            role=Role(data.role),
            region_ids=data.region_ids,
            locale=data.locale,
            settings=settings,
            clock=clock,
        )
        out = await services.account_out(db_session, user)
        await db_session.commit()
        await jobs.deliver_notifications()
        return out

    @put("/{account_id:uuid}/regions", operation_id="setCoordinatorRegions")
    async def set_regions(
        self, account_id: FromPath[uuid.UUID], data: JSONBody[RegionAssignmentIn], db_session: DbSession
    ) -> AccountOut:
        user = await services.set_coordinator_regions(db_session, account_id, data.region_ids)
        out = await services.account_out(db_session, user)
        await db_session.commit()
        return out

    @delete("/{account_id:uuid}", operation_id="deactivateAccount", status_code=HTTP_204_NO_CONTENT)
    async def deactivate(
        self, account_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> None:
        await services.set_active(db_session, identity.user_id, account_id, active=False)
        await db_session.commit()

    @post("/{account_id:uuid}/reactivate", operation_id="reactivateAccount", status_code=HTTP_200_OK)
    async def reactivate(
        self, account_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> AccountOut:
        user = await services.set_active(db_session, identity.user_id, account_id, active=True)
        out = await services.account_out(db_session, user)
        await db_session.commit()
        return out
