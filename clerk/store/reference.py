"""Reference data: flows down from the central store; the counter works with its last copy."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

# Window kinds of PRODUCT.md §1; the Chinese label is what the clerk sees.
WINDOW_KINDS = {
    "general": "无差别综合",
    "domain": "分领域综合",
    "specialist": "专业",
    "green": "绿色通道·帮办代办",
    "cross_region": "跨域通办",
    "complaint": "办不成事反映",
    "delivery": "出件",
    "consult": "咨询",
}

ROLES = {"clerk": "窗口工作人员", "chief": "首席事务代表", "supervisor": "值班长",
         "reviewer": "后台审查人员", "head": "部门负责人"}
STAFF_ROLES = frozenset(ROLES)
"""For actions only a signed-in staff member makes (not the kiosk): the actor may not be empty."""
BACK_OFFICE_ROLES = frozenset({"reviewer", "head", "chief"})
"""Who reviews, checks and decides in a department's back office (一审一核): its staff and
its chief representative; only the head approves an extension."""


class Centre(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name: str
    level: str  # "county" | "township"
    parent_code: str = ""
    """A township's county centre, whose departments' back offices decide the cases it
    takes in (002 县事乡办); empty for a county centre."""
    address: str = ""
    phone: str = ""
    supervision_phone: str = ""
    seal_name: str = ""
    """The seal line printed on the centre's papers (of its level: NOTICES.md)."""
    doc_code: str = ""
    """Opens the document numbers of the centre's papers: 示范县政服受〔2026〕37号."""


class Department(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name: str
    doc_code: str = ""
    """Opens the department's document numbers (decisions: 示范县市监不许〔2026〕3号)."""
    review_organ: str = ""
    """行政复议 organ named in a refusal's rights paragraph."""
    court: str = ""
    """行政诉讼 court named in a refusal's rights paragraph."""
    seal_name: str = ""
    """The seal on its decision papers above a township (empty: ``<name>行政审批专用章``)."""


class ServiceLine(SQLModel, table=True):
    __tablename__ = "service_line"
    id: str = Field(primary_key=True)  # "<centre>:<letter>"
    centre_code: str = Field(foreign_key="centre.code", index=True)
    letter: str
    name: str


class Window(SQLModel, table=True):
    id: str = Field(primary_key=True)  # "<centre>:<number>"
    centre_code: str = Field(foreign_key="centre.code", index=True)
    number: int
    name: str
    kind: str


class WindowLine(SQLModel, table=True):
    __tablename__ = "window_line"
    window_id: str = Field(foreign_key="window.id", primary_key=True)
    line_id: str = Field(foreign_key="service_line.id", primary_key=True)


class Staff(SQLModel, table=True):
    id: str = Field(primary_key=True)
    username: str = Field(unique=True, index=True)
    name: str
    role: str  # key of ROLES
    centre_code: str = Field(foreign_key="centre.code")
    department_code: str | None = Field(default=None, foreign_key="department.code")
    phone: str = ""
    password_hash: str
    signing_key: str | None = None
    """Public key and salt for signed sign-ins (clerk.credentials). None only in rows from
    before it existed: that person cannot sign in until the staff data is published again."""
    active: bool = True


class ServiceItem(SQLModel, table=True):
    __tablename__ = "service_item"
    code: str = Field(primary_key=True)
    name: str
    kind: str  # 行政许可 / 行政确认 / 行政给付 / 公共服务 …
    case_type: str  # 即办件 / 承诺件 / 联办件 / 报批件 / 特办件
    department_code: str = Field(foreign_key="department.code")
    legal_limit_days: int  # 法定时限, working days
    promised_limit_days: int  # 承诺时限, working days
    fee: str = "不收费"
    fee_basis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    commitment_allowed: bool = False  # 告知承诺
    commitment_exclusions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    """Situations where 告知承诺 is not offered though the item allows it (shown to the clerk)."""
    deferral_allowed: bool = False  # 容缺受理
    review_first: bool = False  # 复议前置 (行政复议法 Art 23)
    basis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    """Legal basis (设定依据 / 实施依据)."""
    conditions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    guide_version: str = "1"
    """The guide's edition; a case records the one it was taken under."""
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    levels: list[str] = Field(default_factory=lambda: ["county"], sa_column=Column(JSON, nullable=False, default=list))
    """Centre levels that take the item in: "county", "township"."""
    search_key: str = Field(default="", index=True)
    """Lower-case name and aliases, their pinyin initials and full pinyin, and the code:
    computed when reference data is installed, so a counter never needs pypinyin."""


class ItemMaterial(SQLModel, table=True):
    __tablename__ = "item_material"
    id: str = Field(primary_key=True)  # "<item>:<seq>"
    item_code: str = Field(foreign_key="service_item.code", index=True)
    seq: int
    name: str
    form: str  # 原件 / 复印件 / 原件和复印件 / 电子证照
    copies: int = 1
    required: bool = True
    deferrable: bool = False  # 可容缺
    source: str = ""  # 申请人自备 / 政府部门核发 …
    standard: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    exempt_ways: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    """Ways it may be 免提交: "data_sharing", "e_licence", "online"."""


class CalendarDay(SQLModel, table=True):
    """A holiday-table entry for a year chinese-calendar does not know yet."""

    __tablename__ = "calendar_day"
    day: date = Field(primary_key=True)
    workday: bool
    name: str = ""


class OpeningHours(SQLModel, table=True):
    """One opening-hours rule of a centre (clerk.hours.rules.HoursRule); times are "HH:MM"."""

    __tablename__ = "opening_hours"
    id: str = Field(primary_key=True)  # "<centre>:<n>", n counting the file's rules from 1
    centre_code: str = Field(foreign_key="centre.code", index=True)
    days: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    opens: str
    closes: str
    lunch_from: str = ""
    lunch_to: str = ""
    lunch_windows: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    lines: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    """Line letters the rule is for; empty: the whole centre."""
