"""notifications: reminder log

Revision ID: fa807fa03ecf
Revises: 15c7347f86c5
Create Date: 2026-11-25 20:13:50.621280

One row per reminder sent about an application or a placement; the unique (kind, subject_id, number) and
the CHECK cap them at two per item and kind, also when two workers race.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fa807fa03ecf"
down_revision: str | None = "15c7347f86c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("number BETWEEN 1 AND 2", name=op.f("ck_reminders_capped")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_reminders_requested_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("kind", "subject_id", "number", name=op.f("uq_reminders_kind_subject_id_number")),
    )


def downgrade() -> None:
    op.drop_table("reminders")
