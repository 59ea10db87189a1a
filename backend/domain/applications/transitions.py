"""The application's state machine: (state, action) -> next state, and which side may take each action.

    submitted --validate--> eligible --shortlist--> shortlisted --propose--> proposed --accept--> accepted
    submitted --mark_ineligible (reason)--> ineligible      eligible | shortlisted --reject (reason)--> rejected
    proposed --decline--> declined      proposed --expire--> expired (answer deadline passed)
    accepted --confirm--> confirmed (the placement is created)      accepted --refuse (reason)--> rejected
    accepted --expire--> expired (confirmation deadline passed)
    any open state --withdraw--> withdrawn (the applicant, before the placement)
    any open state --cancel (reason)--> rejected (the system: the offer was withdrawn or filled)

Sides: the applicant who owns it; the sending side (coordinators of the applicant's home region); the
hosting side (coordinators of the offer's region); the employer (accounts of the offer's organisation);
the system (deadlines and cascades). An admin acts on both coordinator sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from backend.db.models import OPEN_STATES, ApplicationState
from backend.lib.errors import Forbidden, InvalidTransition


class Action(StrEnum):
    APPLY = "apply"
    VALIDATE = "validate"
    MARK_INELIGIBLE = "mark_ineligible"
    SHORTLIST = "shortlist"
    REJECT = "reject"
    PROPOSE = "propose"
    ACCEPT = "accept"
    DECLINE = "decline"
    CONFIRM = "confirm"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"
    CANCEL = "cancel"


class Side(StrEnum):
    APPLICANT = "applicant"
    SENDING = "sending"
    HOSTING = "hosting"
    EMPLOYER = "employer"
    SYSTEM = "system"


S, A = ApplicationState, Action

TRANSITIONS: dict[tuple[ApplicationState, Action], ApplicationState] = {
    (S.SUBMITTED, A.VALIDATE): S.ELIGIBLE,
    (S.SUBMITTED, A.MARK_INELIGIBLE): S.INELIGIBLE,
    (S.ELIGIBLE, A.SHORTLIST): S.SHORTLISTED,
    (S.ELIGIBLE, A.REJECT): S.REJECTED,
    (S.SHORTLISTED, A.REJECT): S.REJECTED,
    (S.SHORTLISTED, A.PROPOSE): S.PROPOSED,
    (S.PROPOSED, A.ACCEPT): S.ACCEPTED,
    (S.PROPOSED, A.DECLINE): S.DECLINED,
    (S.PROPOSED, A.EXPIRE): S.EXPIRED,
    (S.ACCEPTED, A.CONFIRM): S.CONFIRMED,
    (S.ACCEPTED, A.REFUSE): S.REJECTED,
    (S.ACCEPTED, A.EXPIRE): S.EXPIRED,
    **{(state, A.WITHDRAW): S.WITHDRAWN for state in OPEN_STATES},
    **{(state, A.CANCEL): S.REJECTED for state in OPEN_STATES},
}

SIDES: dict[Action, frozenset[Side]] = {
    A.APPLY: frozenset({Side.APPLICANT}),
    A.VALIDATE: frozenset({Side.SENDING}),
    A.MARK_INELIGIBLE: frozenset({Side.SENDING}),
    A.SHORTLIST: frozenset({Side.HOSTING}),
    A.REJECT: frozenset({Side.HOSTING}),
    A.PROPOSE: frozenset({Side.HOSTING, Side.SYSTEM}),
    A.ACCEPT: frozenset({Side.APPLICANT}),
    A.DECLINE: frozenset({Side.APPLICANT}),
    A.CONFIRM: frozenset({Side.EMPLOYER}),
    A.REFUSE: frozenset({Side.EMPLOYER}),
    A.WITHDRAW: frozenset({Side.APPLICANT}),
    A.EXPIRE: frozenset({Side.SYSTEM}),
    A.CANCEL: frozenset({Side.SYSTEM}),
}

# Refusals always carry a reason the applicant sees.
REASON_REQUIRED = frozenset({A.MARK_INELIGIBLE, A.REJECT, A.REFUSE, A.EXPIRE, A.CANCEL})

WHO = {
    Side.APPLICANT: "the applicant",
    Side.SENDING: "a coordinator of the applicant's home region",
    Side.HOSTING: "a coordinator of the offer's region",
    Side.EMPLOYER: "the offer's employer",
    Side.SYSTEM: "the platform",
}


def decide(state: ApplicationState, action: Action, sides: Iterable[Side]) -> ApplicationState:
    """The next state; 403 when none of the caller's sides may take the action; 409 naming the state."""
    allowed = SIDES[action]
    if not allowed & set(sides):
        who = " or ".join(sorted(WHO[s] for s in allowed))
        raise Forbidden(f"Only {who} may {action.value.replace('_', ' ')} this application.")
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise InvalidTransition(
            f"Cannot {action.value.replace('_', ' ')} an application that is {state.value}.", state=state.value
        )
    return target
