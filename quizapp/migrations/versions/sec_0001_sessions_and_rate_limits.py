"""server-side sign-in records and shared rate-limit counters

Revision ID: sec_0001
Revises: quiz_0001
Create Date: 2026-11-29 13:45:00

"""
from alembic import op
import sqlalchemy as sa
import quizapp.models


revision = 'sec_0001'
down_revision = 'quiz_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index('ix_user_session_user', ['user_id', 'revoked_at'], unique=False)

    op.create_table('rate_limit',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit'))
    )
    with op.batch_alter_table('rate_limit', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_expires', ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limit', schema=None) as batch_op:
        batch_op.drop_index('ix_rate_limit_expires')
    op.drop_table('rate_limit')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index('ix_user_session_user')
    op.drop_table('user_session')
