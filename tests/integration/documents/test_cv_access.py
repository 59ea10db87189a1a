"""Who gets a download link for an applicant's CV (the access matrix of the documents issue)."""

from __future__ import annotations

import pytest

from backend.db.models import ApplicationState, Role
from tests.support.api import arrange
from tests.support.factories import (
    login_token,
    make_application,
    make_offer,
    make_organisation,
    make_profile,
    make_region,
    make_user,
)
from tests.support.pdf import make_pdf

# who -> may they read the CV of an applicant from Azores who applied to Catalonia (shortlisted) and to
# Valencia (only submitted)?
EXPECTED = {
    "applicant_self": True,
    "home_coordinator": True,  # Azores: the sending side
    "host_coordinator": True,  # Catalonia: an offer applied to
    "submitted_host_coordinator": True,  # Valencia: applied to, not yet shortlisted (hosting side reviews)
    "shortlisting_employer": True,  # the employer of the Catalan offer, where the applicant is shortlisted
    "submitted_employer": False,  # the Valencian employer: the applicant is not shortlisted there
    "foreign_coordinator": False,  # Murcia: no link to the applicant
    "other_employer": False,
    "other_applicant": False,
}


@pytest.fixture
async def world(client, db, clock):
    async def build(s):
        azores, catalonia, valencia, murcia = [await make_region(s, c) for c in ("PT20", "ES51", "ES52", "ES62")]
        org_cat, org_val, org_mur = (
            await make_organisation(s, catalonia),
            await make_organisation(s, valencia),
            await make_organisation(s, murcia),
        )
        offer_cat, offer_val = await make_offer(s, org_cat), await make_offer(s, org_val)
        applicant = await make_user(s, Role.APPLICANT)
        await make_profile(s, applicant, azores)
        await make_application(s, applicant, offer_cat, azores, state=ApplicationState.SHORTLISTED)
        await make_application(s, applicant, offer_val, azores, state=ApplicationState.SUBMITTED, applicant_rank=2)
        users = {
            "applicant_self": applicant,
            "home_coordinator": await make_user(s, Role.COORDINATOR, regions=[azores]),
            "host_coordinator": await make_user(s, Role.COORDINATOR, regions=[catalonia]),
            "submitted_host_coordinator": await make_user(s, Role.COORDINATOR, regions=[valencia]),
            "shortlisting_employer": await make_user(s, Role.EMPLOYER, organisation=org_cat),
            "submitted_employer": await make_user(s, Role.EMPLOYER, organisation=org_val),
            "foreign_coordinator": await make_user(s, Role.COORDINATOR, regions=[murcia]),
            "other_employer": await make_user(s, Role.EMPLOYER, organisation=org_mur),
            "other_applicant": await make_user(s, Role.APPLICANT),
            "chair": await make_user(s, Role.CHAIR),
        }
        return applicant.id, {name: await login_token(s, u, clock()) for name, u in users.items()}

    applicant_id, headers = await arrange(db, build)
    uploaded = await client.put(
        "/api/me/cv", content=make_pdf(), headers=headers["applicant_self"] | {"Content-Type": "application/pdf"}
    )
    assert uploaded.status_code == 201
    return applicant_id, uploaded.json()["id"], headers


@pytest.mark.parametrize(("who", "allowed"), EXPECTED.items())
async def test_cv_access_matrix(client, world, who, allowed):
    applicant_id, document_id, headers = world
    by_applicant = await client.get(f"/api/applicants/{applicant_id}/cv", headers=headers[who])
    by_document = await client.get(f"/api/documents/{document_id}/download", headers=headers[who])
    for response in (by_applicant, by_document):
        if allowed:
            assert response.status_code == 200, (who, response.text)
            assert response.json()["url"].startswith("http")
        else:
            assert response.status_code == 404, (who, response.text)
            assert "url" not in response.json()


async def test_chair_and_anonymous_get_no_link(client, world):
    applicant_id, document_id, headers = world
    assert (await client.get(f"/api/applicants/{applicant_id}/cv", headers=headers["chair"])).status_code == 403
    assert (await client.get(f"/api/documents/{document_id}/download")).status_code == 401
