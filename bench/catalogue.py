"""A large, seeded exchange catalogue bulk-loaded with COPY (asyncpg copy_records_to_table).

Regions in 15 countries, organisations, applicant accounts, offers (most published, deadlines ahead of the
real clock so the running API lists them), their required languages, and applications (several per
applicant, never to an offer of their own region, in states that hold no quota unit so the ledger stays
consistent). Titles and descriptions mix a few hundred real words with a long tail of filler words, so free
text queries match anything from a handful of offers to thousands.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped]

COUNTRIES = {
    "PT": "pt", "ES": "es", "FR": "fr", "IT": "it", "DE": "de", "BE": "nl", "NL": "nl", "PL": "pl",
    "RO": "ro", "GR": "el", "SE": "sv", "FI": "fi", "IE": "en", "AT": "de", "HR": "hr",
}  # fmt: skip
FIELDS = (
    "marketing", "software", "tourism", "biology", "engineering", "finance", "design", "logistics", "education",
    "health", "agriculture", "energy", "communication", "research", "hospitality", "architecture", "journalism",
    "environment", "law", "museum", "culture", "sales", "data", "translation", "fisheries", "viticulture",
    "renewable", "robotics", "textile", "publishing", "events", "sport", "nursing", "chemistry", "geology",
    "accounting", "cinema", "music", "social", "urbanism",
)  # fmt: skip
ROLES = (
    "assistant", "intern", "junior analyst", "developer", "coordinator", "technician", "officer", "trainee",
    "associate", "researcher", "designer", "advisor", "operator", "editor", "guide",
)  # fmt: skip
WORDS = (
    "team", "project", "support", "clients", "regional", "european", "digital", "community", "quality",
    "training", "field", "office", "laboratory", "customers", "planning", "reports", "international",
    "coastal", "island", "city", "rural", "public", "private", "startup", "cooperative", "association",
    "python", "excel", "web", "social", "media", "surveys", "samples", "wine", "harbour", "hotel", "museum",
    "festival", "school", "hospital", "farm", "solar", "wind", "water", "forest", "mountain", "sea", "heritage",
    "language", "course", "housing", "mentor", "tutor", "weekly", "meetings", "presentations", "visitors",
)  # fmt: skip
LEVELS = ("A2", "B1", "B1", "B2", "B2", "C1")
SECTORS = "ABCDEFGHIJKLMNOPQRSTU"
# Application states that hold no seat or quota unit (see the ledger): the counters stay at zero.
STATES = (
    ["submitted"] * 30 + ["eligible"] * 20 + ["shortlisted"] * 10 + ["rejected"] * 15 + ["ineligible"] * 5
    + ["withdrawn"] * 10 + ["proposed"] * 3 + ["declined"] * 4 + ["expired"] * 3
)  # fmt: skip


@dataclass
class Loaded:
    offers: int
    published: int
    applications: int
    applicants: int
    seconds: float
    region_ids: list[uuid.UUID] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def _filler(rng: random.Random, n: int) -> list[str]:
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    return ["".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


async def _copy(
    conn: Any, table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]], *, batch: int = 50_000
) -> int:
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            await conn.copy_records_to_table(table, records=chunk, columns=list(columns))
            count, chunk = count + len(chunk), []
    if chunk:
        await conn.copy_records_to_table(table, records=chunk, columns=list(columns))
        count += len(chunk)
    return count


class _Generator:
    """Seeded rows for each table, remembering what later tables refer to."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.now = now
        vocabulary = list(WORDS) + list(FIELDS) + _filler(self.rng, 3000)
        self.vocabulary = vocabulary
        self.cum: list[float] = []
        total = 0.0
        for rank in range(len(vocabulary)):  # Zipf-like: a few frequent words, a long tail
            total += 1.0 / (rank + 1) ** 0.9
            self.cum.append(total)
        self.regions: list[tuple[uuid.UUID, str, str]] = []  # id, country, language
        self.organisations: list[tuple[uuid.UUID, int, str]] = []  # id, region index, sector
        self.applicants: list[uuid.UUID] = []
        self.offer_ids: list[uuid.UUID] = []
        self.offer_region: list[int] = []
        self.offer_year: list[int] = []
        self.published = 0

    def region_rows(self) -> Iterator[tuple[Any, ...]]:
        rng, now = self.rng, self.now
        for country, language in COUNTRIES.items():
            for n in (1, 2):
                region_id = _uuid(rng)
                self.regions.append((region_id, country, language))
                yield (region_id, f"{country}{n}{rng.randint(0, 9)}", f"Region {country}-{n}", country, [language],
                       True, 18, rng.choice((30, 30, 35)), rng.choice((0, 0, 6)), 4, now, now)  # fmt: skip

    def quota_rows(self) -> Iterator[tuple[Any, ...]]:
        for region_id, _, _ in self.regions:
            for year in (self.now.year, self.now.year + 1, self.now.year + 2):
                yield (_uuid(self.rng), region_id, year, 10_000, 10_000, 0, 0, self.now, self.now)

    def organisation_rows(self, n: int) -> Iterator[tuple[Any, ...]]:
        for i in range(n):
            org = (_uuid(self.rng), self.rng.randrange(len(self.regions)), self.rng.choice(SECTORS))
            self.organisations.append(org)
            yield (org[0], f"Organisation {i}", self.regions[org[1]][0], org[2], self.now, self.now, self.now)

    def applicant_rows(self, n: int) -> Iterator[tuple[Any, ...]]:
        now = self.now
        for i in range(n):
            applicant_id = _uuid(self.rng)
            self.applicants.append(applicant_id)
            yield (
                applicant_id,
                f"applicant{i}@bench.invalid",
                f"Applicant {i}",
                "applicant",
                "en",
                True,
                now,
                now,
                now,
            )

    def offer_rows(self, n: int) -> Iterator[tuple[Any, ...]]:
        rng, now = self.rng, self.now
        for _ in range(n):
            org_id, r, sector = self.organisations[rng.randrange(len(self.organisations))]
            roll = rng.random()
            state = "published" if roll < 0.92 else "closed" if roll < 0.96 else "draft" if roll < 0.98 else "submitted"
            self.published += state == "published"
            deadline = now + timedelta(days=rng.randint(7, 150), minutes=rng.randint(0, 1439))
            if state == "closed":
                deadline = now - timedelta(days=rng.randint(1, 60))
            start = deadline.date() + timedelta(days=rng.randint(20, 200))
            topic = rng.choice(FIELDS)
            words = rng.choices(self.vocabulary, cum_weights=self.cum, k=rng.randint(25, 60))
            offer_id = _uuid(rng)
            self.offer_ids.append(offer_id)
            self.offer_region.append(r)
            self.offer_year.append(start.year)
            yield (
                offer_id, org_id, self.regions[r][0], f"{topic.title()} {rng.choice(ROLES)}",
                f"Join our {topic} team. " + " ".join(words) + ".", "Tasks: " + " ".join(words[:12]), sector,
                rng.randint(3, 7), start, rng.randint(1, 3), 0, Decimal(rng.randrange(400, 1401, 10)), "EUR",
                rng.random() < 0.9, rng.random() < 0.5, deadline, state,
                now - timedelta(days=rng.randint(0, 90)) if state in ("published", "closed") else None,
                now - timedelta(days=100), now,
            )  # fmt: skip

    def language_rows(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for offer_id, r in zip(self.offer_ids, self.offer_region, strict=True):
            chosen = {self.regions[r][2]: rng.choice(LEVELS)} if rng.random() < 0.7 else {}
            if rng.random() < 0.6 or not chosen:
                chosen["en"] = rng.choice(LEVELS)
            if rng.random() < 0.15:
                chosen[rng.choice(list(COUNTRIES.values()))] = rng.choice(LEVELS)
            for language, level in chosen.items():
                yield (offer_id, language, level)

    def application_rows(self, n: int, per_applicant: int) -> Iterator[tuple[Any, ...]]:
        rng, made = self.rng, 0
        for a, applicant_id in enumerate(self.applicants):
            home = rng.randrange(len(self.regions))
            chosen: set[int] = set()
            while len(chosen) < per_applicant and made + len(chosen) < n:
                o = rng.randrange(len(self.offer_ids))
                if self.offer_region[o] != home:  # never in the applicant's own region
                    chosen.add(o)
            for rank, o in enumerate(chosen, start=1):
                submitted = self.now - timedelta(days=rng.randint(0, 60), seconds=a % 86_400)
                yield (
                    _uuid(rng), self.offer_ids[o], applicant_id, self.regions[home][0],
                    self.regions[self.offer_region[o]][0], self.offer_year[o], rng.choice(STATES),
                    "I would like to join this traineeship.", rank, "[]", False, submitted, submitted, submitted,
                )  # fmt: skip
            made += len(chosen)
            if made >= n:
                return


async def load(
    dsn: str,
    *,
    offers: int = 100_000,
    applications: int = 1_000_000,
    per_applicant: int = 4,
    organisations: int = 3000,
    seed: int = 1,
    now: datetime | None = None,
    say: Callable[[str], None] = print,
) -> Loaded:
    """Fill an empty, migrated database; returns what was loaded and how long it took."""
    started = time.perf_counter()
    g = _Generator(seed, now or datetime.now(UTC))
    conn = await asyncpg.connect(dsn)
    try:
        await _copy(conn, "regions", REGION_COLUMNS, g.region_rows())
        await _copy(conn, "region_quotas", QUOTA_COLUMNS, g.quota_rows())
        await _copy(conn, "organisations", ORGANISATION_COLUMNS, g.organisation_rows(organisations))
        say(f"  regions {len(g.regions)}, organisations {organisations:,}")
        n_applicants = await _copy(conn, "users", USER_COLUMNS, g.applicant_rows(max(1, applications // per_applicant)))
        say(f"  applicants {n_applicants:,}")
        await _copy(conn, "offers", OFFER_COLUMNS, g.offer_rows(offers), batch=20_000)
        say(f"  offers {offers:,} ({g.published:,} published)")
        n_languages = await _copy(conn, "offer_languages", ("offer_id", "language", "level"), g.language_rows())
        say(f"  offer languages {n_languages:,}")
        n_applications = await _copy(
            conn, "applications", APPLICATION_COLUMNS, g.application_rows(applications, per_applicant)
        )
        say(f"  applications {n_applications:,}")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return Loaded(
        offers=offers,
        published=g.published,
        applications=n_applications,
        applicants=n_applicants,
        seconds=time.perf_counter() - started,
        region_ids=[r[0] for r in g.regions],
        countries=list(COUNTRIES),
    )


REGION_COLUMNS = ("id", "code", "name", "country", "languages", "participating", "min_age", "max_age",
                  "min_residence_months", "min_eqf_level", "created_at", "updated_at")  # fmt: skip
QUOTA_COLUMNS = ("id", "region_id", "programme_year", "hosting_quota", "sending_quota", "hosted", "sent",
                 "created_at", "updated_at")  # fmt: skip
ORGANISATION_COLUMNS = ("id", "name", "region_id", "sector", "verified_at", "created_at", "updated_at")
USER_COLUMNS = ("id", "email", "full_name", "role", "locale", "is_active", "email_verified_at", "created_at",
                "updated_at")  # fmt: skip
OFFER_COLUMNS = (
    "id", "organisation_id", "region_id", "title", "description", "tasks", "sector", "duration_months",
    "start_date", "seats", "seats_taken", "monthly_grant", "currency", "language_course", "housing_help",
    "application_deadline", "state", "published_at", "created_at", "updated_at",
)  # fmt: skip
APPLICATION_COLUMNS = ("id", "offer_id", "applicant_id", "home_region_id", "host_region_id", "programme_year",
                       "state", "motivation", "applicant_rank", "eligibility", "reserved", "submitted_at",
                       "created_at", "updated_at")  # fmt: skip


def query_mix(loaded: Loaded, seed: int = 2, n: int = 200, today: date | None = None) -> list[str]:
    """Search URLs a public catalogue sees: filters alone and combined, free text, sorts, later pages."""
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    urls = []
    for i in range(n):
        kind = i % 10
        country = rng.choice(loaded.countries)
        word = rng.choice(FIELDS)
        if kind == 0:
            params = ""
        elif kind == 1:
            params = f"country={country}"
        elif kind == 2:
            params = f"country={country}&language={COUNTRIES[country]}&level={rng.choice(LEVELS)}"
        elif kind == 3:
            params = f"q={word}"
        elif kind == 4:
            params = f"q={word}+{rng.choice(WORDS)}&country={country}"
        elif kind == 5:
            params = f"sector={rng.choice(SECTORS)}&min_duration=4&max_duration=6"
        elif kind == 6:
            start = today + timedelta(days=rng.randint(30, 200))
            params = f"start_from={start}&start_to={start + timedelta(days=60)}&sort=-monthly_grant"
        elif kind == 7:
            params = f"region_id={rng.choice(loaded.region_ids)}&sort=-published_at&page=2"
        elif kind == 8:
            params = f"language=en&level={rng.choice(LEVELS)}&sort=deadline"
        else:
            params = f"q={word}&sort=relevance"
        urls.append("/api/offers" + (f"?{params}" if params else ""))
    return urls


async def existing(dsn: str) -> Loaded:
    """What a database holds already (to benchmark a catalogue loaded earlier)."""
    conn = await asyncpg.connect(dsn)
    try:
        offers = await conn.fetchval("SELECT count(*) FROM offers")
        published = await conn.fetchval("SELECT count(*) FROM offers WHERE state = 'published'")
        applications = await conn.fetchval("SELECT count(*) FROM applications")
        applicants = await conn.fetchval("SELECT count(DISTINCT applicant_id) FROM applications")
        regions = await conn.fetch("SELECT id, country FROM regions ORDER BY code")
    finally:
        await conn.close()
    return Loaded(
        offers=offers,
        published=published,
        applications=applications,
        applicants=applicants,
        seconds=0.0,
        region_ids=[r["id"] for r in regions],
        countries=sorted({r["country"] for r in regions} & set(COUNTRIES)),
    )
