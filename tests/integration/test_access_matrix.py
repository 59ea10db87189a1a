"""Who may call what: every endpoint that exists, with every role, and foreign scope (table-driven)."""

from __future__ import annotations

import pytest

from backend.db.models import Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_organisation, make_quota, make_region, make_user

ANON = "anonymous"
ROLES = [ANON, "applicant", "employer", "own_coordinator", "foreign_coordinator", "chair", "admin"]
OK = {200, 201, 204}

# (method, path template, body, roles allowed). {region} is the own coordinator's region; {org} is in it.
MATRIX = [
    ("GET", "/api/regions", None, set(ROLES)),
    ("GET", "/api/regions/{region}", None, set(ROLES)),
    ("POST", "/api/regions", {"code": "FR10", "name": "Île-de-France", "country": "FR"}, {"admin"}),
    ("PATCH", "/api/regions/{region}", {"max_age": 32}, {"admin"}),
    ("GET", "/api/regions/{region}/quotas", None, {"own_coordinator", "chair", "admin"}),
    ("PUT", "/api/regions/{region}/quotas/2026", {"hosting_quota": 9, "sending_quota": 9}, {"admin"}),
    ("GET", "/api/quotas", None, {"own_coordinator", "foreign_coordinator", "chair", "admin"}),
    ("GET", "/api/regions/{region}/organisations", None, {"own_coordinator", "chair", "admin"}),
    ("GET", "/api/organisations/{org}", None, {"employer", "own_coordinator", "chair", "admin"}),
    ("PATCH", "/api/organisations/{org}", {"city": "Ponta Delgada"}, {"employer"}),
    ("POST", "/api/organisations/{org}/verify", None, {"own_coordinator", "admin"}),
    ("GET", "/api/me", None, set(ROLES) - {ANON}),
    ("GET", "/api/admin/accounts", None, {"admin"}),
    (
        "POST",
        "/api/admin/accounts",
        {"email": "new.chair@example.org", "full_name": "New Chair", "role": "chair"},
        {"admin"},
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
async def test_access_matrix(client, db, clock, method, path, body, allowed):
    async def world(s):
        region = await make_region(s, "PT20")
        other = await make_region(s, "ES51")
        await make_quota(s, region, 2026, 5, 5)
        org = await make_organisation(s, region, verified=False)
        users = {
            "applicant": await make_user(s, Role.APPLICANT),
            "employer": await make_user(s, Role.EMPLOYER, organisation=org),
            "own_coordinator": await make_user(s, Role.COORDINATOR, regions=[region]),
            "foreign_coordinator": await make_user(s, Role.COORDINATOR, regions=[other]),
            "chair": await make_user(s, Role.CHAIR),
            "admin": await make_user(s, Role.ADMIN),
        }
        headers = {name: await login_token(s, user, clock()) for name, user in users.items()}
        return region, org, headers

    region, org, headers = await arrange(db, world)
    url = path.format(region=region.id, org=org.id)
    connection = db.kw["bind"]
    for role in ROLES:
        # Each call runs in its own savepoint so one role's success does not change the next role's answer.
        savepoint = await connection.begin_nested()
        response = await client.request(method, url, json=body, headers=headers.get(role, {}))
        await savepoint.rollback()
        if role in allowed:
            assert response.status_code in OK, (role, response.status_code, response.text)
        else:
            expected = 401 if role == ANON else 403
            assert response.status_code == expected, (role, response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
