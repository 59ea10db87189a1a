"""Factories that write straight to the database (fast, no argon2 per test) for arranging a test's world."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    ApplicantProfile,
    Application,
    ApplicationState,
    AuthToken,
    CefrLevel,
    EmploymentStatus,
    Locale,
    Offer,
    OfferLanguage,
    OfferState,
    Organisation,
    Region,
    RegionQuota,
    Role,
    TokenPurpose,
    User,
    coordinator_regions,
)
from backend.lib.security import digest, new_secret

_seq = itertools.count(1)


async def make_region(session: AsyncSession, code: str | None = None, **fields: object) -> Region:
    n = next(_seq)
    values: dict[str, object] = {
        "code": code or f"ZZ{n:02d}",
        "name": f"Test region {n}",
        "country": "ZZ"[:2] if code is None else code[:2],
        "languages": ["en"],
    }
    values.update(fields)
    region = Region(**values)
    session.add(region)
    await session.flush()
    return region


async def make_quota(session: AsyncSession, region: Region, year: int, hosting: int, sending: int) -> RegionQuota:
    quota = RegionQuota(region_id=region.id, programme_year=year, hosting_quota=hosting, sending_quota=sending)
    session.add(quota)
    await session.flush()
    return quota


async def make_user(
    session: AsyncSession,
    role: Role,
    *,
    regions: list[Region] | None = None,
    organisation: Organisation | None = None,
    email: str | None = None,
    verified: bool = True,
    locale: Locale = Locale.EN,
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"{role.value}{n}-{uuid.uuid4().hex[:6]}@example.org",
        password_hash=None,
        full_name=f"{role.value.title()} {n}",
        role=role,
        locale=locale,
        email_verified_at=datetime(2026, 1, 1, tzinfo=datetime.now().astimezone().tzinfo) if verified else None,
        organisation_id=organisation.id if organisation else None,
    )
    session.add(user)
    await session.flush()
    if regions:
        await session.execute(insert(coordinator_regions), [{"user_id": user.id, "region_id": r.id} for r in regions])
    return user


async def make_organisation(
    session: AsyncSession,
    region: Region,
    *,
    verified: bool = True,
    name: str | None = None,
    sector: str = "J",
) -> Organisation:
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        region_id=region.id,
        sector=sector,
        verified_at=datetime(2026, 1, 1).astimezone() if verified else None,
    )
    session.add(org)
    await session.flush()
    return org


async def login_token(session: AsyncSession, user: User, now: datetime) -> dict[str, str]:
    """Authorization headers for a user, as if they had logged in."""
    secret = new_secret()
    session.add(
        AuthToken(
            user_id=user.id,
            purpose=TokenPurpose.SESSION,
            digest=digest(secret),
            expires_at=now + timedelta(hours=1),
        )
    )
    await session.flush()
    return {"Authorization": f"Bearer {secret}"}


# -- the exchange workflow: offers, profiles, applications ---------------------------------------------------

DEFAULT_START = date(2026, 9, 1)
DEFAULT_DEADLINE = datetime(2026, 5, 1, 22, 0, tzinfo=UTC)


async def make_offer(
    session: AsyncSession,
    organisation: Organisation,
    *,
    state: OfferState = OfferState.PUBLISHED,
    title: str | None = None,
    description: str = "A traineeship in a friendly team.",
    sector: str | None = None,
    seats: int = 1,
    duration_months: int = 6,
    start_date: date = DEFAULT_START,
    deadline: datetime = DEFAULT_DEADLINE,
    monthly_grant: Decimal | str = "900.00",
    languages: list[tuple[str, str]] | None = None,
    published_at: datetime | None = None,
) -> Offer:
    offer = Offer(
        organisation_id=organisation.id,
        region_id=organisation.region_id,
        title=title or f"Offer {next(_seq)}",
        description=description,
        tasks="Help the team.",
        sector=sector or organisation.sector,
        duration_months=duration_months,
        start_date=start_date,
        seats=seats,
        seats_taken=0,
        monthly_grant=Decimal(monthly_grant),
        application_deadline=deadline,
        state=state,
        published_at=published_at or (datetime(2026, 2, 1, tzinfo=UTC) if state is OfferState.PUBLISHED else None),
    )
    offer.languages = [
        OfferLanguage(language=lang, level=CefrLevel(level)) for lang, level in (languages or [("en", "B1")])
    ]
    session.add(offer)
    await session.flush()
    return offer


async def make_profile(
    session: AsyncSession,
    user: User,
    home_region: Region,
    *,
    date_of_birth: date = date(2001, 6, 15),
    resident_since: date = date(2010, 1, 1),
    languages: list[tuple[str, str]] | None = None,
    eqf_level: int = 6,
    employment_status: EmploymentStatus = EmploymentStatus.JOB_SEEKER,
) -> ApplicantProfile:
    now = datetime(2026, 2, 1, tzinfo=UTC)
    profile = ApplicantProfile(
        user_id=user.id,
        full_name=user.full_name,
        date_of_birth=date_of_birth,
        home_region_id=home_region.id,
        resident_since=resident_since,
        languages=[{"language": lang, "level": level} for lang, level in (languages or [("en", "B2"), ("pt", "B1")])],
        eqf_level=eqf_level,
        employment_status=employment_status,
        presentation="Curious and hard-working.",
        completed_at=now,
    )
    session.add(profile)
    await session.flush()
    return profile


async def make_application(
    session: AsyncSession,
    applicant: User,
    offer: Offer,
    home_region: Region,
    *,
    state: ApplicationState = ApplicationState.SUBMITTED,
    applicant_rank: int = 1,
    answer_deadline: datetime | None = None,
    confirm_deadline: datetime | None = None,
) -> Application:
    """An application in any state; accepted and confirmed ones hold their seat and quota units, as the
    ledger would have it (the quota rows must exist)."""
    held = state in (ApplicationState.ACCEPTED, ApplicationState.CONFIRMED)
    application = Application(
        offer_id=offer.id,
        applicant_id=applicant.id,
        home_region_id=home_region.id,
        host_region_id=offer.region_id,
        programme_year=offer.start_date.year,
        state=state,
        motivation="I would love to join this team for six months.",
        applicant_rank=applicant_rank,
        eligibility=[],
        reserved=held,
        submitted_at=datetime(2026, 2, 15, tzinfo=UTC),
        answer_deadline=answer_deadline
        or (datetime(2026, 4, 1, tzinfo=UTC) if state is ApplicationState.PROPOSED else None),
        confirm_deadline=confirm_deadline,
    )
    session.add(application)
    await session.flush()
    if held:
        year = offer.start_date.year
        await session.execute(update(Offer).where(Offer.id == offer.id).values(seats_taken=Offer.seats_taken + 1))
        for region_id, column in ((offer.region_id, "hosted"), (home_region.id, "sent")):
            await session.execute(
                update(RegionQuota)
                .where(RegionQuota.region_id == region_id, RegionQuota.programme_year == year)
                .values({column: getattr(RegionQuota, column) + 1})
            )
        if offer in session:
            await session.refresh(offer, ["seats_taken"])
    return application
