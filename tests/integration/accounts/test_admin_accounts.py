"""An admin deactivates and reactivates accounts; never their own."""

from __future__ import annotations

import uuid

from backend.db.models import Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_user


async def test_deactivate_and_reactivate_an_account(client, db, clock):
    async def world(s):
        admin, chair, coordinator = (
            await make_user(s, Role.ADMIN),
            await make_user(s, Role.CHAIR),
            await make_user(s, Role.COORDINATOR),
        )
        erased = await make_user(s, Role.APPLICANT, email="erased-0123@erased.invalid")
        erased.is_active = False
        tokens = [await login_token(s, user, clock()) for user in (admin, chair, coordinator)]
        return admin, chair, erased, *tokens

    admin, chair, erased, admin_headers, chair_headers, coordinator_headers = await arrange(db, world)
    assert (await client.get("/api/me", headers=chair_headers)).json()["active"] is True

    gone = await client.delete(f"/api/admin/accounts/{chair.id}", headers=admin_headers)
    assert gone.status_code == 204, gone.text
    assert (await client.get("/api/me", headers=chair_headers)).status_code == 401  # its sessions ended
    listed = {a["id"]: a for a in (await client.get("/api/admin/accounts", headers=admin_headers)).json()}
    assert listed[str(chair.id)]["active"] is False and listed[str(admin.id)]["active"] is True

    back = await client.post(f"/api/admin/accounts/{chair.id}/reactivate", headers=admin_headers)
    assert back.status_code == 200, back.text
    assert back.json()["active"] is True

    own = await client.delete(f"/api/admin/accounts/{admin.id}", headers=admin_headers)
    assert own.status_code == 409 and own.json()["state"] == "own_account"
    assert (await client.get("/api/me", headers=admin_headers)).json()["active"] is True
    # An account its owner erased stays erased.
    revived = await client.post(f"/api/admin/accounts/{erased.id}/reactivate", headers=admin_headers)
    assert revived.status_code == 409 and revived.json()["state"] == "erased"
    unknown = await client.delete(f"/api/admin/accounts/{uuid.uuid4()}", headers=admin_headers)
    assert unknown.status_code == 404
    for method, path in (
        ("DELETE", f"/api/admin/accounts/{chair.id}"),
        ("POST", f"/api/admin/accounts/{chair.id}/reactivate"),
    ):
        assert (await client.request(method, path, headers=coordinator_headers)).status_code == 403
