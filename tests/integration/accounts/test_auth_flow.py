from __future__ import annotations

import httpx
from sqlalchemy import select

from backend.db.models import Notification, Role
from tests.support.mail import deliver, messages_to, text_part, token_from

PASSWORD = "correct horse battery"


async def register(client: httpx.AsyncClient, email: str, **extra: object) -> httpx.Response:
    body = {"email": email, "password": PASSWORD, "full_name": "Ana Silva"} | extra
    return await client.post("/api/auth/register", json=body)


async def test_register_verify_login_and_call_a_restricted_endpoint(client, db, settings, clock, endpoints):
    response = await register(client, "Ana.Silva@Example.org", locale="fr")
    assert response.status_code == 201, response.text
    account = response.json()
    assert account["email"] == "ana.silva@example.org"
    assert account["role"] == "applicant"
    assert account["email_verified"] is False

    # Unverified accounts cannot log in yet.
    refused = await client.post("/api/auth/login", json={"email": "ana.silva@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")

    report = await deliver(db, settings, clock)
    assert report.sent == 1
    [message] = messages_to(endpoints.mail_dir, "ana.silva@example.org")
    assert message["Subject"] == "Confirmez votre adresse e-mail"  # the recipient's language
    assert "http://testserver.local/verify-email?token=" in text_part(message)
    assert message.get_body(preferencelist=("html",)) is not None

    verified = await client.post("/api/auth/verify-email", json={"token": token_from(message)})
    assert verified.status_code == 200, verified.text
    assert verified.json()["email_verified"] is True

    login = await client.post("/api/auth/login", json={"email": "ANA.SILVA@example.org", "password": PASSWORD})
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    me = await client.get("/api/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["role"] == Role.APPLICANT

    # The secret link is not kept once the message went out.
    async with db() as session:
        row = await session.scalar(select(Notification).where(Notification.kind == "account.verify_email"))
        assert row is not None and row.link is None and row.email_state == "sent"

    # A blank name is refused, and the stored one kept.
    blank = await client.patch("/api/me", json={"full_name": "   "}, headers=headers)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "full_name"
    assert (await client.get("/api/me", headers=headers)).json()["full_name"] == "Ana Silva"

    # A role-restricted endpoint: applicants are refused, the route exists.
    refused_admin = await client.get("/api/admin/accounts", headers=headers)
    assert refused_admin.status_code == 403

    logout = await client.post("/api/auth/logout", headers=headers)
    assert logout.status_code == 204
    after = await client.get("/api/me", headers=headers)
    assert after.status_code == 401


async def test_wrong_password_missing_token_and_bad_header(client, db):
    await register(client, "bo@example.org")
    wrong = await client.post("/api/auth/login", json={"email": "bo@example.org", "password": "not the password"})
    assert wrong.status_code == 401
    assert wrong.json()["type"].endswith("/unauthenticated")
    unknown = await client.post("/api/auth/login", json={"email": "nobody@example.org", "password": PASSWORD})
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]  # no hint whether the account exists

    missing = await client.get("/api/me")
    assert missing.status_code == 401
    assert "WWW-Authenticate" in missing.headers
    bogus = await client.get("/api/me", headers={"Authorization": "Bearer not-a-real-token"})
    assert bogus.status_code == 401
    scheme = await client.get("/api/me", headers={"Authorization": "Basic Ym86cHc="})
    assert scheme.status_code == 401


async def test_verification_token_is_single_use_and_expires(client, db, settings, clock, endpoints):
    await register(client, "cy@example.org")
    await deliver(db, settings, clock)
    token = token_from(messages_to(endpoints.mail_dir, "cy@example.org")[-1])

    first = await client.post("/api/auth/verify-email", json={"token": token})
    assert first.status_code == 200
    reused = await client.post("/api/auth/verify-email", json={"token": token})
    assert reused.status_code == 410
    assert "used" in reused.json()["detail"]

    await register(client, "dee@example.org")
    await deliver(db, settings, clock)
    late_token = token_from(messages_to(endpoints.mail_dir, "dee@example.org")[-1])
    clock.advance(hours=settings.email_token_ttl_hours + 1)
    expired = await client.post("/api/auth/verify-email", json={"token": late_token})
    assert expired.status_code == 410
    assert "expired" in expired.json()["detail"]

    invalid = await client.post("/api/auth/verify-email", json={"token": "x" * 43})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "token"


async def test_password_reset_is_single_use_and_ends_sessions(client, db, settings, clock, endpoints):
    await register(client, "eve@example.org")
    await deliver(db, settings, clock)
    await client.post(
        "/api/auth/verify-email",
        json={"token": token_from(messages_to(endpoints.mail_dir, "eve@example.org")[-1])},
    )
    login = await client.post("/api/auth/login", json={"email": "eve@example.org", "password": PASSWORD})
    old_headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    asked = await client.post("/api/auth/password-reset", json={"email": "eve@example.org"})
    assert asked.status_code == 202
    unknown = await client.post("/api/auth/password-reset", json={"email": "nobody@example.org"})
    assert unknown.status_code == 202 and unknown.json() == asked.json()
    await deliver(db, settings, clock)
    [reset_mail] = messages_to(endpoints.mail_dir, "eve@example.org", subject="Reset your password")
    token = token_from(reset_mail)

    weak = await client.post("/api/auth/password-reset/confirm", json={"token": token, "new_password": "short"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"

    # The weak attempt was rolled back whole: the token is still unused.
    done = await client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": "a much better secret"}
    )
    assert done.status_code == 204, done.text
    again = await client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": "yet another secret"}
    )
    assert again.status_code == 410

    assert (await client.get("/api/me", headers=old_headers)).status_code == 401
    old = await client.post("/api/auth/login", json={"email": "eve@example.org", "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/auth/login", json={"email": "eve@example.org", "password": "a much better secret"})
    assert new.status_code == 200


async def test_duplicate_email_and_bad_input(client, db):
    assert (await register(client, "fay@example.org")).status_code == 201
    duplicate = await register(client, "FAY@example.org")
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["field"] == "email"

    unknown_field = await register(client, "gus@example.org", is_admin=True)
    assert unknown_field.status_code == 400
    assert unknown_field.json()["errors"][0]["field"] == "is_admin"
    bad_email = await register(client, "not-an-email")
    assert bad_email.status_code == 400
    assert bad_email.json()["errors"][0]["field"] == "email"
    staff_role = await register(client, "hal@example.org", role="admin")
    assert staff_role.status_code == 400
    assert staff_role.json()["errors"][0]["field"] == "role"
    wrong_type = await client.post("/api/auth/register", json={"email": 5, "password": PASSWORD, "full_name": "X"})
    assert wrong_type.status_code == 400
    not_json = await client.post("/api/auth/register", content=b"{nope", headers={"content-type": "application/json"})
    assert not_json.status_code == 400
    blank = await register(client, "jo@example.org", full_name=" \t ")
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "full_name"
    weak = await register(client, "ida@example.org", password="aaaaaaaaaaaa")
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "password"
