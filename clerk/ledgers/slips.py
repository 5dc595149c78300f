"""The ledgers' papers as plain data: 指路单 for a referral, 交办单 for an assignment,
督办单 for an overdue entry (clerk.papers.content; printing/ lays them out)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from clerk.clock import local_time
from clerk.identity import mask_mobile
from clerk.ledgers.classes import COMPLAINT_CLASS_LABELS, LEGAL_LABEL, channel_label
from clerk.ledgers.steps import detail
from clerk.papers import content as c
from clerk.papers.kinds import kind
from clerk.store.ledger_tables import LedgerEntry
from clerk.store.reference import Centre, ServiceItem, Staff, Window

GUIDE_URL = "/guide/"
"""The item's guide on the central store's public pages (the QR code of a 指路单)."""


def office(session: Session, centre_code: str) -> c.Office:
    centre = session.get(Centre, centre_code)
    name = centre.name if centre else centre_code
    return c.Office(centre_name=name, seal_line=(centre.seal_name if centre else "") or f"{name}（业务专用章）",
                    address=centre.address if centre else "", phone=centre.phone if centre else "",
                    supervision_phone=centre.supervision_phone if centre else "")


def doc_no(centre_code: str, paper_kind: str, entry: LedgerEntry, n: int, on: date) -> str:
    """Unique per kind, entry and copy: the entry number is already unique across counters."""
    tail = entry.entry_no.rsplit("-", 1)[-1]
    return f"{centre_code.upper()}{kind(paper_kind).type_code}〔{on.year}〕{tail}-{n}号"


def _handler(session: Session, staff_id: str | None, window_id: str | None) -> c.Handler:
    staff = session.get(Staff, staff_id) if staff_id else None
    window = session.get(Window, window_id) if window_id else None
    return c.Handler(name=staff.name if staff else "", work_phone=staff.phone if staff else "",
                     window=window.name if window else "")


def _item(session: Session, entry: LedgerEntry) -> ServiceItem | None:
    return session.get(ServiceItem, entry.item_code) if entry.item_code else None


def guidance_slip(session: Session, entry: LedgerEntry, at: datetime, base_url: str = "") -> c.Paper:
    """The 指路单 of the entry's latest referral."""
    referral = detail(entry)["referrals"][-1]
    item = _item(session, entry)
    officer = _handler(session, entry.owner_id, entry.window_id)
    body = c.GuidanceSlipBody(
        destination=c.Destination(place=referral["place"], address=referral.get("address", ""),
                                  phone=referral.get("phone", "")),
        reason=referral["reason"], bring=tuple(referral.get("bring", ())), officer=officer, at=at,
        guide_url=f"{base_url}{GUIDE_URL}{item.code}" if item else "",
    )
    n = len(detail(entry)["referrals"])
    on = local_time(at).date()
    return c.Paper(doc_no=doc_no(entry.centre_code, "guidance_slip", entry, n, on), issued_on=on,
                   office=office(session, entry.centre_code), item_name=item.name if item else "",
                   item_code=item.code if item else "", handler=officer, body=body)


def assignment_slip(session: Session, entry: LedgerEntry, at: datetime, n: int) -> c.Paper:
    assignee = session.get(Staff, entry.assignee_id) if entry.assignee_id else None
    item = _item(session, entry)
    on = local_time(at).date()
    body = c.AssignmentSlipBody(
        entry_no=entry.entry_no, registered_at=entry.registered_at,
        channel=channel_label(entry.channel), person=entry.person or "（未留姓名）",
        contact=mask_mobile(entry.contact) if entry.contact else "", matter=entry.matter or (item.name if item else ""),
        description=entry.description, category=LEGAL_LABEL if entry.legal else
        COMPLAINT_CLASS_LABELS.get(entry.class_code, ""), unit=entry.unit, owner=assignee.name if assignee else "",
        due=entry.due_date or on,
    )
    return c.Paper(doc_no=doc_no(entry.centre_code, "assignment_slip", entry, n, on), issued_on=on,
                   office=office(session, entry.centre_code), handler=_handler(session, entry.registered_by,
                                                                               entry.window_id),
                   provisional_dates=entry.due_provisional, body=body)


def supervision_slip(session: Session, entry: LedgerEntry, at: datetime, days_over: int, n: int) -> c.Paper:
    supervision = detail(entry)["supervision"]
    supervisor = session.get(Staff, supervision["by"]) if supervision.get("by") else None
    assignee = session.get(Staff, entry.assignee_id) if entry.assignee_id else None
    owner = assignee or session.get(Staff, entry.owner_id)
    on = local_time(at).date()
    body = c.SupervisionSlipBody(
        entry_no=entry.entry_no, registered_at=entry.registered_at, matter=entry.matter or entry.description,
        unit=entry.unit or "（未交办）", owner=owner.name if owner else "", due=entry.due_date or on,
        days_over=days_over, supervisor=supervisor.name if supervisor else "", demand=supervision["demand"],
    )
    return c.Paper(doc_no=doc_no(entry.centre_code, "supervision_slip", entry, n, on), issued_on=on,
                   office=office(session, entry.centre_code), handler=_handler(session, supervision.get("by"), None),
                   body=body)
