from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.db.models import CefrLevel, OfferState, Role
from backend.domain.offers import services
from backend.domain.offers.schemas import (
    OfferEventOut,
    OfferIn,
    OfferOut,
    OfferPage,
    OfferPatch,
    OptionalReasonIn,
    ReasonIn,
    SortKey,
)
from backend.domain.offers.search import SearchParams, search
from backend.domain.offers.transitions import OfferAction
from backend.lib.auth import Identity, requires
from backend.lib.cached_route import CachedAnswers
from backend.lib.deps import AppClock, AppSettings, CurrentIdentity, DbSession, Jobs

STAFF = (Role.COORDINATOR, Role.ADMIN)

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="At most this many")]
Offset = Annotated[int, QueryParameter(ge=0)]


def optional_identity(request: Request[Any, Any, Any]) -> Identity | None:
    user = request.scope.get("user")
    return user if isinstance(user, Identity) else None


class OfferController(Controller):
    path = "/offers"
    tags = ["offers"]

    # Public, anonymous and identical for everyone: answered from the cache by query string, before the query
    # is even parsed; fresh for up to SEARCH_CACHE_SECONDS, then served stale while it is refreshed behind.
    @get("/", operation_id="searchOffers", summary="Search published offers (public)", middleware=[CachedAnswers])
    async def search_offers(
        self,
        db_session: DbSession,
        clock: AppClock,
        region_id: Annotated[uuid.UUID | None, QueryParameter(description="Host region")] = None,
        country: Annotated[str | None, QueryParameter(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 code")] = None,
        sector: Annotated[str | None, QueryParameter(pattern=r"^[A-U]$", description="NACE section")] = None,
        language: Annotated[
            str | None, QueryParameter(pattern=r"^[a-z]{2,3}$", description="Required language (ISO 639-1)")
        ] = None,
        level: Annotated[
            CefrLevel | None,
            QueryParameter(description="Your level in `language`: offers asking for it at this level or below"),
        ] = None,
        min_duration: Annotated[int | None, QueryParameter(ge=3, le=7)] = None,
        max_duration: Annotated[int | None, QueryParameter(ge=3, le=7)] = None,
        start_from: Annotated[date | None, QueryParameter(description="Earliest start date")] = None,
        start_to: Annotated[date | None, QueryParameter(description="Latest start date")] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=200, description="Free text over title and description")
        ] = None,
        sort: Annotated[SortKey, QueryParameter(description="Order; 'relevance' needs q")] = "start_date",
        page: Annotated[int | None, QueryParameter(ge=1, le=10_000)] = None,
        page_size: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(max_length=400, description="next_cursor of a page")] = None,
    ) -> OfferPage:
        params = SearchParams(
            region_id=region_id,
            country=country,
            sector=sector,
            language=language,
            level=level,
            min_duration=min_duration,
            max_duration=max_duration,
            start_from=start_from,
            start_to=start_to,
            q=q,
            sort=sort,
            page=page,
            page_size=page_size,
            cursor=cursor,
        )
        return await search(db_session, params, clock())

    @get("/{offer_id:uuid}", operation_id="getOffer", summary="An offer (public once published)")
    async def get_offer(
        self, offer_id: FromPath[uuid.UUID], request: Request[Any, Any, Any], db_session: DbSession
    ) -> OfferOut:
        offer = await services.get_visible(db_session, optional_identity(request), offer_id)
        return await services.describe(db_session, offer)

    @post(
        "/",
        operation_id="createOffer",
        summary="Draft an offer for your organisation",
        guards=[requires(Role.EMPLOYER)],
    )
    async def create_offer(
        self, data: JSONBody[OfferIn], identity: CurrentIdentity, db_session: DbSession, clock: AppClock
    ) -> OfferOut:
        offer = await services.create(db_session, identity, data, clock())
        out = await services.describe(db_session, offer)
        await db_session.commit()
        return out

    @patch("/{offer_id:uuid}", operation_id="updateOffer", summary="Edit a draft", guards=[requires(Role.EMPLOYER)])
    async def update_offer(
        self,
        offer_id: FromPath[uuid.UUID],
        data: JSONBody[OfferPatch],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
    ) -> OfferOut:
        offer = await services.edit(db_session, identity, offer_id, data.changes(), clock())
        out = await services.describe(db_session, offer)
        await db_session.commit()
        return out

    async def _move(
        self,
        action: OfferAction,
        offer_id: uuid.UUID,
        reason: str | None,
        identity: Identity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> OfferOut:
        offer = await services.transition(
            db_session, identity, offer_id, action, reason=reason, now=clock(), settings=settings
        )
        out = await services.describe(db_session, offer)
        await db_session.commit()
        await jobs.deliver_notifications()
        return out

    @post(
        "/{offer_id:uuid}/submit",
        operation_id="submitOffer",
        summary="Send a draft to the region's coordinators",
        status_code=200,
        guards=[requires(Role.EMPLOYER)],
    )
    async def submit(
        self,
        offer_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> OfferOut:
        return await self._move(OfferAction.SUBMIT, offer_id, None, identity, db_session, clock, settings, jobs)

    @post(
        "/{offer_id:uuid}/publish",
        operation_id="publishOffer",
        summary="Publish a submitted offer (host coordinator)",
        status_code=200,
        guards=[requires(*STAFF)],
    )
    async def publish(
        self,
        offer_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> OfferOut:
        return await self._move(OfferAction.PUBLISH, offer_id, None, identity, db_session, clock, settings, jobs)

    @post(
        "/{offer_id:uuid}/send-back",
        operation_id="sendBackOffer",
        summary="Return a submitted offer to its employer with a reason (host coordinator)",
        status_code=200,
        guards=[requires(*STAFF)],
    )
    async def send_back(
        self,
        offer_id: FromPath[uuid.UUID],
        data: JSONBody[ReasonIn],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
    ) -> OfferOut:
        return await self._move(
            OfferAction.SEND_BACK, offer_id, data.reason, identity, db_session, clock, settings, jobs
        )

    @post(
        "/{offer_id:uuid}/withdraw",
        operation_id="withdrawOffer",
        summary="Withdraw an offer (its employer or host coordinator); open applications are closed",
        status_code=200,
        guards=[requires(Role.EMPLOYER, *STAFF)],
    )
    async def withdraw(
        self,
        offer_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        clock: AppClock,
        settings: AppSettings,
        jobs: Jobs,
        data: JSONBody[OptionalReasonIn | None] = None,
    ) -> OfferOut:
        return await self._move(
            OfferAction.WITHDRAW, offer_id, data.reason if data else None, identity, db_session, clock, settings, jobs
        )

    @get(
        "/{offer_id:uuid}/events",
        operation_id="listOfferEvents",
        summary="The offer's audit trail",
        guards=[requires(Role.EMPLOYER, Role.COORDINATOR, Role.CHAIR, Role.ADMIN)],
    )
    async def events(
        self, offer_id: FromPath[uuid.UUID], identity: CurrentIdentity, db_session: DbSession
    ) -> list[OfferEventOut]:
        return await services.list_events(db_session, identity, offer_id)


class RegionOffersController(Controller):
    path = "/regions/{region_id:uuid}/offers"
    tags = ["offers"]
    guards = [requires(Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @get("/", operation_id="listRegionOffers", summary="Offers hosted in a region, in any state")
    async def list_for_region(
        self,
        region_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        state_filter: Annotated[OfferState | None, QueryParameter(name="state", description="Only this state")] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[OfferOut]:
        return await services.list_for_region(db_session, identity, region_id, state_filter, limit, offset)


class OrganisationOffersController(Controller):
    path = "/organisations/{organisation_id:uuid}/offers"
    tags = ["offers"]
    guards = [requires(Role.EMPLOYER, Role.COORDINATOR, Role.CHAIR, Role.ADMIN)]

    @get("/", operation_id="listOrganisationOffers", summary="An organisation's offers, in any state")
    async def list_for_organisation(
        self,
        organisation_id: FromPath[uuid.UUID],
        identity: CurrentIdentity,
        db_session: DbSession,
        state_filter: Annotated[OfferState | None, QueryParameter(name="state", description="Only this state")] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[OfferOut]:
        return await services.list_for_organisation(db_session, identity, organisation_id, state_filter, limit, offset)
