"""The applicant's profile and the eligibility computed from it and the home region's rules."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import ApplicantProfile, CefrLevel, Offer, OfferLanguage, Region
from backend.domain.applicants.eligibility import Facts, RegionRules, RuleResult, age_on, eligible, evaluate
from backend.domain.applicants.schemas import ApplicantSummary, EligibilityOut, ProfileIn, ProfileOut, RuleOut
from backend.domain.offers.schemas import LanguageLevel
from backend.lib.errors import FieldErrors, NotFound
from backend.lib.schemas import clean_name

OLDEST = 100


def _languages(profile: ApplicantProfile) -> list[LanguageLevel]:
    return [LanguageLevel(language=x["language"], level=CefrLevel(x["level"])) for x in profile.languages]


def facts(profile: ApplicantProfile) -> Facts:
    return Facts(
        date_of_birth=profile.date_of_birth,
        resident_since=profile.resident_since,
        eqf_level=profile.eqf_level,
        employment_status=profile.employment_status,
        languages=tuple((x["language"], CefrLevel(x["level"])) for x in profile.languages),
    )


def rules_of(region: Region) -> RegionRules:
    return RegionRules(
        code=region.code,
        name=region.name,
        participating=region.participating,
        min_age=region.min_age,
        max_age=region.max_age,
        min_residence_months=region.min_residence_months,
        min_eqf_level=region.min_eqf_level,
        languages=tuple(region.languages),
    )


def eligibility_out(region: Region, on: date, results: Sequence[RuleResult]) -> EligibilityOut:
    return EligibilityOut(
        eligible=eligible(results),
        on=on,
        region_id=region.id,
        rules=[RuleOut(rule=r.rule, ok=r.ok, message=r.message) for r in results],
    )


def profile_out(profile: ApplicantProfile, region: Region, on: date) -> ProfileOut:
    return ProfileOut(
        user_id=profile.user_id,
        full_name=profile.full_name,
        date_of_birth=profile.date_of_birth,
        home_region_id=profile.home_region_id,
        resident_since=profile.resident_since,
        languages=_languages(profile),
        eqf_level=profile.eqf_level,
        employment_status=profile.employment_status,
        presentation=profile.presentation,
        sex=profile.sex,
        updated_at=profile.updated_at,
        eligibility=eligibility_out(region, on, evaluate(facts(profile), rules_of(region), on)),
    )


def summary(profile: ApplicantProfile, on: date, *, has_cv: bool) -> ApplicantSummary:
    return ApplicantSummary(
        user_id=profile.user_id,
        full_name=profile.full_name,
        age=age_on(profile.date_of_birth, on),
        home_region_id=profile.home_region_id,
        languages=_languages(profile),
        eqf_level=profile.eqf_level,
        employment_status=profile.employment_status,
        presentation=profile.presentation,
        has_cv=has_cv,
    )


async def get_profile(session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False) -> ApplicantProfile:
    """The profile (locked when asked: the applicant's requests then run one at a time), or 404."""
    query = select(ApplicantProfile).where(ApplicantProfile.user_id == user_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    profile = await session.scalar(query)
    if profile is None:
        raise NotFound("No applicant profile yet: complete your profile first.")
    return profile


async def save_profile(session: AsyncSession, user_id: uuid.UUID, data: ProfileIn, now: datetime) -> ApplicantProfile:
    today = now.date()
    problems = FieldErrors()
    full_name = clean_name(data.full_name, problems=problems)
    if data.date_of_birth >= today:
        problems.add("date_of_birth", "The date of birth must be in the past.")
    elif age_on(data.date_of_birth, today) > OLDEST:
        problems.add("date_of_birth", f"A date of birth more than {OLDEST} years ago is not plausible.")
    if data.resident_since > today:
        problems.add("resident_since", "The residence start cannot be in the future.")
    elif data.resident_since < data.date_of_birth:
        problems.add("resident_since", "The residence start cannot be before the date of birth.")
    if len({x.language for x in data.languages}) != len(data.languages):
        problems.add("languages", "List each language once.")
    region = await session.get(Region, data.home_region_id)
    if region is None:
        problems.add("home_region_id", "Unknown region.")
    elif not region.participating:
        problems.add("home_region_id", "This region does not take part in the programme.")
    problems.raise_any()
    assert region is not None  # raise_any refused an unknown region
    values = {
        "full_name": full_name,
        "date_of_birth": data.date_of_birth,
        "home_region_id": data.home_region_id,
        "resident_since": data.resident_since,
        "languages": [{"language": x.language, "level": x.level.value} for x in data.languages],
        "eqf_level": data.eqf_level,
        "employment_status": data.employment_status,
        "presentation": data.presentation.strip(),
        "sex": data.sex,
        "updated_at": now,
    }
    profile = await session.scalar(
        select(ApplicantProfile).where(ApplicantProfile.user_id == user_id).with_for_update()
    )
    if profile is None:
        profile = ApplicantProfile(user_id=user_id, completed_at=now, created_at=now, **values)
        session.add(profile)
    else:
        for key, value in values.items():
            setattr(profile, key, value)
    await session.flush()
    return profile


async def offer_languages(session: AsyncSession, offer_id: uuid.UUID) -> list[tuple[str, CefrLevel]]:
    rows = await session.execute(
        select(OfferLanguage.language, OfferLanguage.level)
        .where(OfferLanguage.offer_id == offer_id)
        .order_by(OfferLanguage.language)
    )
    return [(language, level) for language, level in rows]


async def evaluate_for(
    session: AsyncSession, profile: ApplicantProfile, on: date, offer: Offer | None = None
) -> tuple[Region, list[RuleResult]]:
    """The rule results for a profile, with an offer's region and language requirements when one is given."""
    region = await session.get_one(Region, profile.home_region_id)
    if offer is None:
        return region, evaluate(facts(profile), rules_of(region), on)
    host = await session.get_one(Region, offer.region_id)
    languages = await offer_languages(session, offer.id)
    return region, evaluate(facts(profile), rules_of(region), on, languages, (host.code, host.name))
