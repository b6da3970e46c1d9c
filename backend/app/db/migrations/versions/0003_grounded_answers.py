"""grounded answers: word cards, presented terms and the grounding outcome of each answer

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cards", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("terms", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("grounded", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("fallback", sa.String(length=20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("fallback")
        batch_op.drop_column("grounded")
        batch_op.drop_column("terms")
        batch_op.drop_column("cards")
