"""CV upload, versions, download through presigned URLs, refusals and storage outages, on the real SeaweedFS."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from sqlalchemy import func, select

from backend.db.models import Document, Role
from tests.support.api import arrange
from tests.support.factories import login_token, make_user
from tests.support.pdf import make_pdf
from tests.support.storage import object_keys

PDF = {"Content-Type": "application/pdf"}


async def applicant(db, clock):
    async def world(s):
        user = await make_user(s, Role.APPLICANT)
        return user, await login_token(s, user, clock())

    return await arrange(db, world)


async def upload(client, headers, data: bytes, *, content_type="application/pdf", filename="cv.pdf"):
    return await client.put(
        "/api/me/cv", content=data, params={"filename": filename}, headers=headers | {"Content-Type": content_type}
    )


async def document_count(db) -> int:
    async with db() as s:
        return int(await s.scalar(select(func.count()).select_from(Document)) or 0)


async def test_upload_replace_and_download(client, db, clock, settings):
    user, headers = await applicant(db, clock)
    first_pdf, second_pdf = make_pdf("First version"), make_pdf("Second version, with more")

    first = await upload(client, headers, first_pdf, filename="Inês Costa – CV.pdf")  # noqa: RUF001 - a real-world name
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["version"] == 1 and body["size_bytes"] == len(first_pdf)
    assert body["sha256"] == hashlib.sha256(first_pdf).hexdigest()
    assert body["filename"] == "Inês Costa – CV.pdf"  # noqa: RUF001

    second = await upload(client, headers, second_pdf)
    assert second.status_code == 201
    assert second.json()["version"] == 2

    current = await client.get("/api/me/cv", headers=headers)
    assert current.json()["id"] == second.json()["id"]
    versions = await client.get("/api/me/cv/versions", headers=headers)
    assert [v["version"] for v in versions.json()] == [2, 1]

    # Object keys are random: nothing of the person's name or e-mail is in them.
    async with db() as s:
        keys = list(await s.scalars(select(Document.object_key).where(Document.owner_id == user.id)))
    assert all(k.startswith("cv/") and "ines" not in k.lower() and user.email not in k for k in keys)
    assert set(keys) <= object_keys(settings, "cv/")

    # Both versions download through short-lived presigned URLs, fetched over plain HTTP from the S3 server.
    for document, pdf in [(first.json(), first_pdf), (second.json(), second_pdf)]:
        link = await client.get(f"/api/documents/{document['id']}/download", headers=headers)
        assert link.status_code == 200, link.text
        url = link.json()["url"]
        assert "X-Amz-Expires=300" in url and "X-Amz-Signature=" in url
        async with httpx.AsyncClient() as plain:
            fetched = await plain.get(url)
        assert fetched.status_code == 200
        assert fetched.content == pdf
        assert "filename*=UTF-8''" in fetched.headers["content-disposition"]

    # A tampered URL is refused by the S3 server itself.
    async with httpx.AsyncClient() as plain:
        tampered = await plain.get(url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000"))
    assert tampered.status_code == 403


@pytest.mark.parametrize(
    ("case", "data", "content_type", "status", "words"),
    [
        ("mislabelled type", make_pdf(), "text/plain", 415, "PDF"),
        ("png named pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048, "application/pdf", 422, "not a PDF"),
        ("empty", b"", "application/pdf", 422, "empty"),
        ("truncated", make_pdf(padding=20_000)[:15_000], "application/pdf", 422, "cut short"),
        ("oversized", make_pdf(padding=5 * 1024 * 1024), "application/pdf", 413, "larger"),
    ],
)
async def test_bad_files_are_refused_and_leave_nothing(
    client, db, clock, settings, case, data, content_type, status, words
):
    _, headers = await applicant(db, clock)
    keys_before, rows_before = object_keys(settings, "cv/"), await document_count(db)
    response = await upload(client, headers, data, content_type=content_type)
    assert response.status_code == status, (case, response.text)
    problem = response.json()
    assert words in problem["detail"]
    assert problem["errors"][0]["field"] == "file"
    assert object_keys(settings, "cv/") == keys_before
    assert await document_count(db) == rows_before


async def test_only_applicants_upload_and_no_one_reads_a_document_without_a_link(client, db, clock):
    async def world(s):
        owner = await make_user(s, Role.APPLICANT)
        return {
            "owner": await login_token(s, owner, clock()),
            "other": await login_token(s, await make_user(s, Role.APPLICANT), clock()),
            "chair": await login_token(s, await make_user(s, Role.CHAIR), clock()),
            "coordinator": await login_token(s, await make_user(s, Role.COORDINATOR), clock()),
            "owner_id": owner.id,
        }

    w = await arrange(db, world)
    created = await upload(client, w["owner"], make_pdf())
    document_id = created.json()["id"]
    assert (await upload(client, w["coordinator"], make_pdf())).status_code == 403
    assert (await client.get(f"/api/documents/{document_id}/download", headers=w["other"])).status_code == 404
    assert (await client.get(f"/api/documents/{document_id}/download", headers=w["coordinator"])).status_code == 404
    assert (await client.get(f"/api/documents/{document_id}/download", headers=w["chair"])).status_code == 403
    assert (await client.get(f"/api/documents/{document_id}/download")).status_code == 401
    assert (await client.get(f"/api/applicants/{w['owner_id']}/cv", headers=w["other"])).status_code == 404


async def test_storage_outage_is_a_503_with_retry_hint_and_writes_nothing(client, db, clock, settings, stack):
    if "s3" not in stack.started_services:
        pytest.fail("this test needs the S3 server the test stack starts (unset S3_ENDPOINT_URL)")
    _, headers = await applicant(db, clock)
    stored = await upload(client, headers, make_pdf())
    rows_before = await document_count(db)
    stack.stop_service("s3")
    try:
        refused = await upload(client, headers, make_pdf("during the outage"))
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"].isdigit()
        assert refused.json()["type"].endswith("/service-unavailable")
        assert await document_count(db) == rows_before
        link = await client.get(f"/api/documents/{stored.json()['id']}/download", headers=headers)
        assert link.status_code == 503
        assert "url" not in link.json()
    finally:
        stack.start_service("s3")
    again = await upload(client, headers, make_pdf("after the outage"))
    assert again.status_code == 201
    assert again.json()["version"] == 2
