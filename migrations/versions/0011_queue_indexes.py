"""queue indexes: cards by student and creation time, studied sets by student and date added

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # The daily new-question limit counts the cards a student created today.
    with op.batch_alter_table("card") as batch:
        batch.create_index("ix_card_user_id_created_at", ["user_id", "created_at"], unique=False)
    # The next new question: studied sets in the order they were added, first one that has one.
    with op.batch_alter_table("studied_set") as batch:
        batch.create_index(
            "ix_studied_set_user_id_added_at", ["user_id", "added_at", "set_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("studied_set") as batch:
        batch.drop_index("ix_studied_set_user_id_added_at")
    with op.batch_alter_table("card") as batch:
        batch.drop_index("ix_card_user_id_created_at")
