"""Public search over published offers: filters, sort orders, page or cursor pagination, and a total.

Built for a large catalogue: every filter is served by an index (partial indexes on published offers per
sort order and filter, a GIN index over the generated tsvector for free text, offer_languages by language
and level), and a page costs two statements, the page itself (with languages aggregated in place) and
the count. Free text uses PostgreSQL full-text search with the 'simple' configuration and web-search
syntax ("quoted phrases", -excluded, or). Offers past their deadline are never listed, even before the
closing job has run.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, String, cast, exists, func, select, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from backend.db.models import CefrLevel, Offer, OfferLanguage, OfferState, Organisation, Region
from backend.domain.offers.schemas import LanguageLevel, OfferPage, OfferSummary, SortKey
from backend.lib.errors import InvalidInput

CENT = Decimal("0.01")
TOTAL_CAP = 1_000


@dataclass(frozen=True)
class SearchParams:
    region_id: uuid.UUID | None = None
    country: str | None = None
    sector: str | None = None
    language: str | None = None
    level: CefrLevel | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    start_from: date | None = None
    start_to: date | None = None
    q: str | None = None
    sort: SortKey = "start_date"
    page: int | None = None
    page_size: int = 20
    cursor: str | None = None

    def check(self) -> None:
        if self.level is not None and self.language is None:
            raise InvalidInput("A level filters a language: give `language` too.", field="level")
        if self.min_duration and self.max_duration and self.min_duration > self.max_duration:
            raise InvalidInput("The shortest duration is above the longest.", field="min_duration")
        if self.start_from and self.start_to and self.start_from > self.start_to:
            raise InvalidInput("The earliest start is after the latest start.", field="start_from")
        if self.sort == "relevance" and not (self.q and self.q.strip()):
            raise InvalidInput("Sorting by relevance needs a text query `q`.", field="sort")
        if self.cursor is not None and self.page is not None:
            raise InvalidInput("Use either `page` or `cursor`, not both.", field="cursor")
        if self.cursor is not None and self.sort == "relevance":
            raise InvalidInput("Relevance order pages by `page`, not by cursor.", field="cursor")


# sort key -> (column, descending)
ORDER: dict[str, tuple[Any, bool]] = {
    "start_date": (Offer.start_date, False),
    "-start_date": (Offer.start_date, True),
    "deadline": (Offer.application_deadline, False),
    "-published_at": (Offer.published_at, True),
    "-monthly_grant": (Offer.monthly_grant, True),
}


def _tsquery(q: str) -> Any:
    return func.websearch_to_tsquery("simple", q)


def conditions(params: SearchParams, now: datetime) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Offer.state == OfferState.PUBLISHED, Offer.application_deadline > now]
    if params.region_id is not None:
        conds.append(Offer.region_id == params.region_id)
    if params.country is not None:
        conds.append(Offer.region_id.in_(select(Region.id).where(Region.country == params.country)))
    if params.sector is not None:
        conds.append(Offer.sector == params.sector)
    if params.language is not None:
        language = [OfferLanguage.offer_id == Offer.id, OfferLanguage.language == params.language]
        if params.level is not None:
            # The caller's own level: offers asking for this language at that level or below.
            language.append(OfferLanguage.level <= params.level)
        conds.append(exists(select(1).where(*language)))
    if params.min_duration is not None:
        conds.append(Offer.duration_months >= params.min_duration)
    if params.max_duration is not None:
        conds.append(Offer.duration_months <= params.max_duration)
    if params.start_from is not None:
        conds.append(Offer.start_date >= params.start_from)
    if params.start_to is not None:
        conds.append(Offer.start_date <= params.start_to)
    if params.q and params.q.strip():
        conds.append(Offer.search_vector.op("@@")(_tsquery(params.q)))
    return conds


def _encode_cursor(sort: str, value: Any, offer_id: uuid.UUID) -> str:
    raw = msgspec.json.encode([sort, str(value), str(offer_id)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, offer_id = msgspec.json.decode(raw, type=tuple[str, str, str])
        if cursor_sort != sort:
            raise ValueError("sort changed")
        parse: dict[str, Callable[[str], Any]] = {
            "start_date": date.fromisoformat,
            "-start_date": date.fromisoformat,
            "deadline": datetime.fromisoformat,
            "-published_at": datetime.fromisoformat,
            "-monthly_grant": Decimal,
        }
        parsed = parse[sort](value)
        return parsed, uuid.UUID(offer_id)
    except (ValueError, KeyError, ArithmeticError, binascii.Error, msgspec.DecodeError):
        raise InvalidInput("This cursor is not valid for this search (or the sort changed).", field="cursor") from None


def _languages(tags: list[str] | None) -> list[LanguageLevel]:
    out = []
    for tag in tags or []:
        language, _, level = tag.partition(":")
        out.append(LanguageLevel(language=language, level=CefrLevel(level)))
    return out


def _count(conds: list[ColumnElement[bool]]) -> Any:
    """Matches counted up to TOTAL_CAP + 1 (the + 1 tells that the cap was passed)."""
    capped = select(Offer.id).where(*conds).limit(TOTAL_CAP + 1).correlate(None).subquery()
    return select(func.count()).select_from(capped)


async def search(session: AsyncSession, params: SearchParams, now: datetime) -> OfferPage:
    """One round trip in the usual case: the page and the count in one statement, outside a transaction
    (a read of published data needs no BEGIN/ROLLBACK pair)."""
    params.check()
    conds = conditions(params, now)
    languages = (
        select(
            func.array_agg(
                aggregate_order_by(
                    OfferLanguage.language + ":" + cast(OfferLanguage.level, String), OfferLanguage.language
                )
            )
        )
        .where(OfferLanguage.offer_id == Offer.id)
        .scalar_subquery()
    )
    query = (
        select(
            Offer.id,
            Offer.title,
            Offer.sector,
            Organisation.name,
            Offer.region_id,
            Region.code,
            Region.name,
            Region.country,
            Offer.duration_months,
            Offer.start_date,
            Offer.seats - Offer.seats_taken,
            Offer.monthly_grant,
            Offer.currency,
            Offer.language_course,
            Offer.housing_help,
            Offer.application_deadline,
            Offer.published_at,
            languages,
            _count(conds).scalar_subquery(),
        )
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .join(Region, Region.id == Offer.region_id)
        .where(*conds)
        .limit(params.page_size + 1)
    )
    page: int | None = None
    if params.sort == "relevance":
        assert params.q is not None
        query = query.order_by(func.ts_rank(Offer.search_vector, _tsquery(params.q)).desc(), Offer.id)
    else:
        column, descending = ORDER[params.sort]
        query = query.order_by(column.desc(), Offer.id.desc()) if descending else query.order_by(column, Offer.id)
        if params.cursor is not None:
            value, after_id = _decode_cursor(params.cursor, params.sort)
            key, mark = tuple_(column, Offer.id), tuple_(value, after_id)
            query = query.where(key < mark if descending else key > mark)
    if params.cursor is None:
        page = params.page or 1
        query = query.offset((page - 1) * params.page_size)
    # A session joined to a caller's connection (tests, a job's transaction) reads inside that transaction.
    joined = isinstance(session.bind, AsyncConnection)
    connection = await session.connection(execution_options={} if joined else {"isolation_level": "AUTOCOMMIT"})
    rows = (await connection.execute(query)).all()
    if rows:
        counted = int(rows[0][18])
    elif page == 1:
        counted = 0
    else:  # past the last page: count apart
        counted = int((await connection.execute(_count(conds))).scalar_one())
    more = len(rows) > params.page_size
    rows = rows[: params.page_size]
    next_cursor = None
    if more and params.sort != "relevance":
        last = rows[-1]
        value = {
            "start_date": last[9],
            "-start_date": last[9],
            "deadline": last[15].isoformat(),
            "-published_at": last[16].isoformat() if last[16] else "",
            "-monthly_grant": last[11],
        }[params.sort]
        next_cursor = _encode_cursor(params.sort, value, last[0])
    items = [
        OfferSummary(
            id=r[0],
            title=r[1],
            sector=r[2],
            organisation_name=r[3],
            region_id=r[4],
            region_code=r[5],
            region_name=r[6],
            country=r[7],
            duration_months=r[8],
            start_date=r[9],
            seats_available=r[10],
            monthly_grant=r[11].quantize(CENT),
            currency=r[12],
            language_course=r[13],
            housing_help=r[14],
            application_deadline=r[15],
            published_at=r[16],
            languages=_languages(r[17]),
        )
        for r in rows
    ]
    return OfferPage(
        items=items,
        total=min(counted, TOTAL_CAP),
        total_exact=counted <= TOTAL_CAP,
        page=page,
        page_size=params.page_size,
        next_cursor=next_cursor,
    )
