"""assignment question count: a quiz assignment may draw N questions for each attempt

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("question_count", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("assignment") as batch:
        batch.drop_column("question_count")
