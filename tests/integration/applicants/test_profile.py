"""The applicant profile and eligibility, computed rule by rule and explained (never assumed)."""

from __future__ import annotations

import pytest

from backend.db.models import Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_offer, make_organisation, make_region, make_user

PROFILE = {
    "full_name": "Inês Moreira",
    "date_of_birth": "2000-04-10",
    "resident_since": "2015-01-01",
    "languages": [{"language": "pt", "level": "C2"}, {"language": "en", "level": "B2"}],
    "eqf_level": 6,
    "employment_status": "job_seeker",
    "presentation": "Biologist looking for a first experience abroad.",
    "sex": "female",
}


async def _world(s, now):
    home = await make_region(
        s, "PT20", name="Azores", country="PT", languages=["pt"], min_age=18, max_age=30, min_residence_months=6
    )
    host = await make_region(s, "FR10", name="Ile-de-France", country="FR", languages=["fr"])
    closed = await make_region(s, "DE30", name="Berlin", country="DE", participating=False)
    org = await make_organisation(s, host)
    offer = await make_offer(s, org, languages=[("fr", "B1"), ("en", "B2")])
    applicant = await login_token(s, await make_user(s, Role.APPLICANT), now)
    employer = await login_token(s, await make_user(s, Role.EMPLOYER, organisation=org), now)
    return home, closed, offer, applicant, employer


async def test_profile_round_trip_with_eligibility_explained(client, db, clock):
    home, _, offer, applicant, employer = await arrange(db, lambda s: _world(s, clock()))
    assert (await client.get("/api/me/profile", headers=applicant)).status_code == 404
    saved = await client.put("/api/me/profile", json=PROFILE | {"home_region_id": str(home.id)}, headers=applicant)
    assert saved.status_code == 200, saved.text
    profile = saved.json()
    assert profile["eligibility"]["eligible"] is True and profile["eligibility"]["on"] == "2026-03-02"
    assert profile["sex"] == "female"
    rules = {r["rule"]: r for r in profile["eligibility"]["rules"]}
    assert rules["age"]["message"] == "Age 25 on 2026-03-02; Azores (PT20) accepts applicants aged 18 to 30."
    assert rules["foreign_language"]["message"].endswith("(en).")
    assert (await client.get("/api/me/profile", headers=applicant)).json() == profile

    for_offer = (await client.get(f"/api/offers/{offer.id}/eligibility", headers=applicant)).json()
    language_rules = {r["rule"]: (r["ok"], r["message"]) for r in for_offer["rules"] if r["rule"].startswith("offer")}
    assert language_rules == {
        "offer_language:en": (True, "The offer asks for en at B2; the profile says B2."),
        "offer_language:fr": (False, "The offer asks for fr at B1; the profile says none."),
    }
    assert for_offer["eligible"] is False
    abroad = next(r for r in for_offer["rules"] if r["rule"] == "abroad")
    assert abroad == {
        "rule": "abroad",
        "ok": True,
        "message": "The traineeship is in Ile-de-France (FR10), outside the home region.",
    }
    # An offer of the applicant's own region: the check says so before any application is written.
    at_home = await arrange(db, lambda s: _home_offer(s, home))
    home_rules = (await client.get(f"/api/offers/{at_home.id}/eligibility", headers=applicant)).json()
    failed = [(r["rule"], r["message"]) for r in home_rules["rules"] if not r["ok"]]
    assert home_rules["eligible"] is False
    assert failed == [
        (
            "abroad",
            "The traineeship is in the home region, Azores (PT20): the programme is for a traineeship in "
            "another region.",
        )
    ]
    assert (await client.get("/api/me/profile", headers=employer)).status_code == 403


async def _home_offer(s, home):
    return await make_offer(s, await make_organisation(s, home), languages=[])


@pytest.mark.parametrize(
    ("change", "rule", "message"),
    [
        (
            {"date_of_birth": "1994-01-01"},
            "age",
            "Age 32 on 2026-03-02; Azores (PT20) accepts applicants aged 18 to 30.",
        ),
        (
            {"resident_since": "2025-11-15"},
            "residence",
            "Resident for 3 months; Azores (PT20) requires 6.",
        ),
        (
            {"eqf_level": 3},
            "education",
            "Qualification at EQF level 3; Azores (PT20) requires level 4 or more.",
        ),
        (
            {"employment_status": "employed"},
            "status",
            "Status employed: the programme is for job seekers and recent graduates.",
        ),
        (
            {"languages": [{"language": "pt", "level": "C2"}, {"language": "en", "level": "A1"}]},
            "foreign_language",
            None,
        ),
    ],
)
async def test_each_failed_rule_says_why(client, db, clock, change, rule, message):
    home, *_, applicant, _ = await arrange(db, lambda s: _world(s, clock()))
    saved = await client.put(
        "/api/me/profile", json=PROFILE | {"home_region_id": str(home.id)} | change, headers=applicant
    )
    assert saved.status_code == 200, saved.text
    eligibility = saved.json()["eligibility"]
    failed = [r for r in eligibility["rules"] if not r["ok"]]
    assert eligibility["eligible"] is False and [r["rule"] for r in failed] == [rule]
    if message:
        assert failed[0]["message"] == message


async def test_bad_profiles_are_refused_naming_the_field_and_nothing_is_written(client, db, clock):
    home, closed, _, applicant, _ = await arrange(db, lambda s: _world(s, clock()))
    good = PROFILE | {"home_region_id": str(home.id)}
    for change, status, field in [
        ({"home_region_id": "018f0000-0000-7000-8000-000000000000"}, 422, "home_region_id"),
        ({"home_region_id": str(closed.id)}, 422, "home_region_id"),
        ({"home_region_id": "Azores"}, 400, "home_region_id"),
        ({"date_of_birth": "2027-01-01"}, 422, "date_of_birth"),
        ({"date_of_birth": "1900-01-01"}, 422, "date_of_birth"),
        ({"date_of_birth": "10/04/2000"}, 400, "date_of_birth"),
        ({"resident_since": "1999-01-01"}, 422, "resident_since"),
        ({"languages": [{"language": "en", "level": "Z9"}]}, 400, "languages[0].level"),
        ({"languages": [{"language": "en", "level": "B1"}, {"language": "en", "level": "C1"}]}, 422, "languages"),
        ({"eqf_level": 9}, 400, "eqf_level"),
        ({"employment_status": "retired"}, 400, "employment_status"),
        ({"presentation": "x" * 2001}, 400, "presentation"),
        ({"full_name": ""}, 400, "full_name"),
        ({"sex": "unknown"}, 400, "sex"),
    ]:
        response = await client.put("/api/me/profile", json=good | change, headers=applicant)
        assert response.status_code == status, (change, response.text)
        assert response.json()["errors"][0]["field"] == field, (change, response.json())
    # Several rules broken at once: one answer names every field.
    both = await client.put(
        "/api/me/profile",
        json=good | {"date_of_birth": "2030-01-01", "resident_since": "2031-05-01"},
        headers=applicant,
    )
    assert both.status_code == 422
    assert [e["field"] for e in both.json()["errors"]] == ["date_of_birth", "resident_since"]
    assert (await client.get("/api/me/profile", headers=applicant)).status_code == 404
