"""marking: a teacher's marks and comments on quiz answers, and released marks per assignment

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "answer_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("marker_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("original_score", sa.Double(), nullable=False),
        sa.Column("ticks", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 1)", name=op.f("ck_answer_mark_score")
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_answer_mark_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_answer_mark_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marker_id"],
            ["user.id"],
            name=op.f("fk_answer_mark_marker_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_mark")),
        sa.UniqueConstraint(
            "attempt_id", "question_id", name=op.f("uq_answer_mark_attempt_id_question_id")
        ),
    )
    with op.batch_alter_table("answer_mark") as batch:
        batch.create_index(batch.f("ix_answer_mark_question_id"), ["question_id"], unique=False)
    op.create_table(
        "marks_release",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_marks_release_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["released_by"],
            ["user.id"],
            name=op.f("fk_marks_release_released_by_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_marks_release")),
    )


def downgrade():
    op.drop_table("marks_release")
    with op.batch_alter_table("answer_mark") as batch:
        batch.drop_index(batch.f("ix_answer_mark_question_id"))
    op.drop_table("answer_mark")
