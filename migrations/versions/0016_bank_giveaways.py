"""give-away pairs: questions of a set kept apart in quizzes and in study

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "giveaway_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("teller_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_set.id"],
            name=op.f("fk_giveaway_pair_set_id_question_set"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_giveaway_pair_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["question.id"],
            name=op.f("fk_giveaway_pair_other_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teller_id"],
            ["question.id"],
            name=op.f("fk_giveaway_pair_teller_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_giveaway_pair")),
    )
    with op.batch_alter_table("giveaway_pair") as batch:
        batch.create_index(batch.f("ix_giveaway_pair_set_id"), ["set_id"], unique=False)
        batch.create_index(
            "ix_giveaway_pair_question_id_other_id", ["question_id", "other_id"], unique=False
        )
    _find_existing_pairs()


def _find_existing_pairs():
    """Teachers' sets get their pairs now, not at their next edit (the seed redoes the bank's)."""
    from quiz.sets.giveaway_pairs import refresh_set

    bind = op.get_bind()
    question_set = sa.table("question_set", sa.column("id", sa.Integer))
    for (set_id,) in bind.execute(sa.select(question_set.c.id)).all():
        refresh_set(bind, set_id)


def downgrade():
    op.drop_table("giveaway_pair")
