from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from backend.db.models import Role
from backend.domain.notifications import reminders, services
from backend.domain.notifications.schemas import (
    NotificationOut,
    NotificationPage,
    ReadAllOut,
    ReminderStatus,
    UnreadCount,
)
from backend.lib.auth import authenticated, requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, Jobs


class MyNotificationsController(Controller):
    """The logged-in person's in-app notifications (links holding secrets, such as password resets, are
    e-mail only and never listed)."""

    path = "/me/notifications"
    tags = ["notifications"]
    guards = [authenticated]

    @get("/", operation_id="listMyNotifications", summary="My notifications, newest first, with the unread count")
    async def list_mine(
        self,
        identity: CurrentIdentity,
        db_session: DbSession,
        limit: Annotated[int, QueryParameter(ge=1, le=100, description="At most this many")] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=200, description="next_cursor of a page")] = None,
        unread_only: Annotated[bool, QueryParameter(description="Only the unread ones")] = False,
    ) -> NotificationPage:
        return await services.list_for_user(
            db_session, identity.user_id, locale=identity.locale, limit=limit, cursor=cursor, unread_only=unread_only
        )

    @get("/unread-count", operation_id="countMyUnreadNotifications", summary="How many notifications are unread")
    async def unread_count(self, identity: CurrentIdentity, db_session: DbSession) -> UnreadCount:
        return UnreadCount(unread_count=await services.unread_count(db_session, identity.user_id))

    @post(
        "/{notification_id:uuid}/read",
        operation_id="markNotificationRead",
        status_code=HTTP_200_OK,
        summary="Mark one of my notifications read (idempotent)",
    )
    async def mark_read(
        self, notification_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> NotificationOut:
        notification = await services.mark_read(db_session, identity.user_id, notification_id, clock())
        out = services.notification_out(notification, identity.locale)
        await db_session.commit()
        return out

    @post(
        "/read-all",
        operation_id="markAllNotificationsRead",
        status_code=HTTP_200_OK,
        summary="Mark all my notifications read",
    )
    async def mark_all_read(self, identity: CurrentIdentity, db_session: DbSession, clock: AppClock) -> ReadAllOut:
        marked = await services.mark_all_read(db_session, identity.user_id, clock())
        out = ReadAllOut(marked=marked, unread_count=await services.unread_count(db_session, identity.user_id))
        await db_session.commit()
        return out


class ApplicationRemindersController(Controller):
    """Reminders about an application: to the applicant before a proposal's answer deadline, to the employers
    before the confirmation deadline. Coordinators of either region see them and may remind at once."""

    path = "/applications/{application_id:uuid}/reminders"
    tags = ["notifications"]
    guards = [requires(Role.COORDINATOR, Role.ADMIN)]

    @get("/", operation_id="getApplicationReminders", summary="Reminders sent about an application")
    async def status(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        settings: AppSettings,
    ) -> ReminderStatus:
        return await reminders.reminder_status(db_session, identity, "application", application_id, settings)

    @post("/", operation_id="remindAboutApplication", summary="Remind now (at most two reminders per item)")
    async def remind(
        self,
        application_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        settings: AppSettings,
        clock: AppClock,
        jobs: Jobs,
    ) -> ReminderStatus:
        out = await reminders.remind_now(
            db_session, identity, "application", application_id, now=clock(), settings=settings
        )
        await db_session.commit()
        await jobs.deliver_notifications()
        return out


class PlacementRemindersController(Controller):
    """Reminders to the employers about a placement's mid-term review and final report."""

    path = "/placements/{placement_id:uuid}/reminders"
    tags = ["notifications"]
    guards = [requires(Role.COORDINATOR, Role.ADMIN)]

    @get("/", operation_id="getPlacementReminders", summary="Reminders sent about a placement")
    async def status(
        self, placement_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession, settings: AppSettings
    ) -> ReminderStatus:
        return await reminders.reminder_status(db_session, identity, "placement", placement_id, settings)

    @post("/", operation_id="remindAboutPlacement", summary="Remind now (at most two reminders per item)")
    async def remind(
        self,
        placement_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        settings: AppSettings,
        clock: AppClock,
        jobs: Jobs,
    ) -> ReminderStatus:
        out = await reminders.remind_now(
            db_session, identity, "placement", placement_id, now=clock(), settings=settings
        )
        await db_session.commit()
        await jobs.deliver_notifications()
        return out
