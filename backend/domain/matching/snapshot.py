"""A round's engine input, read from the database once and stored as plain JSON, so the round can be replayed.

The stored snapshot is canonical (sorted keys and lists): its SHA-256 identifies the input. `engine_input`
turns it into the engine's types without any I/O.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import HOLDING_STATES, Application, ApplicationState, Offer
from backend.domain.ledger.services import figures
from backend.matching_engine import Applicant, MatchingInput, RegionState
from backend.matching_engine import Offer as EngineOffer


def holding_applicants(year: int) -> Select[uuid.UUID]:
    """Applicants who hold a proposal or a place in the year (HOLDING_STATES): no round takes them in."""
    return select(Application.applicant_id).where(
        Application.state.in_(HOLDING_STATES), Application.programme_year == year
    )


async def collect(session: AsyncSession, year: int, offer_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    """Shortlisted applications ranked on both sides, the offers' free seats, the regions' free quota units.

    Applicants who already hold a proposal or a place in the year are left out (HOLDING_STATES).

    Seats and quota units already promised to pending proposals are not free: a round never proposes more
    than could be accepted.
    """
    proposed = (
        select(Application.offer_id, func.count())
        .where(Application.offer_id.in_(offer_ids), Application.state == ApplicationState.PROPOSED)
        .group_by(Application.offer_id)
    )
    pending = {o: int(n) for o, n in await session.execute(proposed)}
    offers: list[dict[str, Any]] = []
    for offer in await session.scalars(select(Offer).where(Offer.id.in_(offer_ids)).order_by(Offer.id)):
        free = offer.seats - offer.seats_taken - pending.get(offer.id, 0)
        if free > 0:
            offers.append({"id": str(offer.id), "region": str(offer.region_id), "seats": free})
    open_ids = [uuid.UUID(str(o["id"])) for o in offers]
    rows = await session.execute(
        select(
            Application.id,
            Application.applicant_id,
            Application.home_region_id,
            Application.offer_id,
            Application.applicant_rank,
            Application.host_rank,
        )
        .where(
            Application.offer_id.in_(open_ids),
            Application.state == ApplicationState.SHORTLISTED,
            Application.programme_year == year,
            Application.applicant_rank.is_not(None),
            Application.host_rank.is_not(None),
            Application.applicant_id.not_in(holding_applicants(year)),
        )
        .order_by(Application.applicant_id, Application.applicant_rank, Application.id)
    )
    applicants: dict[str, dict[str, Any]] = {}
    for app_id, applicant_id, home, offer_id, _rank, host_rank in rows.all():
        entry = applicants.setdefault(
            str(applicant_id),
            {
                "id": str(applicant_id),
                "home_region": str(home),
                "preferences": [],
                "host_ranks": {},
                "applications": {},
            },
        )
        entry["preferences"].append(str(offer_id))
        entry["host_ranks"][str(offer_id)] = int(host_rank or 0)
        entry["applications"][str(offer_id)] = str(app_id)
    region_ids = sorted({str(o["region"]) for o in offers} | {str(a["home_region"]) for a in applicants.values()})
    regions = {}
    for region in region_ids:
        f = await figures(session, uuid.UUID(region), year)
        regions[region] = {
            "hosting_remaining": max(f.hosting.quota - f.hosting.used - f.hosting.proposed, 0),
            "sending_remaining": max(f.sending.quota - f.sending.used - f.sending.proposed, 0),
            "balance": f.balance,
        }
    return {
        "programme_year": year,
        "offers": offers,
        "applicants": sorted(applicants.values(), key=lambda a: a["id"]),
        "regions": regions,
    }


def canonical_hash(snapshot: dict[str, Any]) -> str:
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def _in_list_order(preferences: list[str], host_ranks: dict[str, int]) -> dict[str, int]:
    """The ranks in the order of the applicant's list (a stored snapshot's JSONB sorts keys): the engine
    reads ranks so ordered without a lookup each (matching_engine.prepare)."""
    listed = {o: host_ranks[o] for o in preferences if o in host_ranks}
    return {**listed, **host_ranks}


def engine_input(snapshot: dict[str, Any]) -> MatchingInput:
    return MatchingInput(
        offers=[EngineOffer(id=o["id"], region=o["region"], seats=int(o["seats"])) for o in snapshot["offers"]],
        applicants=[
            Applicant(
                id=a["id"],
                home_region=a["home_region"],
                preferences=tuple(a["preferences"]),
                host_ranks=_in_list_order(a["preferences"], a["host_ranks"]),
            )
            for a in snapshot["applicants"]
        ],
        regions={
            r: RegionState(
                hosting_remaining=v["hosting_remaining"], sending_remaining=v["sending_remaining"], balance=v["balance"]
            )
            for r, v in snapshot["regions"].items()
        },
        tie_break_seed=canonical_hash(snapshot),
    )


def application_of(snapshot: dict[str, Any], applicant_id: str, offer_id: str) -> str | None:
    for applicant in snapshot["applicants"]:
        if applicant["id"] == applicant_id:
            return applicant["applications"].get(offer_id)  # type: ignore[no-any-return]
    return None
