"""job runner: job_status (the last run of each job) and job_failures (recent failed attempts)

Both are written by the job runner (memi.jobs) and read by the admin's Jobs page.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("will_retry", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_failures")),
    )
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_failures_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_failures_name"), ["name"], unique=False)

    op.create_table(
        "job_status",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_outcome", sa.String(length=10), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_outcome IN ('OK', 'RETRYING', 'FAILED')", name=op.f("ck_job_status_last_outcome")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_status")),
    )


def downgrade():
    op.drop_table("job_status")
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_failures_name"))
        batch_op.drop_index(batch_op.f("ix_job_failures_created_at"))
    op.drop_table("job_failures")
