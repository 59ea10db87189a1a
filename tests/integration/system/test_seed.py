from __future__ import annotations

from sqlalchemy import func, select

from backend.cli.seed import seed
from backend.db.models import Application, Offer, Region, User
from backend.domain.ledger.services import audit


async def test_demo_data_loads_once_and_keeps_the_ledger_consistent(db):
    lines: list[str] = []
    async with db() as session:
        first = await seed(session, out=lines.append)
        assert not first.skipped
        assert first.counts["regions"] == 28 and first.counts["offers"] >= 20 and first.counts["applications"] > 0
        assert await session.scalar(select(func.count()).select_from(Region)) == 28
        codes = set(await session.scalars(select(Region.code)))
        assert {"PT20", "ES51", "GE-AJ", "CH025"} <= codes
        assert await session.scalar(select(func.count()).select_from(Offer)) == first.counts["offers"]
        assert await session.scalar(select(func.count()).select_from(Application)) == first.counts["applications"]
        assert await audit(session) == []
        users = await session.scalar(select(func.count()).select_from(User))
        second = await seed(session, out=lines.append)
        assert second.skipped
        assert await session.scalar(select(func.count()).select_from(User)) == users
    assert any("seeding regions" in line for line in lines)
