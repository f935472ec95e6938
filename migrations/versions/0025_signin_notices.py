"""sign-in with OpenID Connect providers, site settings, notices and their opt-outs

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "oidc_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("client_secret", sa.String(length=500), nullable=False),
        sa.Column("emails_verified", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_provider")),
        sa.UniqueConstraint("slug", name=op.f("uq_oidc_provider_slug")),
    )
    op.create_table(
        "oidc_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["oidc_provider.id"],
            name=op.f("fk_oidc_identity_provider_id_oidc_provider"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_oidc_identity_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_identity")),
        sa.UniqueConstraint(
            "provider_id", "subject", name=op.f("uq_oidc_identity_provider_id_subject")
        ),
    )
    with op.batch_alter_table("oidc_identity") as batch:
        batch.create_index(batch.f("ix_oidc_identity_user_id"), ["user_id"], unique=False)
    op.create_table(
        "site_setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_site_setting")),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("mail", sa.String(length=8), nullable=False),
        sa.Column("dismissed_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notice_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        # The row decides: a notice exists, and is mailed, once per (user, kind, subject).
        sa.UniqueConstraint(
            "user_id", "kind", "subject", name=op.f("uq_notice_user_id_kind_subject")
        ),
    )
    with op.batch_alter_table("notice") as batch:
        batch.create_index(batch.f("ix_notice_mail"), ["mail"], unique=False)
        batch.create_index("ix_notice_user_open", ["user_id", "dismissed_at"], unique=False)
    op.create_table(
        "notice_opt_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_notice_opt_out_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notice_opt_out")),
    )
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.drop_column("headers")
    op.drop_table("notice_opt_out")
    with op.batch_alter_table("notice") as batch:
        batch.drop_index("ix_notice_user_open")
        batch.drop_index(batch.f("ix_notice_mail"))
    op.drop_table("notice")
    op.drop_table("site_setting")
    with op.batch_alter_table("oidc_identity") as batch:
        batch.drop_index(batch.f("ix_oidc_identity_user_id"))
    op.drop_table("oidc_identity")
    op.drop_table("oidc_provider")
