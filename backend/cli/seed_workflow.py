"""Demo offers, applicant profiles and applications, so every role finds work waiting in `make run`.

Applications are left in states that hold no seat or quota unit (submitted, eligible, shortlisted), so the
exchange ledger stays consistent; each gets its audit event like one made through the API.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    ApplicantProfile,
    Application,
    ApplicationEvent,
    ApplicationState,
    CefrLevel,
    EmploymentStatus,
    Offer,
    OfferLanguage,
    OfferState,
    Organisation,
    Region,
    Role,
    Sex,
    User,
)

TITLES = {
    "M": ["Marine research assistant", "Environmental data trainee"],
    "I": ["Hotel front-office trainee", "Events and hospitality assistant"],
    "J": ["Junior web developer", "Digital marketing trainee"],
    "D": ["Renewable energy project assistant", "Energy efficiency analyst trainee"],
    "A": ["Agritech field assistant", "Sustainable farming trainee"],
    "R": ["Museum education trainee", "Cultural heritage assistant"],
    "N": ["Tourism promotion assistant", "Visitor services trainee"],
    "H": ["Port logistics trainee", "Maritime operations assistant"],
}


async def seed_workflow(
    session: AsyncSession,
    regions: dict[str, Region],
    rng: random.Random,
    year: int,
    now: datetime,
    counts: dict[str, int],
    out: Callable[[str], None],
) -> None:
    offers: list[Offer] = []
    for org in await session.scalars(select(Organisation).order_by(Organisation.name)):
        region = next(r for r in regions.values() if r.id == org.region_id)
        for i, title in enumerate(TITLES.get(org.sector, ["Traineeship in our team", "Project assistant"])):
            offer = Offer(
                organisation_id=org.id,
                region_id=org.region_id,
                title=title,
                description=f"Join {org.name} in {region.name} for a paid traineeship with a language course. "
                "You will work in a small international team and have a tutor throughout.",
                tasks="Support the team's daily work; prepare a small project of your own; report monthly.",
                sector=org.sector,
                duration_months=rng.choice([3, 4, 5, 6, 7]),
                start_date=date(year, 3 if i == 0 else 9, 1),
                seats=rng.randint(1, 3),
                seats_taken=0,
                monthly_grant=Decimal(rng.choice(["650.00", "800.00", "950.00", "1100.00", "1360.00"])),
                language_course=True,
                housing_help=i == 0,
                state=OfferState.PUBLISHED,
                application_deadline=now + timedelta(days=30 + 30 * i),
                submitted_at=now - timedelta(days=10),
                published_at=now - timedelta(days=7),
                created_by_id=None,
            )
            offer.languages = [
                OfferLanguage(language=region.languages[0], level=CefrLevel.A2),
                OfferLanguage(language="en", level=CefrLevel.B1),
            ]
            session.add(offer)
            offers.append(offer)
    await session.flush()
    out(f"  seeding offers         {len(offers):>4}/{len(offers)}")
    counts["offers"] = len(offers)

    codes = sorted(regions)
    applicants = list(await session.scalars(select(User).where(User.role == Role.APPLICANT).order_by(User.email)))
    applications = 0
    for i, user in enumerate(applicants):
        home = regions["PT20"] if user.email.startswith("applicant@") else regions[codes[(i * 7) % len(codes)]]
        session.add(
            ApplicantProfile(
                user_id=user.id,
                full_name=user.full_name,
                date_of_birth=date(1996 + i % 10, 1 + i % 12, 1 + i % 27),
                home_region_id=home.id,
                resident_since=date(2012, 1, 1),
                languages=[{"language": home.languages[0], "level": "C2"}, {"language": "en", "level": "B2"}],
                eqf_level=4 + i % 4,
                employment_status=EmploymentStatus.JOB_SEEKER,
                sex=rng.choice(list(Sex)),
                presentation="Curious, reliable and keen to work abroad.",
                completed_at=now,
            )
        )
        choices = rng.sample([o for o in offers if o.region_id != home.id], k=3 if i % 2 else 2)
        for rank, offer in enumerate(choices, start=1):
            state = [ApplicationState.SUBMITTED, ApplicationState.ELIGIBLE, ApplicationState.SHORTLISTED][
                (i + rank) % 3
            ]
            application = Application(
                offer_id=offer.id,
                applicant_id=user.id,
                home_region_id=home.id,
                host_region_id=offer.region_id,
                programme_year=offer.start_date.year,
                state=state,
                motivation="I would like to learn the trade abroad and improve my languages.",
                applicant_rank=rank,
                host_rank=i + 1 if state is ApplicationState.SHORTLISTED else None,
                eligibility=[],
                submitted_at=now - timedelta(days=5),
                reserved=False,
            )
            session.add(application)
            await session.flush()
            session.add(
                ApplicationEvent(
                    application_id=application.id,
                    actor_id=user.id,
                    actor_role="applicant",
                    action="apply",
                    from_state=None,
                    to_state="submitted",
                    reason=None,
                    created_at=now - timedelta(days=5),
                )
            )
            applications += 1
    await session.flush()
    out(f"  seeding applications   {applications:>4}/{applications}")
    counts["applications"] = applications
