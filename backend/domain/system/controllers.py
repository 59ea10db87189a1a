from __future__ import annotations

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from backend.domain.system import services
from backend.domain.system.schemas import Live, Ready


class HealthController(Controller):
    path = "/health"
    tags = ["system"]

    @get("/live", operation_id="healthLive", summary="The process is up")
    async def live(self) -> Live:
        return Live()

    @get(
        "/ready",
        operation_id="healthReady",
        summary="PostgreSQL, Redis and S3 answer",
        responses={503: ResponseSpec(data_container=Ready, description="A service does not answer")},
    )
    async def ready(self, state: State) -> Response[Ready]:
        checks = await services.check_services(state.database, state.get("queue"), state.storage)
        ok = all(c.ok for c in checks.values())
        return Response(Ready(status="ready" if ok else "unready", services=checks), status_code=200 if ok else 503)
