"""statistics: applicant sex, materialized views, refresh time

Revision ID: 07738d45cc83
Revises: fa807fa03ecf
Create Date: 2026-11-25 20:21:59.913014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "07738d45cc83"
down_revision: str | None = "fa807fa03ecf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Pre-aggregated facts for the statistics (see backend/domain/statistics/views.py). Each view has a unique
# index so a worker can REFRESH ... CONCURRENTLY while readers keep reading.
# Per region, year and cohort (start date): a few hundred rows, whatever the number of applications.
REGION_YEAR = """
CREATE MATERIALIZED VIEW stats_region_year AS
SELECT programme_year, cohort, region_id,
       sum(hosted)::int AS hosted, sum(sent)::int AS sent,
       sum(received)::int AS applications_received, sum(sent_apps)::int AS applications_sent,
       sum(offers)::int AS offers_published, sum(seats)::int AS seats
FROM (
  SELECT programme_year, start_date AS cohort, host_region_id AS region_id,
         count(*) AS hosted, 0 AS sent, 0 AS received, 0 AS sent_apps, 0 AS offers, 0 AS seats
  FROM placements GROUP BY 1, 2, 3
  UNION ALL
  SELECT programme_year, start_date, home_region_id, 0, count(*), 0, 0, 0, 0 FROM placements GROUP BY 1, 2, 3
  UNION ALL
  SELECT a.programme_year, o.start_date, a.host_region_id, 0, 0, count(*), 0, 0, 0
  FROM applications a JOIN offers o ON o.id = a.offer_id GROUP BY 1, 2, 3
  UNION ALL
  SELECT a.programme_year, o.start_date, a.home_region_id, 0, 0, 0, count(*), 0, 0
  FROM applications a JOIN offers o ON o.id = a.offer_id GROUP BY 1, 2, 3
  UNION ALL
  SELECT extract(year FROM start_date)::int, start_date, region_id, 0, 0, 0, 0, count(*), sum(seats)
  FROM offers WHERE published_at IS NOT NULL GROUP BY 1, 2, 3
) AS parts
GROUP BY programme_year, cohort, region_id
"""
# Supply (published offers, seats) and demand (applications) per host region and sector.
SECTOR_YEAR = """
CREATE MATERIALIZED VIEW stats_sector_year AS
SELECT programme_year, cohort, region_id, sector,
       sum(offers)::int AS offers, sum(seats)::int AS seats, sum(applications)::int AS applications
FROM (
  SELECT extract(year FROM start_date)::int AS programme_year, start_date AS cohort, region_id, sector,
         count(*) AS offers, sum(seats) AS seats, 0 AS applications
  FROM offers WHERE published_at IS NOT NULL GROUP BY 1, 2, 3, 4
  UNION ALL
  SELECT a.programme_year, o.start_date, a.host_region_id, o.sector, 0, 0, count(*)
  FROM applications a JOIN offers o ON o.id = a.offer_id GROUP BY 1, 2, 3, 4
) AS parts
GROUP BY programme_year, cohort, region_id, sector
"""
FLOWS = """
CREATE MATERIALIZED VIEW stats_flows AS
SELECT programme_year, start_date AS cohort, home_region_id, host_region_id, count(*)::int AS placements
FROM placements GROUP BY programme_year, start_date, home_region_id, host_region_id
"""
PLACEMENT_FACTS = """
CREATE MATERIALIZED VIEW stats_placement_facts AS
SELECT p.id AS placement_id, p.programme_year, p.start_date AS cohort, p.home_region_id, p.host_region_id,
       o.sector, o.duration_months,
       coalesce(ap.sex::text, 'undisclosed') AS sex,
       CASE
         WHEN ap.date_of_birth IS NULL THEN 'unknown'
         WHEN date_part('year', age(p.start_date, ap.date_of_birth)) <= 20 THEN '18-20'
         WHEN date_part('year', age(p.start_date, ap.date_of_birth)) <= 24 THEN '21-24'
         WHEN date_part('year', age(p.start_date, ap.date_of_birth)) <= 27 THEN '25-27'
         WHEN date_part('year', age(p.start_date, ap.date_of_birth)) <= 30 THEN '28-30'
         ELSE '31+'
       END AS age_band,
       coalesce(ap.eqf_level, 0) AS eqf_level,
       extract(epoch FROM p.confirmed_at - a.submitted_at) / 86400.0 AS days_to_placement
FROM placements p
JOIN applications a ON a.id = p.application_id
JOIN offers o ON o.id = p.offer_id
LEFT JOIN applicant_profiles ap ON ap.user_id = p.applicant_id
"""


def upgrade() -> None:
    op.create_table(
        "statistics_refresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_statistics_refresh_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_refresh")),
    )
    sex = sa.Enum("female", "male", "other", name="sex")
    sex.create(op.get_bind(), checkfirst=True)
    op.add_column("applicant_profiles", sa.Column("sex", sex, nullable=True))
    op.execute(REGION_YEAR)
    op.execute("CREATE UNIQUE INDEX ux_stats_region_year ON stats_region_year (programme_year, cohort, region_id)")
    op.execute(SECTOR_YEAR)
    op.execute(
        "CREATE UNIQUE INDEX ux_stats_sector_year ON stats_sector_year (programme_year, cohort, region_id, sector)"
    )
    op.execute(FLOWS)
    op.execute(
        "CREATE UNIQUE INDEX ux_stats_flows ON stats_flows (programme_year, cohort, home_region_id, host_region_id)"
    )
    op.execute(PLACEMENT_FACTS)
    op.execute("CREATE UNIQUE INDEX ux_stats_placement_facts ON stats_placement_facts (placement_id)")
    op.execute(
        "CREATE INDEX ix_stats_placement_facts_year_host ON stats_placement_facts (programme_year, host_region_id)"
    )
    op.execute(
        "CREATE INDEX ix_stats_placement_facts_year_home ON stats_placement_facts (programme_year, home_region_id)"
    )


def downgrade() -> None:
    op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_placement_facts")
    for view in ("stats_flows", "stats_sector_year", "stats_region_year"):
        op.execute(f"DROP MATERIALIZED VIEW IF EXISTS {view}")
    op.drop_column("applicant_profiles", "sex")
    sa.Enum(name="sex").drop(op.get_bind(), checkfirst=True)
    op.drop_table("statistics_refresh")
