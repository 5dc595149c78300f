"""The supervisor's floor desk: read the live floor, and act on it (each a recorded mutation).

Minting an enrolment code and listing the devices ask the central store's floor API
(clerk.central.floor_api), so they need a counter enrolled there.
"""

from __future__ import annotations

from sqlmodel import col, select

from clerk.clock import Clock, local_today
from clerk.errors import UserFacingError
from clerk.floor import cases, view
from clerk.floor.view import Floor
from clerk.ids import new_id
from clerk.outbox import Workbench
from clerk.queue.settings import policy_for
from clerk.staff.auth import SignedIn
from clerk.staff.sessions import open_proof
from clerk.store.engine import Store
from clerk.store.reference import ROLES, Staff
from clerk.sync import meta
from clerk.sync.client import CentralClient, Unreachable
from clerk.sync.floor_protocol import (
    FLOOR_PREFIX,
    DeviceLine,
    DevicesResponse,
    EnrolCodeRequest,
    EnrolCodeResponse,
    NotificationDecision,
    NotificationLine,
    NotificationsResponse,
    SupervisorRequest,
)

# What a counter never enrolled says for each floor action: each names its own thing and
# where to do it (Ctrl+T once said 登记码和设备列表, which a supervisor asking for the
# applicants' messages could not make sense of).
NOT_ENROLLED = {
    "/enrol-code": "登记码须在已登记的窗口机上发放",
    "/devices": "本中心设备须在已登记的窗口机上查看",
    "/notifications": "申请人通知由中心库发送，待处理的通知须在已登记的窗口机上查看",
    "/notifications/decide": "申请人通知由中心库发送，须在已登记的窗口机上处理",
}


class NotSupervisor(UserFacingError):
    pass


def _require_supervisor(staff: SignedIn) -> None:
    # The handlers refuse others too (roles); this says so before anything is recorded.
    if staff.role != "supervisor":
        raise NotSupervisor("只有值班长可以处理现场窗口", f"{staff.staff_id} is {staff.role}")


class NoCentral(UserFacingError):
    pass


class FloorDesk:
    def __init__(self, bench: Workbench, store: Store, clock: Clock, centre_code: str,
                 central: CentralClient | None = None) -> None:
        self.bench, self.store, self.clock, self.centre_code = bench, store, clock, centre_code
        self.central = central

    def floor(self) -> Floor:
        now = self.clock.now()
        with self.store.session() as session:
            shown, past, near = cases.at_limit(session, self.centre_code, local_today(self.clock))
            return Floor(
                now,
                tuple(view.windows(session, self.centre_code, now)),
                tuple(view.lines(session, self.centre_code, policy_for(self.centre_code), now)),
                tuple(view.counters(session, self.centre_code, now)),
                tuple(shown), past, near,
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

    def accounts(self) -> list[tuple[str, str]]:
        """(user name, "name（role）") of the centre's active staff, for the unlock dialog."""
        with self.store.session() as session:
            found = session.exec(select(Staff).where(Staff.centre_code == self.centre_code, col(Staff.active))
                                 .order_by(col(Staff.username))).all()
            return [(s.username, f"{s.name}（{s.username}，{ROLES.get(s.role, s.role)}）") for s in found]

    def unlock_account(self, staff: SignedIn, username: str, reason: str) -> None:
        """Lift the lockout of ``username`` on every counter (it reaches the others by their pull)."""
        _require_supervisor(staff)
        self.bench.apply("floor.unlock_account", {"id": new_id(), "username": username, "reason": reason},
                         staff.staff_id)

    def enrol_code(self, staff: SignedIn, valid_hours: float = 24) -> EnrolCodeResponse:
        """A one-time code for a new counter, minted by the central store in the supervisor's name."""
        _require_supervisor(staff)
        req = EnrolCodeRequest(staff_id=staff.staff_id, session=open_proof(self.store, staff.staff_id),
                               valid_hours=valid_hours)
        return self._post("/enrol-code", req, EnrolCodeResponse, "未能发放登记码")

    def devices(self, staff: SignedIn) -> list[DeviceLine]:
        _require_supervisor(staff)
        req = SupervisorRequest(staff_id=staff.staff_id, session=open_proof(self.store, staff.staff_id))
        return self._post("/devices", req, DevicesResponse, "未能读取本中心设备").devices

    def notifications(self, staff: SignedIn) -> list[NotificationLine]:
        """Applicant messages of this centre that the sender left for a person to decide."""
        _require_supervisor(staff)
        req = SupervisorRequest(staff_id=staff.staff_id, session=open_proof(self.store, staff.staff_id))
        return self._post("/notifications", req, NotificationsResponse, "未能读取申请人通知").notifications

    def decide_notification(self, staff: SignedIn, notification_id: str, decision: str,
                            note: str = "") -> list[NotificationLine]:
        """Send one again (``resend``) or close it (``close``, with what was done instead)."""
        _require_supervisor(staff)
        req = NotificationDecision(staff_id=staff.staff_id, session=open_proof(self.store, staff.staff_id),
                                   id=notification_id, decision=decision, note=note)
        return self._post("/notifications/decide", req, NotificationsResponse, "未能处理该通知").notifications

    @property
    def central_url(self) -> str:
        """The central store a new counter enrols with: the one this counter talks to."""
        return self.central.base_url if self.central is not None else ""

    def own_device_id(self) -> str:
        """This counter's device id at the central store ("" before it is enrolled)."""
        with self.store.session() as session:
            return meta.get(session, meta.DEVICE_ID)

    def _post(self, path: str, body, model, failed: str):
        with self.store.session() as session:
            credential = meta.credential(session)
        if self.central is None or not (self.central.credential or credential):
            raise NoCentral("本机尚未登记到中心库：" + NOT_ENROLLED[path], "no central store")
        try:
            return self.central.post(FLOOR_PREFIX + path, body, model,
                                     credential=self.central.credential or credential)
        except Unreachable as exc:
            # The client's own wording ("已保存在本机，恢复后自动上传") fits queued actions; this
            # asks and keeps nothing, so the supervisor must simply try again.
            raise Unreachable(f"无法连接中心库，{failed}，请检查网络后再试", exc.detail) from exc
