"""The application factory: routes, dependencies, error handling, lifespan of shared clients."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from backend.domain.accounts.controllers import AdminAccountsController, AuthController, MeController
from backend.domain.applicants.controllers import OfferEligibilityController, ProfileController
from backend.domain.applications.controllers import (
    ApplicationController,
    MyApplicationsController,
    OfferApplicationsController,
    RegionApplicationsController,
)
from backend.domain.documents.controllers import DocumentController, MyCvController
from backend.domain.ledger.controllers import BalanceController
from backend.domain.matching.controllers import MatchingRoundController
from backend.domain.notifications.controllers import (
    ApplicationRemindersController,
    MyNotificationsController,
    PlacementRemindersController,
)
from backend.domain.offers.controllers import OfferController, OrganisationOffersController, RegionOffersController
from backend.domain.organisations.controllers import OrganisationController, RegionOrganisationsController
from backend.domain.placements.controllers import PlacementController
from backend.domain.privacy.controllers import PrivacyController
from backend.domain.regions.controllers import QuotaController, RegionController
from backend.domain.statistics.controllers import StatisticsController
from backend.domain.system.controllers import HealthController
from backend.lib.auth import auth_middleware
from backend.lib.cache import RefreshingCache
from backend.lib.clock import Clock, system_clock
from backend.lib.db import Database
from backend.lib.deps import dependencies
from backend.lib.errors import PROBLEM_RESPONSES, exception_handlers
from backend.lib.logging import RequestContextMiddleware, configure_logging
from backend.lib.queue import Queue
from backend.lib.settings import Settings, get_settings
from backend.lib.spa import spa_fallback
from backend.lib.storage import Storage

logger = logging.getLogger("backend.app")

API_CONTROLLERS = [
    AuthController,
    MeController,
    AdminAccountsController,
    RegionController,
    QuotaController,
    OrganisationController,
    RegionOrganisationsController,
    OfferController,
    RegionOffersController,
    OrganisationOffersController,
    ProfileController,
    OfferEligibilityController,
    ApplicationController,
    MyApplicationsController,
    OfferApplicationsController,
    RegionApplicationsController,
    PlacementController,
    BalanceController,
    MyCvController,
    DocumentController,
    MyNotificationsController,
    ApplicationRemindersController,
    PlacementRemindersController,
    StatisticsController,
    PrivacyController,
    MatchingRoundController,
]


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    clock: Clock = system_clock,
    configure_logs: bool = True,
) -> Litestar:
    """Build the ASGI app; tests pass a Database bound to their rolled-back connection and a fixed clock."""
    settings = settings or get_settings()
    if configure_logs:
        configure_logging(level=settings.log_level, json_lines=settings.json_logs)
    owns_database = database is None

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        state = app.state
        state.database = database or Database.from_settings(settings)
        state.queue = Queue.from_url(settings.redis_url)
        state.search_cache = RefreshingCache(
            settings.search_cache_seconds, stale_seconds=settings.search_cache_stale_seconds
        )
        try:
            yield
        finally:
            await state.search_cache.close()
            await state.queue.close()
            if owns_database:
                await state.database.dispose()

    route_handlers: list[object] = [HealthController, Router(path="/api", route_handlers=API_CONTROLLERS)]
    if settings.frontend_dist and Path(settings.frontend_dist, "index.html").is_file():
        route_handlers.append(
            create_static_files_router(
                path="/",
                directories=[settings.frontend_dist],
                html_mode=True,
                name="frontend",
                include_in_schema=False,
                exception_handlers={NotFoundException: spa_fallback(Path(settings.frontend_dist, "index.html"))},
            )
        )

    app = Litestar(
        route_handlers=route_handlers,  # type: ignore[arg-type]
        state=State({"settings": settings, "clock": clock, "storage": Storage(settings)}),
        lifespan=[lifespan],
        dependencies=dependencies,
        middleware=[RequestContextMiddleware, auth_middleware()],
        exception_handlers=exception_handlers,
        cors_config=CORSConfig(allow_origins=list(settings.cors_allow_origins))
        if settings.cors_allow_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="Eurodyssey Exchange API",
            version="1.0.0",
            description="Traineeship mobility exchange: regions, offers, applications, matching rounds, "
            "placements, quotas and the exchange balance. Authenticate with `Authorization: Bearer <token>` "
            "from POST /api/auth/login. Errors are RFC 9457 problem details.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            use_handler_docstrings=True,
        ),
        logging_config=None,  # logging is configured by configure_logging(), not by Litestar
        debug=False,
    )
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.include_in_schema:
                handler.responses = {**PROBLEM_RESPONSES, **(handler.responses or {})}
    return app
