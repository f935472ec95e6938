"""the student's date order: how dates typed in numbers only are read in answers

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    # Day first is what most of the world writes, and what answers were read as before (when
    # the reading mattered, they were refused and the student asked to write the month).
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("date_order", sa.String(11), nullable=False, server_default="day_first")
        )
        batch.create_check_constraint(
            op.f("ck_user_date_order"), "date_order IN ('day_first', 'month_first')"
        )


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_constraint(op.f("ck_user_date_order"), type_="check")
        batch.drop_column("date_order")
