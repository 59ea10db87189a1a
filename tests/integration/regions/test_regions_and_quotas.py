from __future__ import annotations

from backend.db.models import Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_quota, make_region, make_user

AZORES = {
    "code": "PT20",
    "name": "Azores",
    "name_local": "Região Autónoma dos Açores",
    "country": "PT",
    "languages": ["pt"],
    "min_age": 18,
    "max_age": 35,
    "min_residence_months": 6,
}


async def test_admin_creates_edits_and_lists_regions(client, db, clock):
    async def world(s):
        return await login_token(s, await make_user(s, Role.ADMIN), clock())

    admin = await arrange(db, world)
    created = await client.post("/api/regions", json=AZORES, headers=admin)
    assert created.status_code == 201, created.text
    region = created.json()
    assert region["code"] == "PT20" and region["max_age"] == 35 and region["languages"] == ["pt"]

    duplicate = await client.post("/api/regions", json=AZORES | {"name": "Again"}, headers=admin)
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["field"] == "code"

    patched = await client.patch(
        f"/api/regions/{region['id']}", json={"max_age": 30, "participating": False}, headers=admin
    )
    assert patched.status_code == 200
    assert patched.json()["max_age"] == 30 and patched.json()["participating"] is False

    public = await client.get(f"/api/regions/{region['id']}")
    assert public.status_code == 200 and public.json()["max_age"] == 30
    listed = await client.get("/api/regions", params={"participating": "false"})
    assert [r["code"] for r in listed.json()] == ["PT20"]


async def test_region_input_is_validated(client, db, clock):
    admin = await arrange(db, lambda s: _admin(s, clock))
    cases = {
        "country": AZORES | {"country": "Portugal"},
        "code": AZORES | {"code": "pt 20"},
        "max_age": AZORES | {"max_age": 99},
        "languages": AZORES | {"languages": ["Portuguese"]},
        "min_residence_months": AZORES | {"min_residence_months": -1},
    }
    for field, body in cases.items():
        response = await client.post("/api/regions", json=body, headers=admin)
        assert response.status_code == 400, (field, response.text)
        assert response.json()["errors"][0]["field"].startswith(field)
    inverted = await client.post("/api/regions", json=AZORES | {"min_age": 30, "max_age": 20}, headers=admin)
    assert inverted.status_code == 422 and inverted.json()["errors"][0]["field"] == "min_age"
    assert (await client.get("/api/regions")).json() == []  # nothing was written


async def _admin(s, clock):
    return await login_token(s, await make_user(s, Role.ADMIN), clock())


async def test_quotas_round_trip_and_cannot_drop_below_use(client, db, clock):
    async def world(s):
        region = await make_region(s, "PT30")
        admin = await login_token(s, await make_user(s, Role.ADMIN), clock())
        coordinator = await login_token(s, await make_user(s, Role.COORDINATOR, regions=[region]), clock())
        quota = await make_quota(s, region, 2027, hosting=10, sending=10)
        quota.hosted, quota.sent = 4, 2
        return region, admin, coordinator

    region, admin, coordinator = await arrange(db, world)
    url = f"/api/regions/{region.id}/quotas/2026"
    created = await client.put(url, json={"hosting_quota": 50, "sending_quota": 40}, headers=admin)
    assert created.status_code == 200, created.text
    assert created.json() | {"region_id": None} == {
        "region_id": None,
        "region_code": "PT30",
        "programme_year": 2026,
        "hosting_quota": 50,
        "sending_quota": 40,
        "hosted": 0,
        "sent": 0,
        "hosting_remaining": 50,
        "sending_remaining": 40,
    }
    changed = await client.put(url, json={"hosting_quota": 45, "sending_quota": 40}, headers=admin)
    assert changed.json()["hosting_quota"] == 45

    below = await client.put(
        f"/api/regions/{region.id}/quotas/2027", json={"hosting_quota": 3, "sending_quota": 9}, headers=admin
    )
    assert below.status_code == 409

    listed = await client.get(f"/api/regions/{region.id}/quotas", headers=coordinator)
    assert listed.status_code == 200
    assert [(q["programme_year"], q["hosting_quota"], q["hosted"]) for q in listed.json()] == [
        (2026, 45, 0),
        (2027, 10, 4),
    ]
    by_year = await client.get("/api/quotas", params={"year": 2027}, headers=coordinator)
    assert [q["region_code"] for q in by_year.json()] == ["PT30"]

    for body, field in [
        ({"hosting_quota": -1, "sending_quota": 1}, "hosting_quota"),
        ({"hosting_quota": 1}, "sending_quota"),
        ({"hosting_quota": "ten", "sending_quota": 1}, "hosting_quota"),
    ]:
        bad = await client.put(url, json=body, headers=admin)
        assert bad.status_code == 400, bad.text
        assert bad.json()["errors"][0]["field"] == field
    bad_year = await client.put(
        f"/api/regions/{region.id}/quotas/1850", json={"hosting_quota": 1, "sending_quota": 1}, headers=admin
    )
    assert bad_year.status_code == 400
