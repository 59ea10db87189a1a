from __future__ import annotations

from backend.db.models import Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_region, make_user


async def test_employer_registers_and_region_coordinator_verifies(client, db, clock):
    async def world(s):
        valencia = await make_region(s, "ES52")
        murcia = await make_region(s, "ES62")
        employer = await make_user(s, Role.EMPLOYER)
        return {
            "valencia": valencia,
            "employer": await login_token(s, employer, clock()),
            "coordinator": await login_token(s, await make_user(s, Role.COORDINATOR, regions=[valencia]), clock()),
            "foreign": await login_token(s, await make_user(s, Role.COORDINATOR, regions=[murcia]), clock()),
            "other_employer": await login_token(s, await make_user(s, Role.EMPLOYER), clock()),
        }

    w = await arrange(db, world)
    body = {
        "name": "Turisme Lab",
        "region_id": str(w["valencia"].id),
        "sector": "N",
        "city": "València",
        "website": "https://turisme.example.org",
    }
    created = await client.post("/api/organisations", json=body, headers=w["employer"])
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["verified"] is False

    me = await client.get("/api/me", headers=w["employer"])
    assert me.json()["organisation_id"] == org["id"]
    second = await client.post("/api/organisations", json=body | {"name": "Another"}, headers=w["employer"])
    assert second.status_code == 409

    pending = await client.get(
        f"/api/regions/{w['valencia'].id}/organisations",
        params={"verified": "false"},
        headers=w["coordinator"],
    )
    assert [o["name"] for o in pending.json()] == ["Turisme Lab"]

    assert (await client.post(f"/api/organisations/{org['id']}/verify", headers=w["foreign"])).status_code == 403
    assert (await client.get(f"/api/organisations/{org['id']}", headers=w["foreign"])).status_code == 403
    assert (await client.get(f"/api/organisations/{org['id']}", headers=w["other_employer"])).status_code == 403
    assert (await client.post(f"/api/organisations/{org['id']}/verify", headers=w["employer"])).status_code == 403

    verified = await client.post(f"/api/organisations/{org['id']}/verify", headers=w["coordinator"])
    assert verified.status_code == 200 and verified.json()["verified"] is True
    again = await client.post(f"/api/organisations/{org['id']}/verify", headers=w["coordinator"])
    assert again.status_code == 409

    renamed = await client.patch(f"/api/organisations/{org['id']}", json={"city": "Alacant"}, headers=w["employer"])
    assert renamed.status_code == 200 and renamed.json()["city"] == "Alacant"
    foreign_edit = await client.patch(
        f"/api/organisations/{org['id']}", json={"city": "X"}, headers=w["other_employer"]
    )
    assert foreign_edit.status_code == 403

    for patch, field in [({"sector": "Z"}, "sector"), ({"website": "ftp://x"}, "website")]:
        bad = await client.post("/api/organisations", json=body | patch, headers=w["other_employer"])
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == field
    unknown_region = await client.post(
        "/api/organisations",
        json=body | {"region_id": "018f0000-0000-7000-8000-000000000000", "name": "Y"},
        headers=w["other_employer"],
    )
    assert unknown_region.status_code == 422 and unknown_region.json()["errors"][0]["field"] == "region_id"
