"""auth events: registrations and reset e-mails limited per address and account

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-28 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('auth_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_event'))
    )
    with op.batch_alter_table('auth_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_event_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_auth_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auth_event_key'), ['key'], unique=False)


def downgrade():
    with op.batch_alter_table('auth_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_event_key'))
        batch_op.drop_index(batch_op.f('ix_auth_event_at'))
        batch_op.drop_index(batch_op.f('ix_auth_event_address'))

    op.drop_table('auth_event')
