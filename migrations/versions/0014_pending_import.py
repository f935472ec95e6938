"""pending import: an uploaded file kept between its preview and its confirmation

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    # The preview used to send the whole file back in a hidden field, so a file of more than
    # about 1.3 MB previewed but its confirmation was refused as too large (413).
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("fmt", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("retire", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user.id"],
            name=op.f("fk_pending_import_owner_id_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_set.id"],
            name=op.f("fk_pending_import_set_id_question_set"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_import")),
        sa.UniqueConstraint("token", name=op.f("uq_pending_import_token")),
    )
    with op.batch_alter_table("pending_import") as batch:
        batch.create_index(batch.f("ix_pending_import_owner_id"), ["owner_id"], unique=False)
        batch.create_index(batch.f("ix_pending_import_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("pending_import") as batch:
        batch.drop_index(batch.f("ix_pending_import_expires_at"))
        batch.drop_index(batch.f("ix_pending_import_owner_id"))
    op.drop_table("pending_import")
