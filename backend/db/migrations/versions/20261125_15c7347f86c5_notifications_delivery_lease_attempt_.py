"""notifications: delivery lease, attempt stamp, per-user index

Revision ID: 15c7347f86c5
Revises: 2eeb0d1b3289
Create Date: 2026-11-25 19:49:33.454755

lease_token fences a worker's lease on a row; attempt_started_at is committed right before each SMTP send and
cleared with its outcome; unconfirmed_attempts counts sends whose outcome is unknown (possible duplicates).
The per-user index serves the in-app list (newest first) and replaces the plain user_id index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "15c7347f86c5"
down_revision: str | None = "2eeb0d1b3289"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("lease_token", sa.Uuid(), nullable=True))
    op.add_column("notifications", sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("notifications", sa.Column("unconfirmed_attempts", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"], unique=False)
    op.drop_index(op.f("ix_notifications_user_id"), table_name="notifications")


def downgrade() -> None:
    op.create_index(op.f("ix_notifications_user_id"), "notifications", ["user_id"], unique=False)
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    op.drop_column("notifications", "unconfirmed_attempts")
    op.drop_column("notifications", "attempt_started_at")
    op.drop_column("notifications", "lease_token")
