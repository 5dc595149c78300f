"""The central store's floor API: what the supervisor's desk asks of the central host.

Minting an enrolment code used to need a shell there (``clerk enrol-code``); here the desk
asks for one in the supervisor's name, with the same device, staff and session checks as an
online call (clerk.central.queue_api). The code is made by the same code as the command's
and recorded as ``floor.enrol_code`` (its audit entry syncs to every counter). The applicant
messages that need a person (clerk.notify.decisions) are listed and decided here too: they
live on the central store only.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import Session, col, select

from clerk import mutation
from clerk.central import devices
from clerk.central.capture import captured
from clerk.central.queue_api import Bearer, answer, check_staff, device_context, device_of
from clerk.clock import Clock
from clerk.identity import mask_mobile
from clerk.ids import new_id
from clerk.notify import decisions as notify_decisions
from clerk.store.central_tables import Device, EnrolCode, Notification
from clerk.store.engine import Store
from clerk.store.operations import Case
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
from clerk.sync.protocol import API_PREFIX, ErrorBody

_ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 409, 413, 422)}


def floor_router(store: Store, clock: Clock) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX + FLOOR_PREFIX, tags=["floor"])

    @router.post("/enrol-code", response_model=EnrolCodeResponse, responses=_ERRORS)
    def enrol_code(req: EnrolCodeRequest, creds: Bearer):
        """A one-time code for enrolling a new counter of the supervisor's centre."""
        def work() -> EnrolCodeResponse:
            code = devices.new_code()
            with store.write() as session:
                device = _supervisor_device(session, creds, req)
                args = {"id": new_id(), "code_hash": devices.code_hash(code), "valid_hours": req.valid_hours}
                with captured(session, device.centre_code):
                    mutation.run(session, "floor.enrol_code", args, device_context(device, req.staff_id, clock))
                expires = session.get(EnrolCode, args["code_hash"]).expires_at
            return EnrolCodeResponse(code=code, expires_at=expires)
        return answer(work)

    @router.post("/devices", response_model=DevicesResponse, responses=_ERRORS)
    def list_devices(req: SupervisorRequest, creds: Bearer):
        """The counters enrolled for the supervisor's centre, oldest first."""
        def work() -> DevicesResponse:
            with store.session() as session:
                device = _supervisor_device(session, creds, req)
                found = session.exec(select(Device).where(Device.centre_code == device.centre_code)
                                     .order_by(col(Device.enrolled_at))).all()
                return DevicesResponse(devices=[_line(d) for d in found])
        return answer(work)

    @router.post("/notifications", response_model=NotificationsResponse, responses=_ERRORS)
    def notifications(req: SupervisorRequest, creds: Bearer):
        """The centre's applicant messages that wait for a person's decision."""
        def work() -> NotificationsResponse:
            with store.session() as session:
                return _notifications(session, _supervisor_device(session, creds, req, "floor.notification"))
        return answer(work)

    @router.post("/notifications/decide", response_model=NotificationsResponse, responses=_ERRORS)
    def decide_notification(req: NotificationDecision, creds: Bearer):
        """Send one again or close it, in the supervisor's name; answers with the list after."""
        def work() -> NotificationsResponse:
            with store.write() as session:
                device = _supervisor_device(session, creds, req, "floor.notification")
                args = {"id": new_id(), "notification_id": req.id, "decision": req.decision, "note": req.note}
                with captured(session, device.centre_code):
                    mutation.run(session, "floor.notification", args, device_context(device, req.staff_id, clock))
            with store.session() as session:
                return _notifications(session, device)
        return answer(work)

    return router


def _notifications(session: Session, device: Device) -> NotificationsResponse:
    found = notify_decisions.needing_a_person(session, device.centre_code)
    return NotificationsResponse(notifications=[_notification(n, c, item) for n, c, item in found])


def _notification(n: Notification, case: Case, item_name: str) -> NotificationLine:
    masked = _masked(n.channel, n.recipient)
    # The sender's reason may quote the address ("拒收收件人 …"): masked there too.
    return NotificationLine(id=n.id, case_id=case.id, acceptance_no=case.acceptance_no or "", item_name=item_name,
                            event=n.event, channel=n.channel, recipient=masked, state=n.state, attempts=n.attempts,
                            last_error=n.last_error.replace(n.recipient, masked), created_at=n.created_at)


def _masked(channel: str, recipient: str) -> str:
    if channel == "sms":
        return mask_mobile(recipient)
    name, _, domain = recipient.partition("@")
    return f"{name[:1]}***@{domain}"


def _supervisor_device(session: Session, creds, req: SupervisorRequest, action: str = "floor.enrol_code") -> Device:
    device = device_of(session, creds, req.schema_version)
    check_staff(session, device, req, action)  # supervisors only, signed in at this counter
    return device


def _line(d: Device) -> DeviceLine:
    return DeviceLine(id=d.id, name=d.name, enrolled_at=d.enrolled_at, last_seen_at=d.last_seen_at,
                      revoked=d.revoked_at is not None, band=d.band, clock_skew_ms=d.clock_skew_ms,
                      conflict_reason=d.conflict_reason if d.conflict_at else None)
