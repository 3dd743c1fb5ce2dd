"""drop quiz_miss: written on every submission, never read (a missed fact's card is marked
``priority`` on card_state instead, which is what the queue reads)

Revision ID: mutants_0001
Revises: courses_0001
Create Date: 2026-11-29 16:50:00

"""
from alembic import op
import sqlalchemy as sa
import quizapp.models


revision = 'mutants_0001'
down_revision = 'courses_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_miss', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_miss_user_applied')
    op.drop_table('quiz_miss')


def downgrade():
    op.create_table('quiz_miss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('essay', sa.String(length=100), nullable=False),
    sa.Column('card_id', sa.String(length=200), nullable=False),
    sa.Column('missed_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('applied_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_quiz_miss_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_quiz_miss_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_miss')),
    sa.UniqueConstraint('attempt_id', 'card_id', name=op.f('uq_quiz_miss_attempt_id'))
    )
    with op.batch_alter_table('quiz_miss', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_miss_user_applied', ['user_id', 'applied_at'], unique=False)
