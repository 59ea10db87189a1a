"""Public search: each filter, sort orders, page and cursor pagination with a total, the detail view, and
bad query parameters refused with the parameter named."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backend.db.models import OfferState
from tests.support.api import arrange
from tests.support.factories import make_offer, make_organisation, make_region

CATALOGUE = {
    # title: (region, sector, months, start, grant, languages, description)
    "Marine biology assistant": ("PT", "M", 6, "2026-09-01", "950", [("en", "B2"), ("pt", "A2")], "coastal surveys"),
    "Hotel receptionist": ("PT", "I", 4, "2026-07-01", "700", [("en", "B1")], "tourism and hospitality"),
    "Software developer": ("ES", "J", 7, "2026-10-01", "1200", [("es", "B2"), ("en", "B2")], "web apps in Python"),
    "Tourism guide": ("ES", "N", 3, "2026-06-15", "800", [("es", "C1")], "guided tourism in Barcelona"),
    "Data analyst": ("FR", "J", 5, "2026-09-15", "1100", [("fr", "B2")], "public statistics"),
}
FILLERS = 14


async def _catalogue(s, now):
    regions = {
        "PT": await make_region(s, "PT20", country="PT"),
        "ES": await make_region(s, "ES51", country="ES"),
        "FR": await make_region(s, "FR10", country="FR"),
    }
    orgs = {key: await make_organisation(s, region, name=f"Org {key}") for key, region in regions.items()}
    ids = {}
    for title, (region, sector, months, start, grant, languages, description) in CATALOGUE.items():
        offer = await make_offer(
            s,
            orgs[region],
            title=title,
            description=description,
            sector=sector,
            duration_months=months,
            start_date=date.fromisoformat(start),
            monthly_grant=grant,
            languages=languages,
        )
        ids[title] = offer.id
    for i in range(FILLERS):  # pairs share a start date: ties are broken by id
        offer = await make_offer(
            s,
            orgs["PT"],
            title=f"Filler {i}",
            sector="C",
            duration_months=5,
            start_date=date(2026, 8, 1) + timedelta(days=i // 2),
            monthly_grant=str(500 + i),
            languages=[("en", "A2")],
        )
        ids[f"Filler {i}"] = offer.id
    await make_offer(s, orgs["FR"], title="Hidden draft", state=OfferState.DRAFT)
    await make_offer(s, orgs["PT"], title="Deadline passed", deadline=now - timedelta(days=1))
    return regions, {title: str(offer_id) for title, offer_id in ids.items()}


def titles(page):
    return {item["title"] for item in page["items"]}


async def search(client, **params):
    response = await client.get("/api/offers", params=params | {"page_size": 50})
    assert response.status_code == 200, response.text
    return response.json()


async def test_filters(client, db, clock):
    regions, _ = await arrange(db, lambda s: _catalogue(s, clock()))
    everything = await search(client)
    assert everything["total"] == len(CATALOGUE) + FILLERS
    assert "Hidden draft" not in titles(everything) and "Deadline passed" not in titles(everything)

    assert titles(await search(client, country="ES")) == {"Software developer", "Tourism guide"}
    assert (await search(client, region_id=str(regions["FR"].id)))["total"] == 1
    assert titles(await search(client, sector="J")) == {"Software developer", "Data analyst"}
    assert titles(await search(client, language="es")) == {"Software developer", "Tourism guide"}
    # An applicant with B2 Spanish: the guide job asks for C1.
    assert titles(await search(client, language="es", level="B2")) == {"Software developer"}
    assert titles(await search(client, language="en", level="A1")) == set()
    assert titles(await search(client, min_duration=6)) == {"Marine biology assistant", "Software developer"}
    assert titles(await search(client, max_duration=3)) == {"Tourism guide"}
    assert titles(await search(client, start_from="2026-09-01", start_to="2026-09-30")) == {
        "Marine biology assistant",
        "Data analyst",
    }
    assert titles(await search(client, q="tourism")) == {"Hotel receptionist", "Tourism guide"}
    assert titles(await search(client, q="Python web")) == {"Software developer"}
    assert titles(await search(client, q='"guided tourism" -hotel')) == {"Tourism guide"}
    combined = await search(client, country="PT", sector="I", q="hospitality", max_duration=4)
    assert titles(combined) == {"Hotel receptionist"} and combined["total"] == 1

    item = (await search(client, q="marine"))["items"][0]
    assert item | {"id": None, "region_id": None, "published_at": None} == {
        "id": None,
        "title": "Marine biology assistant",
        "sector": "M",
        "organisation_name": "Org PT",
        "region_id": None,
        "region_code": "PT20",
        "region_name": item["region_name"],
        "country": "PT",
        "duration_months": 6,
        "start_date": "2026-09-01",
        "seats_available": 1,
        "monthly_grant": "950.00",
        "currency": "EUR",
        "language_course": True,
        "housing_help": False,
        "application_deadline": "2026-05-01T22:00:00Z",
        "languages": [{"language": "en", "level": "B2"}, {"language": "pt", "level": "A2"}],
        "published_at": None,
    }
    detail = await client.get(f"/api/offers/{item['id']}")
    assert detail.status_code == 200 and detail.json()["description"] == "coastal surveys"


async def test_sorting(client, db, clock):
    await arrange(db, lambda s: _catalogue(s, clock()))
    by_start = [i["start_date"] for i in (await search(client))["items"]]
    assert by_start == sorted(by_start)
    assert (await search(client, sort="-start_date"))["items"][0]["title"] == "Software developer"
    assert (await search(client, sort="-monthly_grant"))["items"][0]["title"] == "Software developer"
    assert [i["title"] for i in (await search(client, q="tourism", sort="relevance"))["items"]] == [
        "Tourism guide",  # in the title (weight A) and the description
        "Hotel receptionist",
    ]


@pytest.mark.parametrize("sort", ["start_date", "-start_date", "deadline", "-published_at", "-monthly_grant"])
async def test_page_and_cursor_pagination_agree(client, db, clock, sort):
    await arrange(db, lambda s: _catalogue(s, clock()))
    total = len(CATALOGUE) + FILLERS
    by_page, page = [], 1
    while True:
        response = (await client.get("/api/offers", params={"sort": sort, "page": page, "page_size": 4})).json()
        assert response["total"] == total and response["page"] == page
        by_page += [i["id"] for i in response["items"]]
        if len(response["items"]) < 4:
            break
        page += 1
    by_cursor, cursor = [], None
    for _ in range(10):
        params = {"sort": sort, "page_size": 4} | ({"cursor": cursor} if cursor else {})
        response = (await client.get("/api/offers", params=params)).json()
        assert response["total"] == total
        by_cursor += [i["id"] for i in response["items"]]
        cursor = response["next_cursor"]
        if cursor is None:
            break
    assert by_cursor == by_page and len(set(by_page)) == total


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"level": "Z9", "language": "en"}, 400, "level"),
        ({"level": "B1"}, 422, "level"),
        ({"language": "English"}, 400, "language"),
        ({"country": "Portugal"}, 400, "country"),
        ({"min_duration": 2}, 400, "min_duration"),
        ({"max_duration": 8}, 400, "max_duration"),
        ({"min_duration": 6, "max_duration": 4}, 422, "min_duration"),
        ({"start_from": "2026-10-01", "start_to": "2026-09-01"}, 422, "start_from"),
        ({"start_from": "yesterday"}, 400, "start_from"),
        ({"sort": "popularity"}, 400, "sort"),
        ({"sort": "relevance"}, 422, "sort"),
        ({"page_size": 500}, 400, "page_size"),
        ({"q": "x" * 201}, 400, "q"),
        ({"cursor": "not-a-cursor"}, 422, "cursor"),
        ({"cursor": "WyJzdGFydF9kYXRlIiwiMjAyNi0wOS0wMSIsIngiXQ", "page": 2}, 422, "cursor"),
        ({"region_id": "PT20"}, 400, "region_id"),
    ],
)
async def test_bad_search_parameters_name_the_parameter(client, db, params, status, field):
    response = await client.get("/api/offers", params=params)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_a_cursor_is_bound_to_its_sort(client, db, clock):
    await arrange(db, lambda s: _catalogue(s, clock()))
    cursor = (await client.get("/api/offers", params={"page_size": 2})).json()["next_cursor"]
    response = await client.get("/api/offers", params={"cursor": cursor, "sort": "-monthly_grant"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "cursor"


async def test_the_total_is_exact_up_to_the_cap(client, db, clock, monkeypatch):
    await arrange(db, lambda s: _catalogue(s, clock()))
    exact = (await client.get("/api/offers", params={"country": "ES"})).json()
    assert (exact["total"], exact["total_exact"]) == (2, True)
    monkeypatch.setattr("backend.domain.offers.search.TOTAL_CAP", 5)
    capped = (await client.get("/api/offers", params={"page_size": 3})).json()
    assert (capped["total"], capped["total_exact"]) == (5, False)
    assert len(capped["items"]) == 3 and capped["next_cursor"]  # paging goes on past the cap
    at_cap = (
        await client.get("/api/offers", params={"sector": "C", "max_duration": 5, "start_to": "2026-08-02"})
    ).json()
    assert (at_cap["total"], at_cap["total_exact"]) == (4, True)
