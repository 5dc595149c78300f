"""The service-item catalogue (事项目录): search by name, alias, pinyin or code, and item guides.

The pinyin is computed once, when reference data is installed (:func:`search_key`), and
travels in ``service_item.search_key``: a search is a plain substring match, so a counter
never imports pypinyin (half a second at start-up) to answer one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from clerk.store.reference import Department, ItemMaterial, ServiceItem


def search_key(name: str, code: str, aliases: Iterable[str] = ()) -> str:
    """What the search matches against, lower-case: the name and every alias, each with its
    pinyin initials and its full pinyin, and the code.

    ``个体工商户设立登记`` gives ``个体工商户设立登记 gtgshsldj getigongshanghusheli… <code>``,
    so typing ``gtgsh`` or ``getigongshanghu`` finds it.
    """
    from pypinyin import Style, lazy_pinyin  # only where reference data is installed

    parts: list[str] = []
    for words in (name, *aliases):
        initials = "".join(lazy_pinyin(words, style=Style.FIRST_LETTER, errors="ignore"))
        full = "".join(lazy_pinyin(words, errors="ignore"))
        parts += [words, initials, full]
    parts.append(code)
    return " ".join(p.lower() for p in parts if p)


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
    exempt_ways: tuple[str, ...] = ()


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
    fee_basis: str = ""
    commitment_exclusions: tuple[str, ...] = ()
    review_first: bool = False
    guide_version: str = "1"
    aliases: tuple[str, ...] = ()


class Index:
    """Every item's summary and search key, in memory: a keystroke's search is a scan of a
    few thousand short strings (well under a millisecond for 3,000 items), with no database
    round trip and no ORM objects. Built once when the catalogue opens (:func:`load_index`)."""

    def __init__(self, rows: list[tuple[ItemSummary, str]]) -> None:
        self._rows = sorted(rows, key=lambda r: r[0].name)

    def __len__(self) -> int:
        return len(self._rows)

    def search(self, text: str, limit: int = 200) -> list[ItemSummary]:
        """Items whose name, an alias, their pinyin (initials or full) or code contain every
        word of ``text``; those whose name holds the words come first, then by name."""
        words = text.lower().split()
        found = [(item, key) for item, key in self._rows if all(w in key for w in words)]
        if words:
            found.sort(key=lambda r: not all(w in r[0].name.lower() for w in words))  # stable
        return [item for item, _key in found[:limit]]


def load_index(session: Session) -> Index:
    query = select(
        ServiceItem.code, ServiceItem.name, ServiceItem.kind, ServiceItem.case_type, Department.name,
        ServiceItem.promised_limit_days, ServiceItem.search_key,
    ).join(Department, col(Department.code) == col(ServiceItem.department_code))
    return Index([(ItemSummary(*row[:6]), row[6]) for row in session.exec(query)])


def search(session: Session, text: str, limit: int = 200) -> list[ItemSummary]:
    """One search without keeping an index (see :class:`Index`)."""
    return load_index(session).search(text, limit)


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
            MaterialLine(m.seq, m.name, m.form, m.copies, m.required, m.deferrable, m.source, m.standard,
                         tuple(m.exempt_ways))
            for m in materials
        ),
        fee_basis=item.fee_basis,
        commitment_exclusions=tuple(item.commitment_exclusions),
        review_first=item.review_first,
        guide_version=item.guide_version,
        aliases=tuple(item.aliases),
    )
