"""review_log.undo_token: undo names the exact review with a token that is never reused

Revision ID: cards_0001
Revises: 7edd33f78a83
Create Date: 2026-11-29 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'cards_0001'
down_revision = '7edd33f78a83'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undo_token', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_review_log_undo_token', ['undo_token'], unique=True)


def downgrade():
    with op.batch_alter_table('review_log', schema=None) as batch_op:
        batch_op.drop_index('ix_review_log_undo_token')
        batch_op.drop_column('undo_token')
