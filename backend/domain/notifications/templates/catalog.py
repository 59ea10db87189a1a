"""Every notification kind: who receives it and the params its texts use.

Callers write a row with notify(session, user_id=..., kind=..., dedup_key=..., params={...}, link=...,
now=...). Params are stored as JSON: pass text as str, and dates and datetimes as date/datetime objects (notify()
stores them in ISO 8601; the texts show them in the recipient's language, datetimes in UTC). A missing param
renders as an empty string, so a text never fails; tests check that every kind has every language.

The link is the absolute address of the page concerned (f"{settings.public_url}/applications/{id}"); the
e-mail shows it as a button and as plain text, the in-app list returns it as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Param(StrEnum):
    TEXT = "text"
    DATE = "date"  # ISO date, shown as "12 March 2026" / "12 mars 2026"
    DATETIME = "datetime"  # ISO datetime with offset, shown in UTC


@dataclass(frozen=True)
class Text:
    """One language's words for a kind: the subject (also the in-app title), a one-sentence summary (the
    e-mail's first paragraph and the in-app line) and optional details (further e-mail paragraphs)."""

    subject: str
    summary: str
    details: str = ""


@dataclass(frozen=True)
class Kind:
    audience: str
    params: Mapping[str, Param]


T, D, DT = Param.TEXT, Param.DATE, Param.DATETIME

KINDS: dict[str, Kind] = {
    # Accounts (secret links: e-mail only, see services.SECRET_KINDS).
    "account.verify_email": Kind("the new account", {"name": T, "hours": T}),
    "account.reset_password": Kind("the account holder", {"name": T, "hours": T}),
    "account.invitation": Kind("a staff account created by an admin", {"name": T, "hours": T}),
    # Applications: to the applicant. Link: {public_url}/applications/{application_id}.
    "application.validated": Kind("applicant (sending region found it eligible)", {"offer_title": T}),
    "application.ineligible": Kind("applicant", {"offer_title": T, "reason": T}),
    "application.shortlisted": Kind("applicant", {"offer_title": T}),
    "application.rejected": Kind("applicant", {"offer_title": T, "reason": T}),
    "application.proposed": Kind("applicant", {"offer_title": T, "answer_deadline": DT}),
    "application.proposal_expiring": Kind("applicant (reminder)", {"offer_title": T, "answer_deadline": DT}),
    "application.expired": Kind("applicant", {"offer_title": T, "reason": T}),
    # Placements. Link: {public_url}/placements/{placement_id}.
    "placement.confirmed": Kind("applicant", {"offer_title": T, "organisation_name": T, "start_date": D}),
    "placement.midterm_reminder": Kind("employer (reminder)", {"offer_title": T, "trainee_name": T, "due_date": D}),
    "placement.final_report_reminder": Kind(
        "employer (reminder)", {"offer_title": T, "trainee_name": T, "due_date": D}
    ),
    # Offers. Link: {public_url}/offers/{offer_id}.
    "offer.submitted": Kind("coordinators of the offer's region", {"title": T}),
    "offer.published": Kind("employers of the organisation", {"title": T}),
    "offer.sent_back": Kind("employers of the organisation", {"title": T, "reason": T}),
    "offer.withdrawn": Kind("employers of the organisation", {"title": T, "reason": T}),
    "offer.closed": Kind("employers of the organisation", {"title": T, "reason": T}),
    # Employers. Link: {public_url}/applications/{application_id}.
    "application.accepted": Kind(
        "employers of the offer's organisation",
        {"offer_title": T, "applicant_name": T, "confirm_deadline": DT},
    ),
    "application.withdrawn": Kind("employers of the offer's organisation", {"offer_title": T, "applicant_name": T}),
    "application.declined": Kind("coordinators of the offer's region", {"offer_title": T, "applicant_name": T}),
    "employer.confirm_reminder": Kind(
        "employers of the offer's organisation (reminder)",
        {"offer_title": T, "applicant_name": T, "confirm_deadline": DT},
    ),
}

# The offers domain names its kinds after the action ("offer.publish"); they render as the past-tense kind.
ALIASES: dict[str, str] = {
    "offer.submit": "offer.submitted",
    "offer.publish": "offer.published",
    "offer.send_back": "offer.sent_back",
    "offer.withdraw": "offer.withdrawn",
    "offer.close": "offer.closed",
}


def canonical(kind: str) -> str:
    return ALIASES.get(kind, kind)
