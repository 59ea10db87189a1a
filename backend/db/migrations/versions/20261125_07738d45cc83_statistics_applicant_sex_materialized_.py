"""statistics: applicant sex, materialized views, refresh time

Revision ID: 07738d45cc83
Revises: fa807fa03ecf
Create Date: 2026-11-25 20:21:59.913014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '07738d45cc83'
down_revision: str | None = 'fa807fa03ecf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Pre-aggregated facts for the statistics (see backend/domain/statistics/views.py). Each view has a unique
# index so a worker can REFRESH ... CONCURRENTLY while readers keep reading.
APPLICATION_COUNTS = """
CREATE MATERIALIZED VIEW stats_application_counts AS
SELECT a.programme_year, o.start_date AS cohort, a.home_region_id, a.host_region_id, o.sector,
       count(*)::int AS applications
FROM applications a JOIN offers o ON o.id = a.offer_id
GROUP BY a.programme_year, o.start_date, a.home_region_id, a.host_region_id, o.sector
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
    op.execute(APPLICATION_COUNTS)
    op.execute(
        "CREATE UNIQUE INDEX ux_stats_application_counts ON stats_application_counts "
        "(programme_year, cohort, home_region_id, host_region_id, sector)"
    )
    op.execute(PLACEMENT_FACTS)
    op.execute("CREATE UNIQUE INDEX ux_stats_placement_facts ON stats_placement_facts (placement_id)")
    op.execute("CREATE INDEX ix_stats_placement_facts_year_host ON stats_placement_facts (programme_year, host_region_id)")
    op.execute("CREATE INDEX ix_stats_placement_facts_year_home ON stats_placement_facts (programme_year, home_region_id)")


def downgrade() -> None:
    op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_placement_facts")
    op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_application_counts")
    op.drop_column("applicant_profiles", "sex")
    sa.Enum(name="sex").drop(op.get_bind(), checkfirst=True)
    op.drop_table("statistics_refresh")
