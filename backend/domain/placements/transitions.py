"""The placement's state machine, from the employer's confirmation to the final report.

    confirmed --sign_agreement--> agreement_signed --start--> started --review_midterm--> midterm_reviewed
    midterm_reviewed --complete--> completed          any state before completed --interrupt (reason)--> interrupted

The host coordinator records every step (an admin too); the employer records the agreement, the start and
its reviews. An interruption before the start gives the seat and both quota units back.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from backend.db.models import PlacementState
from backend.lib.errors import Forbidden, InvalidTransition


class PlacementAction(StrEnum):
    SIGN_AGREEMENT = "sign_agreement"
    START = "start"
    REVIEW_MIDTERM = "review_midterm"
    COMPLETE = "complete"
    INTERRUPT = "interrupt"


class PlacementSide(StrEnum):
    HOSTING = "hosting"
    EMPLOYER = "employer"


S, A = PlacementState, PlacementAction
NOT_STARTED = frozenset({S.CONFIRMED, S.AGREEMENT_SIGNED})

TRANSITIONS: dict[tuple[PlacementState, PlacementAction], PlacementState] = {
    (S.CONFIRMED, A.SIGN_AGREEMENT): S.AGREEMENT_SIGNED,
    (S.AGREEMENT_SIGNED, A.START): S.STARTED,
    (S.STARTED, A.REVIEW_MIDTERM): S.MIDTERM_REVIEWED,
    (S.MIDTERM_REVIEWED, A.COMPLETE): S.COMPLETED,
    **{
        (state, A.INTERRUPT): S.INTERRUPTED
        for state in (S.CONFIRMED, S.AGREEMENT_SIGNED, S.STARTED, S.MIDTERM_REVIEWED)
    },
}

BOTH = frozenset({PlacementSide.HOSTING, PlacementSide.EMPLOYER})
SIDES: dict[PlacementAction, frozenset[PlacementSide]] = {
    A.SIGN_AGREEMENT: BOTH,
    A.START: BOTH,
    A.REVIEW_MIDTERM: BOTH,
    A.COMPLETE: BOTH,
    A.INTERRUPT: frozenset({PlacementSide.HOSTING}),
}
REASON_REQUIRED = frozenset({A.INTERRUPT})


def decide(state: PlacementState, action: PlacementAction, sides: Iterable[PlacementSide]) -> PlacementState:
    if not SIDES[action] & set(sides):
        raise Forbidden(f"You may not {action.value.replace('_', ' ')} for this placement.")
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise InvalidTransition(
            f"Cannot {action.value.replace('_', ' ')} a placement that is {state.value}.", state=state.value
        )
    return target
