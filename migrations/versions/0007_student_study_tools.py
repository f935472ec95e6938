"""student study tools: suspend and bury cards, cram answers, raised new limits, quiz flags

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("card") as batch:
        batch.add_column(
            sa.Column("suspended", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("buried_until", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("reset_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("attempt") as batch:
        batch.add_column(sa.Column("flagged", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("attempt_answer") as batch:
        batch.add_column(sa.Column("duration_ms", sa.Integer(), nullable=True))
    op.create_table(
        "cram_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(length=64), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column(
            "answered_at", sa.DateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_cram_answer_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_cram_answer_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cram_answer")),
        sa.UniqueConstraint(
            "user_id", "submission_id", name=op.f("uq_cram_answer_user_id_submission_id")
        ),
    )
    op.create_index(
        "ix_cram_answer_user_id_answered_at", "cram_answer", ["user_id", "answered_at"]
    )
    op.create_table(
        "new_limit_raise",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("extra", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_new_limit_raise_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_new_limit_raise")),
    )


def downgrade():
    op.drop_table("new_limit_raise")
    op.drop_index("ix_cram_answer_user_id_answered_at", table_name="cram_answer")
    op.drop_table("cram_answer")
    with op.batch_alter_table("attempt_answer") as batch:
        batch.drop_column("duration_ms")
    with op.batch_alter_table("attempt") as batch:
        batch.drop_column("flagged")
    with op.batch_alter_table("card") as batch:
        batch.drop_column("reset_at")
        batch.drop_column("buried_until")
        batch.drop_column("suspended")
