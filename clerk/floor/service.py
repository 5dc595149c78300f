"""The supervisor's floor desk: read the live floor, and act on it (each a recorded mutation)."""

from __future__ import annotations

from clerk.clock import Clock, local_today
from clerk.errors import UserFacingError
from clerk.floor import cases, view
from clerk.floor.view import Floor
from clerk.outbox import Workbench
from clerk.queue.settings import policy_for
from clerk.staff.auth import SignedIn
from clerk.store.engine import Store


class NotSupervisor(UserFacingError):
    pass


def _require_supervisor(staff: SignedIn) -> None:
    # The handlers refuse others too (roles); this says so before anything is recorded.
    if staff.role != "supervisor":
        raise NotSupervisor("只有值班长可以处理现场窗口", f"{staff.staff_id} is {staff.role}")


class FloorDesk:
    def __init__(self, bench: Workbench, store: Store, clock: Clock, centre_code: str) -> None:
        self.bench, self.store, self.clock, self.centre_code = bench, store, clock, centre_code

    def floor(self) -> Floor:
        now = self.clock.now()
        with self.store.session() as session:
            return Floor(
                now,
                tuple(view.windows(session, self.centre_code, now)),
                tuple(view.lines(session, self.centre_code, policy_for(self.centre_code), now)),
                tuple(view.counters(session, self.centre_code, now)),
                tuple(cases.at_limit(session, self.centre_code, local_today(self.clock))),
            )

    def free_window(self, staff: SignedIn, window_id: str, reason: str) -> None:
        _require_supervisor(staff)
        self.bench.apply("floor.free_window", {"window_id": window_id, "reason": reason}, staff.staff_id)

    def finish_ticket(self, staff: SignedIn, ticket_id: str, reason: str) -> None:
        _require_supervisor(staff)
        self.bench.apply("floor.finish_ticket", {"ticket_id": ticket_id, "reason": reason}, staff.staff_id)

    def requeue_ticket(self, staff: SignedIn, ticket_id: str, reason: str) -> None:
        _require_supervisor(staff)
        self.bench.apply("floor.requeue_ticket", {"ticket_id": ticket_id, "reason": reason}, staff.staff_id)

    def reassign_ticket(self, staff: SignedIn, ticket_id: str, to_window_id: str, reason: str) -> None:
        _require_supervisor(staff)
        self.bench.apply("floor.reassign_ticket",
                         {"ticket_id": ticket_id, "to_window_id": to_window_id, "reason": reason}, staff.staff_id)
