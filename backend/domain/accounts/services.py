"""Accounts: registration, e-mail verification, login sessions, password reset, staff accounts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import AuthToken, Locale, Region, Role, TokenPurpose, User, coordinator_regions
from backend.domain.accounts.schemas import AccountOut
from backend.domain.notifications.services import notify
from backend.lib.clock import Clock, system_clock
from backend.lib.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound, Unauthenticated
from backend.lib.schemas import clean_name
from backend.lib.security import digest, hash_password, needs_rehash, new_secret, verify_password
from backend.lib.settings import Settings


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(password: str, *, email: str, settings: Settings, field: str = "password") -> None:
    if len(password) < settings.password_min_length:
        raise InvalidInput(f"Use at least {settings.password_min_length} characters.", field=field)
    if password.lower() == email.lower() or len(set(password)) < 4:
        raise InvalidInput("This password is too easy to guess.", field=field)


async def account_out(session: AsyncSession, user: User) -> AccountOut:
    region_ids: list[uuid.UUID] = []
    if user.role is Role.COORDINATOR:
        rows = await session.scalars(
            select(coordinator_regions.c.region_id).where(coordinator_regions.c.user_id == user.id)
        )
        region_ids = sorted(rows)
    return AccountOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        locale=user.locale,
        email_verified=user.email_verified_at is not None,
        active=user.is_active,
        region_ids=region_ids,
        organisation_id=user.organisation_id,
        created_at=user.created_at,
    )


async def _issue_token(session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose, expires_at: datetime) -> str:
    secret = new_secret()
    session.add(AuthToken(user_id=user_id, purpose=purpose, digest=digest(secret), expires_at=expires_at))
    return secret


# E-mailed links: the token's purpose, the front-end page that takes it, and how long it stays valid.
EMAIL_LINKS: dict[str, tuple[TokenPurpose, str, Callable[[Settings], timedelta]]] = {
    "account.verify_email": (TokenPurpose.VERIFY_EMAIL, "/verify-email", lambda s: s.email_token_ttl),
    "account.reset_password": (TokenPurpose.RESET_PASSWORD, "/reset-password", lambda s: s.password_reset_ttl),
    "account.invitation": (TokenPurpose.RESET_PASSWORD, "/reset-password", lambda s: s.email_token_ttl),
}


async def _send_email_token(session: AsyncSession, user: User, kind: str, settings: Settings, now: datetime) -> None:
    purpose, path, ttl_of = EMAIL_LINKS[kind]
    ttl = ttl_of(settings)
    secret = await _issue_token(session, user.id, purpose, now + ttl)
    await notify(
        session,
        user_id=user.id,
        kind=kind,
        dedup_key=f"{kind}:{digest(secret).hex()}",
        params={"name": user.full_name, "hours": int(ttl.total_seconds() // 3600) or 1},
        link=f"{settings.public_url}{path}?token={secret}",
        now=now,
    )


async def register(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role,
    locale: Locale,
    settings: Settings,
    clock: Clock = system_clock,
) -> User:
    email = normalise_email(email)
    check_password_policy(password, email=email, settings=settings)
    user = User(
        email=email,
        password_hash=await hash_password(password),
        full_name=clean_name(full_name),
        role=role,
        locale=locale,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("An account with this e-mail address exists already.", field="email") from None
    await _send_email_token(session, user, "account.verify_email", settings, clock())
    return user


async def _consume_token(session: AsyncSession, token: str, purpose: TokenPurpose, now: datetime) -> AuthToken:
    """Mark a single-use token used; the row lock makes two concurrent uses of one token succeed once."""
    row = await session.scalar(
        select(AuthToken).where(AuthToken.digest == digest(token), AuthToken.purpose == purpose).with_for_update()
    )
    if row is None:
        raise InvalidInput("This link is not valid.", field="token")
    if row.used_at is not None:
        raise Gone("This link has been used already.")
    if row.expires_at <= now:
        raise Gone("This link has expired; ask for a new one.")
    row.used_at = now
    return row


async def verify_email(session: AsyncSession, token: str, clock: Clock = system_clock) -> User:
    now = clock()
    row = await _consume_token(session, token, TokenPurpose.VERIFY_EMAIL, now)
    user = await session.get_one(User, row.user_id)
    if user.email_verified_at is None:
        user.email_verified_at = now
    return user


async def resend_verification(
    session: AsyncSession, email: str, settings: Settings, clock: Clock = system_clock
) -> None:
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    # Silent when unknown or verified: the answer must not reveal whether an account exists.
    if user is not None and user.email_verified_at is None and user.is_active:
        await _send_email_token(session, user, "account.verify_email", settings, clock())


async def login(
    session: AsyncSession, *, email: str, password: str, settings: Settings, clock: Clock = system_clock
) -> tuple[User, str, datetime]:
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if not await verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
        raise Unauthenticated("The e-mail address or the password is wrong.")
    if user.email_verified_at is None:
        raise Forbidden("Confirm your e-mail address first: follow the link we sent you.")
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
    expires_at = clock() + settings.session_ttl
    token = await _issue_token(session, user.id, TokenPurpose.SESSION, expires_at)
    return user, token, expires_at


async def logout(session: AsyncSession, token: str) -> None:
    await session.execute(
        delete(AuthToken).where(AuthToken.digest == digest(token), AuthToken.purpose == TokenPurpose.SESSION)
    )


async def request_password_reset(
    session: AsyncSession, email: str, settings: Settings, clock: Clock = system_clock
) -> None:
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is not None and user.is_active:
        await _send_email_token(session, user, "account.reset_password", settings, clock())


async def reset_password(
    session: AsyncSession, token: str, new_password: str, settings: Settings, clock: Clock = system_clock
) -> None:
    now = clock()
    row = await _consume_token(session, token, TokenPurpose.RESET_PASSWORD, now)
    user = await session.get_one(User, row.user_id)
    check_password_policy(new_password, email=user.email, settings=settings, field="new_password")
    user.password_hash = await hash_password(new_password)
    # Following the e-mailed link proves the address too (invited staff accounts start unverified).
    user.email_verified_at = user.email_verified_at or now
    # A reset ends every open session: whoever knew the old password is logged out.
    await session.execute(
        delete(AuthToken).where(AuthToken.user_id == user.id, AuthToken.purpose == TokenPurpose.SESSION)
    )


async def update_profile(
    session: AsyncSession, user_id: uuid.UUID, *, full_name: str | None, locale: Locale | None
) -> User:
    user = await session.get_one(User, user_id)
    if full_name is not None:
        user.full_name = clean_name(full_name)
    if locale is not None:
        user.locale = locale
    return user


async def _check_regions(session: AsyncSession, region_ids: list[uuid.UUID]) -> None:
    if not region_ids:
        return
    found = set(await session.scalars(select(Region.id).where(Region.id.in_(region_ids))))
    missing = [str(r) for r in region_ids if r not in found]
    if missing:
        raise InvalidInput(f"Unknown region: {', '.join(missing)}.", field="region_ids")


async def set_coordinator_regions(session: AsyncSession, user_id: uuid.UUID, region_ids: list[uuid.UUID]) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    if user.role is not Role.COORDINATOR:
        raise Conflict("Only coordinators have regions.", field="region_ids", state=user.role.value)
    await _check_regions(session, region_ids)
    await session.execute(delete(coordinator_regions).where(coordinator_regions.c.user_id == user_id))
    if region_ids:
        await session.execute(
            insert(coordinator_regions), [{"user_id": user_id, "region_id": r} for r in set(region_ids)]
        )
    return user


async def create_staff_account(
    session: AsyncSession,
    *,
    email: str,
    full_name: str,
    role: Role,
    region_ids: list[uuid.UUID],
    locale: Locale,
    settings: Settings,
    clock: Clock = system_clock,
) -> User:
    if role is Role.COORDINATOR and not region_ids:
        raise InvalidInput("A coordinator needs at least one region.", field="region_ids")
    if role is not Role.COORDINATOR and region_ids:
        raise InvalidInput("Only coordinators have regions.", field="region_ids")
    await _check_regions(session, region_ids)
    user = User(
        email=normalise_email(email),
        password_hash=None,
        full_name=clean_name(full_name),
        role=role,
        locale=locale,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("An account with this e-mail address exists already.", field="email") from None
    if region_ids:
        await session.execute(
            insert(coordinator_regions), [{"user_id": user.id, "region_id": r} for r in set(region_ids)]
        )
    await _send_email_token(session, user, "account.invitation", settings, clock())
    return user


async def list_accounts(session: AsyncSession, role: Role | None, limit: int, offset: int) -> list[User]:
    query = select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    if role is not None:
        query = query.where(User.role == role)
    return list(await session.scalars(query))


async def set_active(session: AsyncSession, by: uuid.UUID, user_id: uuid.UUID, *, active: bool) -> User:
    """Deactivate (its sessions end, it cannot log in) or reactivate an account; never the caller's own, so an
    admin cannot lock themselves out."""
    if user_id == by:
        raise Conflict("You cannot deactivate or reactivate your own account.", state="own_account")
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("No such account.")
    if user.erased:
        raise Conflict("This account was erased by its owner: it cannot change any more.", state="erased")
    user.is_active = active
    if not active:
        await session.execute(delete(AuthToken).where(AuthToken.user_id == user_id))
    await session.flush()
    return user
