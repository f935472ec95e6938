"""deleted accounts leave their classes: memberships of accounts deleted before the fix

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Anonymized deletions kept their class memberships until account_data removed them; the
    # accounts are recognizable by the name, address and password that deletion gave them.
    user = sa.table(
        "user",
        sa.column("id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("password_hash", sa.String),
        sa.column("active", sa.Boolean),
    )
    enrollment = sa.table("enrollment", sa.column("user_id", sa.Integer))
    deleted = sa.select(user.c.id).where(
        user.c.email.like("deleted-%@deleted.invalid"),
        user.c.password_hash == "!",  # noqa: S105 - the mark deletion leaves, not a password
        user.c.active.is_(False),
    )
    op.execute(sa.delete(enrollment).where(enrollment.c.user_id.in_(deleted)))


def downgrade():
    pass  # the memberships of deleted accounts are not worth bringing back
