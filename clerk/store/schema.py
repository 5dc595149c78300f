"""Every table, imported in one place so SQLModel.metadata is complete for Alembic and tests."""

from sqlmodel import SQLModel

from clerk.store import (  # noqa: F401  (registers the tables)
    booking_tables,
    central_tables,
    ledger_tables,
    local,
    operations,
    queue_conflicts,
    queue_tables,
    reference,
    shift_tables,
    signoff_tables,
)

metadata = SQLModel.metadata

# Bumped with every migration that changes what a mutation writes; the sync protocol
# carries it and the central store accepts the current and the previous version.
SCHEMA_VERSION = 6
# 2: actions in a staff member's name need a signed sign-in at that counter (staff.sign_in).
# 3: a case goes on after acceptance: the back office columns and mutations (clerk.backoffice).
# 4: the applicant's consent to be notified and e-mail address (case.open, clerk.notify).
# 5: 先批后报: case.request_urgent, the report due on an urgent approval, signoff.report (migration 0025);
#    the ticket's 评价码 in ticket.issue and rating.code_miss (migration 0026).
# 6: 退回补正: case.request_return and the materials it asks for on the sign-off (migration 0032);
#    the department's seal for its decision papers (migration 0033).
