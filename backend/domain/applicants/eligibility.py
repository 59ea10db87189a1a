"""Eligibility of an applicant, pure (no I/O): each rule of the home region gives a result and a sentence.

Nothing is assumed silently: every rule is listed, passed or failed, with the figures it used, so the
applicant sees why and the sending coordinator (who decides) sees the same explanation: the sentences are
written for both, naming neither ("Age 25 on ...", not "You are 25"). Rules:
home region participating; age on the application date within the region's bounds; months of residence;
EQF level; job seeker or recent graduate; basic knowledge (A2 or more) of a language that is not one of
the home region's own. For a given offer, that it is in another region, and each required language at the
required CEFR level, are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from backend.db.models import CefrLevel, EmploymentStatus

BASIC = CefrLevel.A2
ELIGIBLE_STATUSES = frozenset({EmploymentStatus.JOB_SEEKER, EmploymentStatus.RECENT_GRADUATE})


@dataclass(frozen=True, slots=True)
class Facts:
    date_of_birth: date
    resident_since: date
    eqf_level: int
    employment_status: EmploymentStatus
    languages: tuple[tuple[str, CefrLevel], ...]


@dataclass(frozen=True, slots=True)
class RegionRules:
    code: str
    name: str
    participating: bool
    min_age: int
    max_age: int
    min_residence_months: int
    min_eqf_level: int
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    ok: bool
    message: str


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def months_between(start: date, end: date) -> int:
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def evaluate(
    facts: Facts,
    region: RegionRules,
    on: date,
    offer_languages: Sequence[tuple[str, CefrLevel]] = (),
    offer_region: tuple[str, str] | None = None,
) -> list[RuleResult]:
    """Every rule's result; with an offer, its host region (code, name) and its language requirements too."""
    results: list[RuleResult] = []
    where = f"{region.name} ({region.code})"

    results.append(
        RuleResult(
            "home_region",
            region.participating,
            f"{where} takes part in the programme."
            if region.participating
            else f"{where} does not take part in the programme at present.",
        )
    )

    age = age_on(facts.date_of_birth, on)
    ok = region.min_age <= age <= region.max_age
    results.append(
        RuleResult(
            "age",
            ok,
            f"Age {age} on {on.isoformat()}; {where} accepts applicants aged {region.min_age} to {region.max_age}.",
        )
    )

    months = months_between(facts.resident_since, on)
    need = region.min_residence_months
    ok = months >= need
    message = (
        f"{where} requires no minimum period of residence."
        if need == 0
        else f"Resident for {months} {'month' if months == 1 else 'months'}; {where} requires {need}."
    )
    results.append(RuleResult("residence", ok, message))

    ok = facts.eqf_level >= region.min_eqf_level
    results.append(
        RuleResult(
            "education",
            ok,
            f"Qualification at EQF level {facts.eqf_level}; {where} requires level {region.min_eqf_level} or more.",
        )
    )

    ok = facts.employment_status in ELIGIBLE_STATUSES
    status = facts.employment_status.value.replace("_", " ")
    results.append(
        RuleResult(
            "status",
            ok,
            f"Status {status}: the programme is for job seekers and recent graduates."
            if not ok
            else f"Status {status}, as the programme requires (job seeker or recent graduate).",
        )
    )

    own = set(region.languages)
    foreign = sorted(lang for lang, level in facts.languages if lang not in own and level.rank >= BASIC.rank)
    results.append(
        RuleResult(
            "foreign_language",
            bool(foreign),
            f"Knows a foreign language at level {BASIC.value} or more ({', '.join(foreign)})."
            if foreign
            else f"The programme requires basic knowledge ({BASIC.value} or more) of a language other than "
            f"the home region's ({', '.join(sorted(own)) or 'none listed'}).",
        )
    )

    if offer_region is not None:
        code, name = offer_region
        abroad = code != region.code
        results.append(
            RuleResult(
                "abroad",
                abroad,
                f"The traineeship is in {name} ({code}), outside the home region."
                if abroad
                else f"The traineeship is in the home region, {where}: the programme is for a traineeship in "
                "another region.",
            )
        )

    known = dict(facts.languages)
    for language, required in offer_languages:
        have = known.get(language)
        ok = have is not None and have.rank >= required.rank
        results.append(
            RuleResult(
                f"offer_language:{language}",
                ok,
                f"The offer asks for {language} at {required.value}; the profile says "
                f"{have.value if have else 'none'}.",
            )
        )
    return results


def eligible(results: Sequence[RuleResult]) -> bool:
    return all(r.ok for r in results)
