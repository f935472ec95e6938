"""students' own sets: shared with a class (set_share), and the class's switch for it

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "set_share",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_set.id"],
            name=op.f("fk_set_share_set_id_question_set"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["classroom_id"],
            ["classroom.id"],
            name=op.f("fk_set_share_classroom_id_classroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("set_id", "classroom_id", name=op.f("pk_set_share")),
    )
    op.create_index("ix_set_share_classroom_id", "set_share", ["classroom_id"])
    with op.batch_alter_table("classroom") as batch:
        batch.add_column(
            sa.Column("student_sharing", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("classroom") as batch:
        batch.drop_column("student_sharing")
    op.drop_index("ix_set_share_classroom_id", table_name="set_share")
    op.drop_table("set_share")
