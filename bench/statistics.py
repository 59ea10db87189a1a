"""Statistics benchmark: response time of every statistics endpoint on a programme-sized data set.

    python -m bench.statistics [--applications 1000000] [--placements 100000] [--runs 20]

Starts its own stack (temporary folder), bulk-loads 40 regions x 5 programme years with COPY (offers,
applicants with profiles, applications, placements), refreshes the statistics views, then times each JSON
endpoint and CSV export (warm, in-process ASGI client over the real database), for the chair (whole programme)
and for a coordinator (one region, programme totals beside). Prints medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.domain.statistics.views import VIEW_NAMES
from backend.lib.security import digest
from backend.lib.settings import load_settings
from infra.stack import LocalStack
from tests.support.lifespan import running

YEARS = range(2022, 2027)
COUNTRIES = ["PT", "ES", "FR", "IT", "DE", "BE", "RO", "HR", "GR", "CY"]
SECTORS = "ABCDEFGHIJKLMNOPQRSTU"
ENDPOINTS = ["regions", "flows", "distributions", "time-to-placement", "trends"]


def say(line: str) -> None:
    print(line, flush=True)


def uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


async def copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    started = time.perf_counter()
    for start in range(0, len(rows), 200_000):
        await conn.copy_records_to_table(table, records=rows[start : start + 200_000], columns=columns)
    say(f"  loaded {len(rows):>9,} {table:<20} in {time.perf_counter() - started:5.1f} s")


async def load(dsn: str, n_applications: int, n_placements: int, seed: int = 7) -> dict[str, Any]:  # noqa: PLR0915
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    conn = await asyncpg.connect(dsn)
    try:
        regions = [
            (uid(rng), f"{COUNTRIES[i % len(COUNTRIES)]}{i:02d}", COUNTRIES[i % len(COUNTRIES)]) for i in range(40)
        ]
        await copy(
            conn,
            "regions",
            [
                "id",
                "code",
                "name",
                "country",
                "languages",
                "participating",
                "min_age",
                "max_age",
                "min_residence_months",
                "min_eqf_level",
            ],
            [(r, code, f"Region {code}", c, ["en"], True, 18, 30, 0, 4) for r, code, c in regions],
        )
        await copy(
            conn,
            "region_quotas",
            ["id", "region_id", "programme_year", "hosting_quota", "sending_quota"],
            [(uid(rng), r, y, 700, 700) for r, _, _ in regions for y in YEARS],
        )
        orgs = [(uid(rng), regions[i % 40][0], SECTORS[i % 21]) for i in range(4000)]
        await copy(
            conn,
            "organisations",
            ["id", "name", "region_id", "sector"],
            [(o, f"Organisation {i}", r, s) for i, (o, r, s) in enumerate(orgs)],
        )

        per_year = max(n_applications // 17 // len(YEARS), 100)  # about 60,000 offers for 1M applications
        offers: list[tuple[Any, ...]] = []
        by_year: dict[int, list[tuple[uuid.UUID, uuid.UUID, date, int]]] = {y: [] for y in YEARS}
        for year in YEARS:
            for _ in range(per_year):
                org, region, sector = orgs[rng.randrange(len(orgs))]
                start = date(year, rng.choice((3, 9)), 1)
                seats = rng.randint(1, 3)
                offer = uid(rng)
                by_year[year].append((offer, region, start, seats))
                offers.append(
                    (
                        offer,
                        org,
                        region,
                        "Traineeship",
                        "A traineeship.",
                        "Tasks.",
                        sector,
                        rng.randint(3, 7),
                        start,
                        seats,
                        0,
                        900,
                        True,
                        False,
                        datetime(year, 1, 15, tzinfo=UTC),
                        "closed",
                        datetime(year - 1, 11, 1, tzinfo=UTC),
                    )
                )
        await copy(
            conn,
            "offers",
            [
                "id",
                "organisation_id",
                "region_id",
                "title",
                "description",
                "tasks",
                "sector",
                "duration_months",
                "start_date",
                "seats",
                "seats_taken",
                "monthly_grant",
                "language_course",
                "housing_help",
                "application_deadline",
                "state",
                "published_at",
            ],
            offers,
        )

        n_applicants = n_applications * 2 // 5
        applicants = [(uid(rng), regions[rng.randrange(40)][0]) for _ in range(n_applicants)]
        await copy(
            conn,
            "users",
            ["id", "email", "full_name", "role", "locale", "is_active"],
            [
                (u, f"a{i}@bench.example", f"Applicant {i}", "applicant", "en", True)
                for i, (u, _) in enumerate(applicants)
            ],
        )
        await copy(
            conn,
            "applicant_profiles",
            [
                "user_id",
                "full_name",
                "date_of_birth",
                "home_region_id",
                "resident_since",
                "languages",
                "eqf_level",
                "employment_status",
                "presentation",
                "completed_at",
                "sex",
            ],
            [
                (
                    u,
                    "Applicant",
                    date(rng.randint(1992, 2006), rng.randint(1, 12), 1),
                    home,
                    date(2010, 1, 1),
                    "[]",
                    rng.randint(4, 8),
                    "job_seeker",
                    "",
                    now,
                    rng.choice(("female", "male", "other", None)),
                )
                for u, home in applicants
            ],
        )

        applications: list[tuple[Any, ...]] = []
        placements: list[tuple[Any, ...]] = []
        seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
        i = 0
        while len(applications) < n_applications:
            user, home = applicants[i % n_applicants]
            i += 1
            year = YEARS[rng.randrange(len(YEARS))]
            offer, host, start, _ = by_year[year][rng.randrange(len(by_year[year]))]
            if host == home or (offer, user) in seen:
                continue
            seen.add((offer, user))
            submitted = datetime(year - 1, 12, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 60))
            place = len(placements) < n_placements and i % 10 == 0
            app_id = uid(rng)
            applications.append(
                (
                    app_id,
                    offer,
                    user,
                    home,
                    host,
                    year,
                    "confirmed" if place else rng.choice(("submitted", "rejected", "withdrawn", "eligible", "expired")),
                    "Motivation.",
                    "[]",
                    submitted,
                    False,
                )
            )
            if place:
                placements.append(
                    (
                        uid(rng),
                        app_id,
                        offer,
                        user,
                        host,
                        home,
                        year,
                        start,
                        start + timedelta(days=180),
                        "completed",
                        submitted + timedelta(days=rng.randint(20, 120)),
                    )
                )
        await copy(
            conn,
            "applications",
            [
                "id",
                "offer_id",
                "applicant_id",
                "home_region_id",
                "host_region_id",
                "programme_year",
                "state",
                "motivation",
                "eligibility",
                "submitted_at",
                "reserved",
            ],
            applications,
        )
        await copy(
            conn,
            "placements",
            [
                "id",
                "application_id",
                "offer_id",
                "applicant_id",
                "host_region_id",
                "home_region_id",
                "programme_year",
                "start_date",
                "end_date",
                "state",
                "confirmed_at",
            ],
            placements,
        )
        started = time.perf_counter()
        await conn.execute("ANALYZE")
        for view in VIEW_NAMES:
            await conn.execute(f"REFRESH MATERIALIZED VIEW {view}")
        await conn.execute("; ".join(f"ANALYZE {view}" for view in VIEW_NAMES))
        refresh = time.perf_counter() - started
        say(f"  analyzed and refreshed the statistics views in {refresh:.1f} s")
        chair, coordinator = uid(rng), uid(rng)
        tokens = {"chair": "bench-chair-token-0123456789", "coordinator": "bench-coordinator-token-0123456789"}
        await conn.executemany(
            "INSERT INTO users (id, email, full_name, role, locale, is_active, email_verified_at) "
            "VALUES ($1, $2, $3, $4, 'en', true, now())",
            [
                (chair, "chair@bench.example", "Chair", "chair"),
                (coordinator, "coordinator@bench.example", "Coordinator", "coordinator"),
            ],
        )
        await conn.execute(
            "INSERT INTO coordinator_regions (user_id, region_id) VALUES ($1, $2)", coordinator, regions[0][0]
        )
        await conn.executemany(
            "INSERT INTO auth_tokens (id, user_id, purpose, digest, created_at, expires_at) "
            "VALUES ($1, $2, 'session', $3, now(), now() + interval '1 day')",
            [(uid(rng), chair, digest(tokens["chair"])), (uid(rng), coordinator, digest(tokens["coordinator"]))],
        )
        return {
            "applications": len(applications),
            "placements": len(placements),
            "offers": len(offers),
            "applicants": n_applicants,
            "refresh_s": refresh,
            "tokens": tokens,
        }
    finally:
        await conn.close()


async def measure(settings: Any, tokens: dict[str, str], runs: int) -> list[tuple[str, str, float, float]]:
    app = create_app(settings, configure_logs=False)
    results = []
    async with running(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for who, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                for name in ENDPOINTS:
                    for suffix in ("", ".csv"):
                        params = {} if name == "trends" else {"year": 2025}
                        url = f"/api/statistics/{name}{suffix}"
                        times = []
                        for attempt in range(runs + 2):
                            started = time.perf_counter()
                            response = await client.get(url, params=params, headers=headers)
                            elapsed = (time.perf_counter() - started) * 1000
                            if response.status_code != 200:
                                raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
                            if attempt >= 2:  # the first two warm the caches
                                times.append(elapsed)
                        times.sort()
                        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                        results.append((who, name + suffix, statistics.median(times), p95))
                        say(
                            f"  {who:<12} {name + suffix:<22} median {statistics.median(times):7.1f} ms"
                            f"   p95 {p95:7.1f} ms"
                        )
    return results


async def run(settings: Any, args: argparse.Namespace) -> dict[str, Any]:
    dsn = settings.database_url.replace("+asyncpg", "")
    say(
        f"loading {args.applications:,} applications and {args.placements:,} placements over 40 regions, "
        f"{len(YEARS)} years ..."
    )
    started = time.perf_counter()
    loaded = await load(dsn, args.applications, args.placements)
    say(f"loaded in {time.perf_counter() - started:.0f} s; timing {args.runs} warm requests per endpoint ...")
    results = await measure(settings, loaded.pop("tokens"), args.runs)
    return {"loaded": loaded, "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    with LocalStack(data_dir, persistent=False, env={}, log=lambda line: None) as stack:
        settings = load_settings(stack.start().as_env() | {"ENVIRONMENT": "test", "LOG_LEVEL": "WARNING"})
        upgrade(settings.database_url)  # Alembic runs its own event loop: before ours
        figures = asyncio.run(run(settings, args))
    loaded, results = figures["loaded"], figures["results"]
    worst = max(r[2] for r in results)
    say("")
    say(
        f"summary: {loaded['applications']:,} applications, {loaded['placements']:,} placements, "
        f"{loaded['offers']:,} offers, {loaded['applicants']:,} applicants; views refresh {loaded['refresh_s']:.1f} s"
    )
    say(
        f"slowest median: {worst:.1f} ms (target < 100 ms); "
        f"{sum(1 for r in results if r[2] < 100)}/{len(results)} endpoint medians under 100 ms"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
