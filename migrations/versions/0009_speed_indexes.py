"""speed indexes: reviews by student and question, quiz reviews by attempt

(enrollment by student came with 0006)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 22:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # set_mastery counts a student's reviews (and wrong ones) per question of a set.
    with op.batch_alter_table("review") as batch_op:
        batch_op.create_index(
            "ix_review_user_id_question_id", ["user_id", "question_id", "correct"], unique=False
        )
        # Quiz reviews by attempt (quiz scores with overrides), without the study answers.
        batch_op.create_index(
            "ix_review_attempt_id_given",
            ["attempt_id"],
            unique=False,
            sqlite_where=sa.text("attempt_id IS NOT NULL"),
            postgresql_where=sa.text("attempt_id IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("review") as batch_op:
        batch_op.drop_index("ix_review_attempt_id_given")
        batch_op.drop_index("ix_review_user_id_question_id")
