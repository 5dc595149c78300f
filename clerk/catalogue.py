"""The service-item catalogue (事项目录): search by name, pinyin initials or code, and item guides."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from sqlalchemy import or_
from sqlmodel import Session, col, select

from clerk.store.reference import Department, ItemMaterial, ServiceItem


def search_key(name: str, code: str) -> str:
    """What the search matches against: name, its pinyin initials and the code, lower-case.

    ``个体工商户设立登记`` gives ``个体工商户设立登记 gtgshsldj <code>``, so typing
    ``gtgsh`` finds it.
    """
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return f"{name} {initials} {code.lower()}"


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    kind: str
    case_type: str
    department: str
    promised_limit_days: int


@dataclass(frozen=True)
class MaterialLine:
    seq: int
    name: str
    form: str
    copies: int
    required: bool
    deferrable: bool
    source: str
    standard: str


@dataclass(frozen=True)
class ItemGuide:
    code: str
    name: str
    kind: str
    case_type: str
    department: str
    legal_limit_days: int
    promised_limit_days: int
    fee: str
    commitment_allowed: bool
    deferral_allowed: bool
    basis: str
    conditions: str
    materials: tuple[MaterialLine, ...]


def search(session: Session, text: str, limit: int = 200) -> list[ItemSummary]:
    """Items whose name, pinyin initials or code contain every word of ``text``."""
    query = (
        select(ServiceItem, Department.name)
        .join(Department, col(Department.code) == col(ServiceItem.department_code))
        .order_by(col(ServiceItem.name))
        .limit(limit)
    )
    for word in text.lower().split():
        query = query.where(or_(col(ServiceItem.search_key).contains(word, autoescape=True)))
    return [
        ItemSummary(i.code, i.name, i.kind, i.case_type, dept, i.promised_limit_days)
        for i, dept in session.exec(query)
    ]


def guide(session: Session, code: str) -> ItemGuide | None:
    item = session.get(ServiceItem, code)
    if item is None:
        return None
    dept = session.get(Department, item.department_code)
    materials = session.exec(
        select(ItemMaterial).where(ItemMaterial.item_code == code).order_by(col(ItemMaterial.seq))
    )
    return ItemGuide(
        code=item.code,
        name=item.name,
        kind=item.kind,
        case_type=item.case_type,
        department=dept.name if dept else item.department_code,
        legal_limit_days=item.legal_limit_days,
        promised_limit_days=item.promised_limit_days,
        fee=item.fee,
        commitment_allowed=item.commitment_allowed,
        deferral_allowed=item.deferral_allowed,
        basis=item.basis,
        conditions=item.conditions,
        materials=tuple(
            MaterialLine(m.seq, m.name, m.form, m.copies, m.required, m.deferrable, m.source, m.standard)
            for m in materials
        ),
    )
