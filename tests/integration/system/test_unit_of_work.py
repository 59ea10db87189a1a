"""A request's writes are committed before its response is chosen: a failed commit is an error, never a 2xx."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import delete, select, text

from backend.db.models import AuthToken, Region, Role, User
from backend.lib.clock import system_clock
from backend.lib.db import Database
from tests.support.clock import FrozenClock
from tests.support.factories import login_token, make_user

FAIL_AT_COMMIT = [
    "CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$",
    "CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT ON regions DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW WHEN (NEW.name = 'Fails at commit') EXECUTE FUNCTION test_fail_at_commit()",
]
CLEAN_UP = ["DROP TRIGGER IF EXISTS test_fail_at_commit ON regions", "DROP FUNCTION IF EXISTS test_fail_at_commit()"]


async def test_a_commit_that_fails_is_an_error_response_and_keeps_nothing(app, settings):
    # Real commits (no test transaction): the deferred trigger fires only at the top-level COMMIT.
    database = Database.from_settings(settings)
    clock = FrozenClock()
    app.state.clock = clock
    code = f"XZ{uuid.uuid4().hex[:6].upper()}"
    async with database.sessionmaker() as s:
        for statement in FAIL_AT_COMMIT:
            await s.execute(text(statement))
        admin = await make_user(s, Role.ADMIN)
        headers = await login_token(s, admin, clock())
        await s.commit()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            refused = await client.post(
                "/api/regions", headers=headers, json={"code": code, "name": "Fails at commit", "country": "ZZ"}
            )
            accepted = await client.post(
                "/api/regions", headers=headers, json={"code": code + "B", "name": "Commits fine", "country": "ZZ"}
            )
        assert refused.status_code == 500, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert accepted.status_code == 201
        async with database.sessionmaker() as s:
            stored = set(await s.scalars(select(Region.code).where(Region.code.in_([code, code + "B"]))))
        assert stored == {code + "B"}
    finally:
        async with database.sessionmaker() as s:
            for statement in CLEAN_UP:
                await s.execute(text(statement))
            await s.execute(delete(Region).where(Region.code.in_([code, code + "B"])))
            await s.execute(delete(AuthToken).where(AuthToken.user_id == admin.id))
            await s.execute(delete(User).where(User.id == admin.id))
            await s.commit()
        await database.dispose()
        app.state.clock = system_clock
