"""The offer's state machine: (state, action) -> next state, and which side may take each action.

draft --submit--> submitted --publish--> published --close (deadline, or every seat filled)--> closed
                  submitted --send_back (reason)--> draft
draft | submitted | published | closed --withdraw--> withdrawn
"""

from __future__ import annotations

from enum import StrEnum

from backend.db.models import OfferState
from backend.lib.errors import Forbidden, InvalidTransition


class OfferAction(StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    SEND_BACK = "send_back"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    CLOSE = "close"


class OfferSide(StrEnum):
    EMPLOYER = "employer"  # an employer of the offer's organisation
    HOSTING = "hosting"  # a coordinator of the offer's region (or an admin)
    SYSTEM = "system"  # deadlines and cascades


S, A = OfferState, OfferAction

TRANSITIONS: dict[tuple[OfferState, OfferAction], OfferState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.SEND_BACK): S.DRAFT,
    (S.SUBMITTED, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.CLOSE): S.CLOSED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
    (S.CLOSED, A.WITHDRAW): S.WITHDRAWN,
}

SIDES: dict[OfferAction, frozenset[OfferSide]] = {
    A.SUBMIT: frozenset({OfferSide.EMPLOYER}),
    A.SEND_BACK: frozenset({OfferSide.HOSTING}),
    A.PUBLISH: frozenset({OfferSide.HOSTING}),
    A.WITHDRAW: frozenset({OfferSide.EMPLOYER, OfferSide.HOSTING}),
    A.CLOSE: frozenset({OfferSide.SYSTEM}),
}

REASON_REQUIRED = frozenset({A.SEND_BACK, A.CLOSE})


def decide(state: OfferState, action: OfferAction, sides: set[OfferSide]) -> OfferState:
    """The next state, or 403 when no side of the caller may act, or 409 naming the current state."""
    if not SIDES[action] & sides:
        raise Forbidden(f"You may not {action.value.replace('_', ' ')} this offer.")
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise InvalidTransition(f"An offer that is {state.value} cannot be {_past(action)}.", state=state.value)
    return target


PAST = {
    A.CREATE: "created",
    A.SUBMIT: "submitted",
    A.SEND_BACK: "sent back",
    A.PUBLISH: "published",
    A.WITHDRAW: "withdrawn",
    A.CLOSE: "closed",
}


def _past(action: OfferAction) -> str:
    return PAST[action]
