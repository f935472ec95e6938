"""media: pictures and sound stored once by SHA-256, linked to sets by name

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "media_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_media_file")),
    )
    op.create_table(
        "set_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("alt", sa.String(length=500), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("decorative", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_set.id"],
            name=op.f("fk_set_media_set_id_question_set"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["media_file.sha256"], name=op.f("fk_set_media_sha256_media_file")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["user.id"],
            name=op.f("fk_set_media_uploaded_by_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_media")),
        sa.UniqueConstraint("set_id", "name", name=op.f("uq_set_media_set_id_name")),
    )
    with op.batch_alter_table("set_media") as batch:
        batch.create_index(batch.f("ix_set_media_set_id"), ["set_id"], unique=False)
        batch.create_index(batch.f("ix_set_media_sha256"), ["sha256"], unique=False)
        batch.create_index(batch.f("ix_set_media_uploaded_by"), ["uploaded_by"], unique=False)


def downgrade():
    with op.batch_alter_table("set_media") as batch:
        batch.drop_index(batch.f("ix_set_media_uploaded_by"))
        batch.drop_index(batch.f("ix_set_media_sha256"))
        batch.drop_index(batch.f("ix_set_media_set_id"))
    op.drop_table("set_media")
    op.drop_table("media_file")
