"""password reset links; when a user's time zone was set; when they were last seen

Revision ID: accounts_0001
Revises: sec_0001
Create Date: 2026-11-29 16:50:00

"""
from alembic import op
import sqlalchemy as sa
import quizapp.models


revision = 'accounts_0001'
down_revision = 'sec_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_reset_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_password_reset_created_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash'))
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index('ix_password_reset_user', ['user_id'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone_set_at', quizapp.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', quizapp.models.UTCDateTime(timezone=True), nullable=True))
    # An account with a zone other than the default chose it on the registration form: keep
    # it (the browser's zone is taken only for accounts whose zone nobody set).
    user = sa.table('user', sa.column('timezone', sa.String), sa.column('created_at'),
                    sa.column('timezone_set_at'))
    op.execute(user.update().where(user.c.timezone != 'UTC').values(timezone_set_at=user.c.created_at))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('timezone_set_at')
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index('ix_password_reset_user')
    op.drop_table('password_reset')
