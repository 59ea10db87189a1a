"""Truly concurrent requests against the last seat and the last quota unit: exactly one wins.

These tests commit for real over separate connections (an app with its own pool, not the rolled-back test
connection), then empty the tables. They never use the `db` or `client` fixtures.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import msgspec
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from backend.app import create_app
from backend.db.models import ApplicationState, Offer, Placement, RegionQuota, Role
from backend.domain.ledger.services import audit
from backend.lib.settings import Settings
from tests.conftest import running
from tests.support.clock import FrozenClock
from tests.support.factories import (
    login_token,
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_quota,
    make_region,
    make_user,
)

pytestmark = pytest.mark.concurrency
N = 50
S = ApplicationState


@dataclass
class Live:
    http: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    clock: FrozenClock

    async def arrange(self, build):
        async with self.sessions() as session:
            result = await build(session)
            await session.commit()
        return result

    async def all_at_once(self, calls):
        responses = await asyncio.gather(*(self.http.post(url, headers=headers) for url, headers in calls))
        return responses


@pytest.fixture(scope="module")
async def live_app(settings: Settings, migrated: str) -> AsyncIterator[Live]:
    """One app with a pool big enough for every request at once, shared by the module's tests."""
    clock = FrozenClock()
    app = create_app(
        msgspec.structs.replace(settings, database_pool_size=N + 5, database_max_overflow=5),
        clock=clock,
        configure_logs=False,
    )
    engine = create_async_engine(migrated, poolclass=NullPool)
    try:
        async with running(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local", timeout=60) as http:
                yield Live(http, async_sessionmaker(engine, expire_on_commit=False), clock)
    finally:
        await engine.dispose()


@pytest.fixture
async def live(live_app: Live) -> AsyncIterator[Live]:
    """Real commits; everything is emptied afterwards."""
    try:
        yield live_app
    finally:
        async with live_app.sessions() as session:
            await session.execute(text("SET LOCAL lock_timeout = '10s'"))
            await session.execute(text("TRUNCATE regions, users CASCADE"))
            await session.commit()


async def _applicants(s, home, n, now):
    """n applicants of a home region, each with a profile and a token."""
    people = []
    for _ in range(n):
        user = await make_user(s, Role.APPLICANT)
        await make_profile(s, user, home)
        people.append((user, await login_token(s, user, now)))
    return people


def _tally(responses):
    statuses = Counter(r.status_code for r in responses)
    problems = Counter(r.json().get("state") for r in responses if r.status_code == 409)
    return statuses, problems


async def _check_ledger(live):
    async with live.sessions() as session:
        assert await audit(session) == []


async def test_fifty_acceptances_for_the_last_seat(live):
    async def world(s):
        host, home = await make_region(s, "PT20", country="PT"), await make_region(s, "FR10", country="FR")
        await make_quota(s, host, 2026, hosting=100, sending=100)
        await make_quota(s, home, 2026, hosting=100, sending=100)
        offer = await make_offer(s, await make_organisation(s, host), seats=3)
        for user, _ in await _applicants(s, home, 2, live.clock()):
            await make_application(s, user, offer, home, state=S.CONFIRMED)  # two seats gone
        calls = []
        for user, headers in await _applicants(s, home, N, live.clock()):
            application = await make_application(s, user, offer, home, state=S.PROPOSED)
            calls.append((f"/api/applications/{application.id}/accept", headers))
        return offer.id, host.id, calls

    offer_id, host_id, calls = await live.arrange(world)
    statuses, problems = _tally(await live.all_at_once(calls))
    assert statuses == {200: 1, 409: N - 1}, statuses
    assert problems == {"no_seat": N - 1}
    async with live.sessions() as session:
        assert await session.scalar(select(Offer.seats_taken).where(Offer.id == offer_id)) == 3
        assert await session.scalar(select(RegionQuota.hosted).where(RegionQuota.region_id == host_id)) == 3
    await _check_ledger(live)


async def test_fifty_acceptances_for_the_last_hosting_quota_unit(live):
    async def world(s):
        host, home = await make_region(s, "PT20", country="PT"), await make_region(s, "FR10", country="FR")
        await make_quota(s, host, 2026, hosting=3, sending=0)
        await make_quota(s, home, 2026, hosting=0, sending=100)
        org = await make_organisation(s, host)
        for user, _ in await _applicants(s, home, 2, live.clock()):
            await make_application(s, user, await make_offer(s, org), home, state=S.CONFIRMED)
        calls = []
        for user, headers in await _applicants(s, home, N, live.clock()):  # each on an offer of its own
            application = await make_application(s, user, await make_offer(s, org), home, state=S.PROPOSED)
            calls.append((f"/api/applications/{application.id}/accept", headers))
        return host.id, calls

    host_id, calls = await live.arrange(world)
    responses = await live.all_at_once(calls)
    statuses, problems = _tally(responses)
    assert statuses == {200: 1, 409: N - 1}, statuses
    assert problems == {"hosting_quota_used_up": N - 1}
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {
        "The hosting quota of region PT20 for 2026 is used up."
    }
    async with live.sessions() as session:
        quota = await session.scalar(select(RegionQuota).where(RegionQuota.region_id == host_id))
        assert (quota.hosted, quota.hosting_quota) == (3, 3)
    await _check_ledger(live)


async def test_fifty_acceptances_for_the_last_sending_quota_unit_across_host_regions(live):
    async def world(s):
        home = await make_region(s, "FR10", country="FR")
        hosts = [await make_region(s, "PT20", country="PT"), await make_region(s, "ES51", country="ES")]
        await make_quota(s, home, 2026, hosting=0, sending=1)
        orgs = []
        for host in hosts:
            await make_quota(s, host, 2026, hosting=100, sending=0)
            orgs.append(await make_organisation(s, host))
        calls = []
        for i, (user, headers) in enumerate(await _applicants(s, home, N, live.clock())):
            offer = await make_offer(s, orgs[i % 2])
            application = await make_application(s, user, offer, home, state=S.PROPOSED)
            calls.append((f"/api/applications/{application.id}/accept", headers))
        return home.id, calls

    home_id, calls = await live.arrange(world)
    statuses, problems = _tally(await live.all_at_once(calls))
    assert statuses == {200: 1, 409: N - 1}, statuses
    assert problems == {"sending_quota_used_up": N - 1}
    async with live.sessions() as session:
        assert await session.scalar(select(RegionQuota.sent).where(RegionQuota.region_id == home_id)) == 1
    await _check_ledger(live)


async def test_crossed_acceptances_between_two_regions_do_not_deadlock(live):
    """Half go A->B, half B->A, all at once: every one succeeds (rows are locked in one order)."""

    async def world(s):
        a, b = await make_region(s, "PT20", country="PT"), await make_region(s, "FR10", country="FR")
        calls = []
        for host, home in ((a, b), (b, a)):
            await make_quota(s, host, 2026, hosting=N, sending=N)
            org = await make_organisation(s, host)
            for user, headers in await _applicants(s, home, N // 2, live.clock()):
                application = await make_application(s, user, await make_offer(s, org), home, state=S.PROPOSED)
                calls.append((f"/api/applications/{application.id}/accept", headers))
        return calls

    calls = await live.arrange(world)
    statuses, _ = _tally(await live.all_at_once(calls))
    assert statuses == {200: N}, statuses
    async with live.sessions() as session:
        rows = (await session.execute(select(RegionQuota.hosted, RegionQuota.sent))).all()
        assert sorted(tuple(r) for r in rows) == [(N // 2, N // 2), (N // 2, N // 2)]
    await _check_ledger(live)


async def test_fifty_confirmations_of_the_last_seat(live):
    """The employer's confirmation of the last accepted candidate, sent 50 times at once: one placement."""

    async def world(s):
        host, home = await make_region(s, "PT20", country="PT"), await make_region(s, "FR10", country="FR")
        await make_quota(s, host, 2026, hosting=10, sending=0)
        await make_quota(s, home, 2026, hosting=0, sending=10)
        org = await make_organisation(s, host)
        employer = await login_token(s, await make_user(s, Role.EMPLOYER, organisation=org), live.clock())
        ((user, _),) = await _applicants(s, home, 1, live.clock())
        offer = await make_offer(s, org, seats=1)
        application = await make_application(s, user, offer, home, state=S.ACCEPTED)
        return offer.id, [(f"/api/applications/{application.id}/confirm", employer)] * N

    offer_id, calls = await live.arrange(world)
    statuses, problems = _tally(await live.all_at_once(calls))
    assert statuses == {200: 1, 409: N - 1}, statuses
    assert problems == {"confirmed": N - 1}
    async with live.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Placement)) == 1
        assert await session.scalar(select(Offer.state).where(Offer.id == offer_id)) == "closed"
    await _check_ledger(live)
