"""exact marks, quiz decimals, question flags, mark history (overrides, regrades), reports

Revision ID: quiz_0001
Revises: cards_0001
Create Date: 2026-11-29 14:00:00

"""
from alembic import op
import sqlalchemy as sa
import quizapp.models


revision = 'quiz_0001'
down_revision = 'cards_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('decimals', sa.Integer(), server_default='2', nullable=False))

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('override_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('overridden_at', quizapp.models.UTCDateTime(timezone=True), nullable=True))

    op.create_table(
        'question_flag',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('flagged_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('attempt_id', 'position'),
    )
    op.create_table(
        'mark_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('old_mark', sa.String(length=64), nullable=True),
        sa.Column('new_mark', sa.String(length=64), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('changed_by', sa.Integer(), nullable=True),
        sa.Column('changed_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['changed_by'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('mark_change', schema=None) as batch_op:
        batch_op.create_index('ix_mark_change_attempt', ['attempt_id', 'position'], unique=False)
    op.create_table(
        'question_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_by'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('question_report', schema=None) as batch_op:
        batch_op.create_index('ix_question_report_open', ['resolved_at', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('question_report', schema=None) as batch_op:
        batch_op.drop_index('ix_question_report_open')
    op.drop_table('question_report')
    with op.batch_alter_table('mark_change', schema=None) as batch_op:
        batch_op.drop_index('ix_mark_change_attempt')
    op.drop_table('mark_change')
    op.drop_table('question_flag')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('overridden_at')
        batch_op.drop_column('override_comment')
        batch_op.drop_column('mark')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('decimals')
        batch_op.drop_column('mark')
