"""courses, their members, assignments and per-student overrides

Revision ID: courses_0001
Revises: accounts_0001
Create Date: 2026-11-29 16:40:00

"""
from alembic import op
import sqlalchemy as sa
import quizapp.models


revision = 'courses_0001'
down_revision = 'accounts_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('term', sa.String(length=80), nullable=False),
    sa.Column('join_code', sa.String(length=32), nullable=False),
    sa.Column('created_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('slug', name=op.f('uq_course_slug')),
    sa.UniqueConstraint('join_code', name=op.f('uq_course_join_code'))
    )
    op.create_table('course_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('joined_at', quizapp.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_member_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_course_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_member')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_course_member_course_id'))
    )
    with op.batch_alter_table('course_member', schema=None) as batch_op:
        batch_op.create_index('ix_course_member_user', ['user_id', 'course_id'], unique=False)
        batch_op.create_index('ix_course_member_role', ['course_id', 'role', 'user_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('essay', sa.String(length=100), nullable=False),
    sa.Column('quiz_id', sa.String(length=100), nullable=False),
    sa.Column('opens_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closes_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=True),
    sa.Column('time_limit', sa.Integer(), nullable=True),
    sa.Column('review', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assignment_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('course_id', 'essay', 'quiz_id', name=op.f('uq_assignment_course_id'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_quiz', ['essay', 'quiz_id', 'course_id'], unique=False)

    op.create_table('assignment_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('extra_minutes', sa.Integer(), nullable=False),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.Column('closes_at', quizapp.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_override_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_assignment_override_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_override')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_assignment_override_assignment_id'))
    )


def downgrade():
    op.drop_table('assignment_override')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_quiz')
    op.drop_table('assignment')
    with op.batch_alter_table('course_member', schema=None) as batch_op:
        batch_op.drop_index('ix_course_member_role')
        batch_op.drop_index('ix_course_member_user')
    op.drop_table('course_member')
    op.drop_table('course')
