from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.db.models import Role
from backend.domain.matching import services
from backend.domain.matching.schemas import EditIn, PublishIn, ReplayOut, RoundIn, RoundOut
from backend.lib.auth import requires
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, Jobs

YearQuery = Annotated[int | None, QueryParameter(ge=2000, le=2100)]


class MatchingRoundController(Controller):
    path = "/matching/rounds"
    tags = ["matching"]
    guards = [requires(Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @post("/", operation_id="openMatchingRound", summary="Run the engine (both policies) and store a draft round")
    async def open_round(
        self, data: JSONBody[RoundIn], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> RoundOut:
        round_ = await services.open_round(db_session, identity, data, clock())
        out = await services.round_out(db_session, round_)
        await db_session.commit()
        return out

    @get("/", operation_id="listMatchingRounds")
    async def list_rounds(
        self, identity: CurrentIdentity, db_session: DbSession, year: YearQuery = None
    ) -> list[RoundOut]:
        rounds = await services.list_rounds(db_session, identity, year)
        return [await services.round_out(db_session, r) for r in rounds]

    @get("/{round_id:uuid}", operation_id="getMatchingRound")
    async def get_round(
        self, round_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> RoundOut:
        return await services.round_out(db_session, await services.load_round(db_session, identity, round_id))

    @post("/{round_id:uuid}/edits", operation_id="editMatchingRound", summary="Add or remove a proposal by hand")
    async def edit(
        self,
        round_id: FromPath[uuid.UUID],
        data: JSONBody[EditIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> RoundOut:
        round_ = await services.edit(
            db_session, identity, round_id, data.action, data.application_id, data.reason, clock()
        )
        out = await services.round_out(db_session, round_)
        await db_session.commit()
        return out

    @post(
        "/{round_id:uuid}/publish",
        operation_id="publishMatchingRound",
        status_code=200,
        summary="Send the round's proposals, re-checking seats and quotas; reports what it dropped",
    )
    async def publish(
        self,
        round_id: FromPath[uuid.UUID],
        data: JSONBody[PublishIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> RoundOut:
        round_ = await services.publish(db_session, identity, round_id, data.answer_deadline, clock(), settings)
        out = await services.round_out(db_session, round_)
        await db_session.commit()
        await jobs.deliver_notifications()
        return out

    @post("/{round_id:uuid}/discard", operation_id="discardMatchingRound", status_code=200)
    async def discard(
        self, round_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> RoundOut:
        round_ = await services.discard(db_session, identity, round_id)
        out = await services.round_out(db_session, round_)
        await db_session.commit()
        return out

    @get(
        "/{round_id:uuid}/replay",
        operation_id="replayMatchingRound",
        summary="Run the engine again on the stored input and compare",
    )
    async def replay(
        self, round_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> ReplayOut:
        return services.replay(await services.load_round(db_session, identity, round_id))
