"""Calling a ticket to a window: the Caller protocol and its local (this store) implementation.

The screens call through a :class:`Caller` so that the same calling screen works on a
standalone counter (:class:`LocalCaller`, the policy over this store's queue) and in a hall
with a central store (a remote caller that claims through the central store and gets a
fencing token back; it lives with the sync code and has the same shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from clerk.clock import Clock
from clerk.mutation import MutationRefused
from clerk.outbox import Workbench
from clerk.queue.load import decide_next
from clerk.queue.settings import policy_for
from clerk.store.engine import Store
from clerk.store.operations import Ticket
from clerk.store.reference import Window


@dataclass(frozen=True)
class CallResult:
    ticket_id: str
    number: str
    reason: str
    """Why this ticket, as stored with the call ("绿色通道优先（老年人）", "指定叫号" …)."""
    fence: int
    """The claim's token; later actions on the ticket carry it."""
    tentative: bool
    """True when the call was made on this store only and the central store may still
    refuse it (another window called the same ticket while apart)."""


class Caller(Protocol):
    def call_next(self, window_id: str, staff_id: str) -> CallResult | None:
        """Call the policy's next ticket for the window; None when nobody waits for it."""
        ...

    def call_ticket(self, ticket_id: str, window_id: str, staff_id: str) -> CallResult:
        """Call one ticket the clerk named; raises MutationRefused if it cannot be called."""
        ...


# A ticket the policy picked may be taken between the read and the write (the kiosk
# writes to the same file; a sync pull may bring a central call). Pick again a few times.
RETRIES = 3


class LocalCaller:
    """The calling policy over this store's queue, applied with ``ticket.call``.

    ``tentative`` says whether a central store is configured: then a local call is only
    this counter's claim until the central store applies it.
    """

    def __init__(self, workbench: Workbench, store: Store, clock: Clock, *, tentative: bool = False) -> None:
        self.bench = workbench
        self.store = store
        self.clock = clock
        self.tentative = tentative

    def call_next(self, window_id: str, staff_id: str) -> CallResult | None:
        for attempt in range(RETRIES):
            with self.store.session() as session:
                window = session.get(Window, window_id)
                if window is None:
                    raise MutationRefused("没有这个窗口", f"no window {window_id}")
                decision = decide_next(session, window_id, self.clock.now(), policy_for(window.centre_code))
            if decision is None:
                return None
            try:
                return self._call(decision.ticket_id, window_id, staff_id, decision.reason, decision.kind)
            except MutationRefused:
                if attempt == RETRIES - 1 or not self._taken(decision.ticket_id):
                    raise  # a refusal about the window (paused, busy): tell the clerk
        return None

    def call_ticket(self, ticket_id: str, window_id: str, staff_id: str) -> CallResult:
        return self._call(ticket_id, window_id, staff_id, "", None)

    def _call(self, ticket_id: str, window_id: str, staff_id: str, reason: str, kind: str | None) -> CallResult:
        args = {"ticket_id": ticket_id, "window_id": window_id, "reason": reason, "kind": kind}
        ticket: Ticket = self.bench.apply("ticket.call", args, staff_id)
        return CallResult(ticket.id, ticket.number, ticket.call_reason, ticket.fence, self.tentative)

    def _taken(self, ticket_id: str) -> bool:
        with self.store.session() as session:
            ticket = session.get(Ticket, ticket_id)
            return ticket is None or ticket.status != "waiting"
