"""Demo data for `make run`: the programme's real member regions, quotas, staff, employers and applicants.

Idempotent: when the demo admin exists already, nothing is written (a second `make run` keeps the data of
the first). Run alone with `python -m backend.cli.seed` (uses DATABASE_URL).
"""

from __future__ import annotations

import asyncio
import csv
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.cli.seed_workflow import seed_workflow
from backend.db.models import Locale, Organisation, Region, RegionQuota, Role, User, coordinator_regions
from backend.domain.ledger.ledger import recruiting_year
from backend.lib.db import Database
from backend.lib.security import hash_password_sync
from backend.lib.settings import Settings, get_settings

REGIONS_CSV = Path(__file__).with_name("data") / "regions.csv"
DEMO_PASSWORD = "eurodyssey-demo"  # noqa: S105 - printed for the local demo; never used outside development
DEMO_DOMAIN = "demo.eurodyssey.example"
# Some regions open the programme to 35-year-olds (DESIGN.md): the demo shows per-region bounds.
UP_TO_35 = {"PT20", "PT30", "CY00"}
EMPLOYERS = [
    ("PT20", "Azores Ocean Observatory", "M"),
    ("PT30", "Funchal Hospitality Lab", "I"),
    ("ES51", "Barcelona Digital Studio", "J"),
    ("ES52", "València Green Energy", "D"),
    ("ES62", "Murcia Agritech", "A"),
    ("CY00", "Nicosia Heritage Trust", "R"),
    ("ITG2", "Cagliari Coastal Tourism", "N"),
    ("ITC2", "Aosta Alpine Guides", "N"),
    ("RO424", "Timișoara Software Works", "J"),
    ("BE10", "Brussels Policy Institute", "M"),
    ("FRM0", "Ajaccio Maritime Services", "H"),
    ("HR036", "Pula Culture Network", "R"),
]
APPLICANT_NAMES = [
    "Inês Costa",
    "Miguel Sousa",
    "Laia Puig",
    "Pau Ferrer",
    "Andreas Georgiou",
    "Giulia Rossi",
    "Matteo Sanna",
    "Ioana Popescu",
    "Andrei Ionescu",
    "Camille Martin",
    "Lucas Dubois",
    "Nino Beridze",
    "Luka Horvat",
    "Ana Kovač",
    "Léa Rochat",
    "Jonas Weber",
]


DEMO_ACCOUNTS = [  # role, e-mail, scope: printed by `make run` on every start
    ("admin", f"admin@{DEMO_DOMAIN}", "whole programme"),
    ("chair", f"chair@{DEMO_DOMAIN}", "whole programme (read-only)"),
    ("coordinator", f"coordinator.pt20@{DEMO_DOMAIN}", "Azores (PT20)"),
    ("coordinator", f"coordinator.es51@{DEMO_DOMAIN}", "Catalonia (ES51)"),
    ("employer", f"employer.pt20@{DEMO_DOMAIN}", "Azores Ocean Observatory (PT20)"),
    ("employer", f"employer.pt30@{DEMO_DOMAIN}", "Funchal Hospitality Lab (PT30)"),
    ("applicant", f"applicant@{DEMO_DOMAIN}", "own data"),
]


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: bool = False


def _progress(label: str, done: int, total: int, out: Callable[[str], None]) -> None:
    out(f"  seeding {label:<14} {done:>4}/{total}")


async def _seed_regions(
    session: AsyncSession, rng: random.Random, year: int, report: SeedReport, out: Callable[[str], None]
) -> dict[str, Region]:
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions: dict[str, Region] = {}
    for row in rows:
        code = row["nuts_code"]
        regions[code] = Region(
            code=code,
            name=row["name_en"],
            name_local=row["name_local"],
            country=row["country"],
            languages=row["languages"].split(";"),
            participating=True,
            min_age=18,
            max_age=35 if code in UP_TO_35 else 30,
            min_residence_months=6 if code.startswith("PT") else 0,
            min_eqf_level=4,
        )
    session.add_all(regions.values())
    await session.flush()
    _progress("regions", len(regions), len(rows), out)
    report.counts["regions"] = len(regions)

    quotas = [
        RegionQuota(region_id=region.id, programme_year=y, hosting_quota=hosting, sending_quota=hosting + delta)
        for region in regions.values()
        for y in (year - 1, year)
        for hosting, delta in [(rng.choice([10, 20, 30, 50]), rng.choice([-5, 0, 0, 5]))]
    ]
    session.add_all(quotas)
    await session.flush()
    _progress("quotas", len(quotas), len(quotas), out)
    report.counts["quotas"] = len(quotas)
    return regions


async def _seed_accounts(
    session: AsyncSession, regions: dict[str, Region], now: datetime, report: SeedReport, out: Callable[[str], None]
) -> None:
    password_hash = hash_password_sync(DEMO_PASSWORD)

    def user(
        email: str, name: str, role: Role, locale: Locale = Locale.EN, organisation: uuid.UUID | None = None
    ) -> User:
        account = User(
            email=email,
            password_hash=password_hash,
            full_name=name,
            role=role,
            locale=locale,
            email_verified_at=now,
            organisation_id=organisation,
        )
        session.add(account)
        return account

    user(f"admin@{DEMO_DOMAIN}", "Programme Administrator", Role.ADMIN)
    user(f"chair@{DEMO_DOMAIN}", "Programme Chair", Role.CHAIR)
    coordinators = {
        code: user(
            f"coordinator.{code.lower()}@{DEMO_DOMAIN}",
            f"Coordinator {region.name}",
            Role.COORDINATOR,
            Locale.FR if "fr" in region.languages else Locale.EN,
        )
        for code, region in regions.items()
    }
    await session.flush()
    await session.execute(
        insert(coordinator_regions),
        [{"user_id": account.id, "region_id": regions[code].id} for code, account in coordinators.items()],
    )
    _progress("coordinators", len(coordinators), len(regions), out)
    report.counts["coordinators"] = len(coordinators)

    organisations = [
        Organisation(
            name=name,
            region_id=regions[code].id,
            sector=sector,
            verified_at=now,
            city=regions[code].name,
            website=f"https://{name.lower().replace(' ', '-')}.example",
        )
        for code, name, sector in EMPLOYERS
    ]
    session.add_all(organisations)
    await session.flush()
    for (code, name, _), org in zip(EMPLOYERS, organisations, strict=True):
        user(f"employer.{code.lower()}@{DEMO_DOMAIN}", f"HR {name}", Role.EMPLOYER, organisation=org.id)
    _progress("employers", len(EMPLOYERS), len(EMPLOYERS), out)
    report.counts["employers"] = len(EMPLOYERS)

    for i, name in enumerate(APPLICANT_NAMES):
        handle = "applicant" if i == 0 else name.split()[0].lower().encode("ascii", "ignore").decode()
        user(f"{handle}@{DEMO_DOMAIN}", name, Role.APPLICANT, Locale.FR if i % 3 == 2 else Locale.EN)
    await session.flush()
    _progress("applicants", len(APPLICANT_NAMES), len(APPLICANT_NAMES), out)
    report.counts["applicants"] = len(APPLICANT_NAMES)


async def seed(session: AsyncSession, *, out: Callable[[str], None] = print, seed_value: int = 2026) -> SeedReport:
    report = SeedReport()
    if await session.scalar(select(User.id).where(User.email == f"admin@{DEMO_DOMAIN}")) is not None:
        report.skipped = True
        return report
    rng = random.Random(seed_value)  # noqa: S311 - reproducible demo data, not secrets
    now = datetime.now(UTC)
    year = recruiting_year(now.date())
    regions = await _seed_regions(session, rng, year, report, out)
    await _seed_accounts(session, regions, now, report, out)
    await seed_workflow(session, regions, rng, year, now, report.counts, out)
    return report


async def run(settings: Settings, out: Callable[[str], None] = print) -> SeedReport:
    database = Database.from_settings(settings)
    started = time.perf_counter()
    try:
        async with database.sessionmaker() as session:
            report = await seed(session, out=out)
            await session.commit()
    finally:
        await database.dispose()
    if report.skipped:
        out("demo data: present already (kept as it is)")
    else:
        summary = ", ".join(f"{n} {k}" for k, n in report.counts.items())
        out(f"demo data: loaded {summary} in {time.perf_counter() - started:.1f} s")
    return report


def main() -> int:
    asyncio.run(run(get_settings()))
    print_accounts()
    return 0


def print_accounts(out: Callable[[str], None] = print) -> None:
    for role, email, scope in DEMO_ACCOUNTS:
        out(f"  {role:<12} {email:<42} {scope}")
    out(f"  password for every demo account: {DEMO_PASSWORD}")


if __name__ == "__main__":
    sys.exit(main())
