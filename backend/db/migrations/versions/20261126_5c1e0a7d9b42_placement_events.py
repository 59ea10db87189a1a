"""placement events: the placement's audit trail

Revision ID: 5c1e0a7d9b42
Revises: 23dd4fc7dbdc
Create Date: 2026-11-26 03:10:00

An append-only table (the trigger function of the workflow migration refuses UPDATE and DELETE), with one
row per step of a placement. Placements that exist already get their confirmation (from confirmed_at and
confirmed_by_id) and, when they have moved on since, one row from the system naming their current state:
their steps in between were not recorded and are not invented.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e0a7d9b42"
down_revision: str | None = "23dd4fc7dbdc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placement_events",
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name=op.f("fk_placement_events_placement_id_placements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_events")),
    )
    op.create_index(
        "ix_placement_events_placement_id_created_at", "placement_events", ["placement_id", "created_at"], unique=False
    )
    op.execute(
        "INSERT INTO placement_events (id, placement_id, actor_id, actor_role, action, from_state, to_state, "
        "created_at) SELECT gen_random_uuid(), id, confirmed_by_id, 'employer', 'confirm', NULL, 'confirmed', "
        "confirmed_at FROM placements"
    )
    op.execute(
        "INSERT INTO placement_events (id, placement_id, actor_id, actor_role, action, from_state, to_state, "
        "reason, created_at) SELECT gen_random_uuid(), id, NULL, 'system', 'recorded', 'confirmed', "
        "state::text, state_reason, updated_at FROM placements WHERE state <> 'confirmed'"
    )
    op.execute(
        "CREATE TRIGGER placement_events_append_only BEFORE UPDATE OR DELETE ON placement_events "
        "FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS placement_events_append_only ON placement_events")
    op.drop_index("ix_placement_events_placement_id_created_at", table_name="placement_events")
    op.drop_table("placement_events")
