"""Reads the case handlers share: the case under a version check, its checklist, its item."""

from __future__ import annotations

from sqlmodel import Session, col, select

from clerk.calendar import WorkCalendar
from clerk.clock import local_time
from clerk.mutation import MutationContext, MutationRefused
from clerk.store.operations import Case, CaseMaterial
from clerk.store.reference import CalendarDay, Centre, ServiceItem, Staff


def today(ctx: MutationContext):
    return local_time(ctx.at).date()


def calendar(session: Session) -> WorkCalendar:
    return WorkCalendar.from_rows(session.exec(select(CalendarDay)).all())


def actor(session: Session, ctx: MutationContext) -> Staff:
    staff = session.get(Staff, ctx.actor_id) if ctx.actor_id else None
    if staff is None:
        raise MutationRefused("办件须由签到的工作人员操作")
    return staff


def case_for_update(session: Session, ctx: MutationContext, case_id: str, version: int,
                    back_office: bool = False) -> Case:
    """The case, if the actor may act on it and saw its latest version. Intake is the
    receiving centre's; what the back office and the chief decide (``back_office``) may also
    be done by the centre that decides the case (县事乡办).

    Read for update: two counters' pushes moving one case at the same moment (the chief
    approving while the clerk registers a withdrawal) would both pass the version check on
    PostgreSQL and the later write would replace the earlier; locked, the second waits and
    then finds the version moved."""
    case = session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise MutationRefused("找不到这个办件", f"unknown case {case_id}")
    staff = actor(session, ctx)
    allowed = (case.centre_code, case.back_office_centre) if back_office else (case.centre_code,)
    if staff.centre_code not in allowed:
        raise MutationRefused("这不是本中心的办件，不能办理")
    if case.version != version:
        raise MutationRefused(
            "该办件已被其他工作人员更新（可能在另一窗口），请刷新后再办理",
            f"case {case_id} is at version {case.version}, the action saw {version}",
        )
    case.version += 1
    return case


def back_office_of(session: Session, centre_code: str, item: ServiceItem) -> str:
    """Whose back office decides ``item`` taken in at ``centre_code``: for a township, its
    county centre when the item is the county's (县事乡办: its levels name the county), else
    the centre itself — a township's own items are decided by its own back office
    (“县乡两级后台分类办理”, 002)."""
    centre = session.get(Centre, centre_code)
    if centre is None or not centre.parent_code or "county" not in (item.levels or []):
        return centre_code
    return centre.parent_code


def rows(session: Session, case_id: str) -> list[CaseMaterial]:
    return list(session.exec(
        select(CaseMaterial).where(CaseMaterial.case_id == case_id).order_by(col(CaseMaterial.seq))
    ).all())


def live_item(session: Session, code: str) -> ServiceItem:
    """The item, refused when it is gone from the catalogue or withdrawn."""
    item = session.get(ServiceItem, code)
    if item is None or getattr(item, "withdrawn", False) or not getattr(item, "active", True):
        raise MutationRefused(f"事项 {code} 已从事项目录中撤销，不能再收件或受理")
    return item
