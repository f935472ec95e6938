"""question order index: a set's live questions in their order, replacing the set_id index

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # The next new question walks each studied set's live questions in order and stops at the
    # first without a card. With only the set_id index, SQLite (once ANALYZE had run) built a
    # temporary index over every question on each study page instead.
    with op.batch_alter_table("question") as batch:
        batch.create_index(
            "ix_question_set_id_retired_position", ["set_id", "retired", "position", "id"]
        )
        batch.drop_index("ix_question_set_id")  # its one column leads the new index


def downgrade():
    with op.batch_alter_table("question") as batch:
        batch.create_index("ix_question_set_id", ["set_id"], unique=False)
        batch.drop_index("ix_question_set_id_retired_position")
