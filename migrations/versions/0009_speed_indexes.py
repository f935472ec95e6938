"""speed indexes: enrollment by student, reviews by student and question

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-28 22:50:00

"""

import sqlalchemy as sa  # noqa: F401 - kept for the template's shape
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # visible_to() filters enrollment by user_id on every study page.
    with op.batch_alter_table("enrollment") as batch_op:
        batch_op.create_index("ix_enrollment_user_id", ["user_id"], unique=False)
    # set_mastery counts a student's reviews (and wrong ones) per question of a set.
    with op.batch_alter_table("review") as batch_op:
        batch_op.create_index(
            "ix_review_user_id_question_id", ["user_id", "question_id", "correct"], unique=False
        )


def downgrade():
    with op.batch_alter_table("review") as batch_op:
        batch_op.drop_index("ix_review_user_id_question_id")
    with op.batch_alter_table("enrollment") as batch_op:
        batch_op.drop_index("ix_enrollment_user_id")
