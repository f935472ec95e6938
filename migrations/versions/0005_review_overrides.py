"""review overrides: the student's "I was right", and the set's counting settings

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-28 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('due_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('rating BETWEEN 1 AND 4', name=op.f('ck_review_override_rating')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_review_override_accepted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_review_override_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_override_review_id_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_override_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_override')),
    sa.UniqueConstraint('review_id', name=op.f('uq_review_override_review_id'))
    )
    with op.batch_alter_table('review_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_override_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_override_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overrides_count_in_study', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('overrides_count_in_quizzes', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('question_set', schema=None) as batch_op:
        batch_op.drop_column('overrides_count_in_quizzes')
        batch_op.drop_column('overrides_count_in_study')

    with op.batch_alter_table('review_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_override_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_override_question_id'))

    op.drop_table('review_override')
