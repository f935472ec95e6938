"""pending import options: Quizlet's separators (what the preview read with)

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # The confirmation reads the kept bytes again with exactly the options of the preview.
    with op.batch_alter_table("pending_import") as batch:
        batch.add_column(
            sa.Column("options", sa.String(length=400), nullable=False, server_default="{}")
        )


def downgrade():
    with op.batch_alter_table("pending_import") as batch:
        batch.drop_column("options")
