"""gradebook: categories with weights, points, late penalties, excused work, missing as zero

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "grade_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=True),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_grade_category_weight")),
        sa.ForeignKeyConstraint(
            ["classroom_id"],
            ["classroom.id"],
            name=op.f("fk_grade_category_classroom_id_classroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_category")),
    )
    op.create_index(
        op.f("ix_grade_category_classroom_id"), "grade_category", ["classroom_id"], unique=False
    )
    op.create_table(
        "excusal",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_excusal_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["user.id"], name=op.f("fk_excusal_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_excusal_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("assignment_id", "user_id", name=op.f("pk_excusal")),
    )
    with op.batch_alter_table("classroom") as batch:
        batch.add_column(
            sa.Column("missing_counts_zero", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("late_penalty_pct", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            "late_penalty_pct", "late_penalty_pct BETWEEN 0 AND 100"
        )
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("points", sa.Double(), server_default="100", nullable=False))
        batch.add_column(sa.Column("category_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("late_penalty_pct", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_assignment_category_id_grade_category"),
            "grade_category",
            ["category_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_check_constraint("points", "points >= 0")
        batch.create_check_constraint("late_penalty_pct", "late_penalty_pct BETWEEN 0 AND 100")


def downgrade():
    with op.batch_alter_table("assignment") as batch:
        batch.drop_constraint(op.f("ck_assignment_late_penalty_pct"), type_="check")
        batch.drop_constraint(op.f("ck_assignment_points"), type_="check")
        batch.drop_constraint(op.f("fk_assignment_category_id_grade_category"), type_="foreignkey")
        batch.drop_column("late_penalty_pct")
        batch.drop_column("category_id")
        batch.drop_column("points")
    with op.batch_alter_table("classroom") as batch:
        batch.drop_constraint(op.f("ck_classroom_late_penalty_pct"), type_="check")
        batch.drop_column("late_penalty_pct")
        batch.drop_column("missing_counts_zero")
    op.drop_table("excusal")
    op.drop_index(op.f("ix_grade_category_classroom_id"), table_name="grade_category")
    op.drop_table("grade_category")
