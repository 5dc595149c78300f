"""Reference data from human-edited TOML files: validated on load, installed into a store.

Layout of a fixtures folder::

    departments.toml         [[department]] code, name, doc_code, review_organ, court
    items/<code>.toml        one service item with its [[materials]] (fields: ItemRecord)
    centres/<code>.toml      [centre] (with doc_code, seal_name), [[lines]], [[windows]],
                             [[hours]] (opening hours: days, opens, closes, lunch, lines)
    staff.toml               [[staff]] (demo passwords, hashed on install)
    holidays/<year>.toml     [[days]] for years chinese-calendar does not know
    authorisations.toml      [[authorisation]] chief, department, final_items, review_items,
                             valid_from, expires, deputy (003 首席代表授权委托书; optional file)

Every error names the file, the record and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clerk.errors import UserFacingError
from clerk.identity import validate_mobile
from clerk.store.reference import ROLES

ItemKind = Literal["行政许可", "行政确认", "行政给付", "行政裁决", "行政奖励", "其他行政权力", "公共服务"]
WindowKind = Literal["general", "domain", "specialist", "green", "cross_region", "complaint", "delivery", "consult"]
MaterialForm = Literal["原件", "复印件", "原件和复印件", "电子证照", "原件或电子证照"]
CaseType = Literal["即办件", "承诺件", "联办件", "报批件", "特办件"]
"""即办件 done on the spot; 承诺件 within the promised limit; 联办件 with other departments
(行政许可法 Art 26, 45 working days); 报批件 decided by a higher level; 特办件 special handling."""
ExemptWay = Literal["data_sharing", "e_licence", "online"]
"""How a material may be 免提交: obtained through data sharing, an electronic licence, or
already submitted online (the keys the checklist uses)."""
Level = Literal["county", "township"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DepartmentRecord(_Record):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    doc_code: str = Field(min_length=1, max_length=8)
    """The short code that opens the department's document numbers (示范县市监不许〔2026〕3号)."""
    review_organ: str = Field(min_length=1)
    """Where a refusal may be reviewed (行政复议法 Art 24: the county people's government for
    its departments; vertical agencies go to their superior, Art 27)."""
    court: str = Field(min_length=1)
    """Where a refusal may be sued (行政诉讼法 Art 18)."""
    seal_name: str = ""
    """The seal its decisions carry at county level (NOTICES.md); empty: ``<name>行政审批专用章``."""


class MaterialRecord(_Record):
    name: str = Field(min_length=1)
    form: MaterialForm
    copies: int = Field(default=1, ge=0)
    required: bool = True
    deferrable: bool = False
    source: str = "申请人自备"
    standard: str = ""
    exempt_ways: list[ExemptWay] = []
    """The ways this material may be 免提交 (empty: it must be handed in)."""

    @model_validator(mode="after")
    def _no_vague_names(self) -> MaterialRecord:
        # 002 第十七条: a guide may not ask for "其他材料"; every material is named.
        if "其他" in self.name and "材料" in self.name:
            raise ValueError("材料名称不得为笼统的“其他材料”，须写明具体材料")
        if len(set(self.exempt_ways)) != len(self.exempt_ways):
            raise ValueError("免提交方式 exempt_ways 重复")
        return self


class ItemRecord(_Record):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: ItemKind
    case_type: CaseType
    department: str
    levels: list[Level] = Field(default=["county"], min_length=1)
    """Which centres take it in: county 政务服务中心, township 便民服务中心, or both."""
    guide_version: str = Field(default="1", min_length=1)
    """The edition of the guide; a case records the one it was taken under."""
    aliases: list[str] = []
    """Everyday names the search also finds (低保 → 最低生活保障)."""
    legal_limit_days: int = Field(ge=0)
    promised_limit_days: int = Field(ge=0)
    fee: str = "不收费"
    fee_basis: str = ""
    """The rule that sets the fee; required when there is one."""
    commitment_allowed: bool = False
    commitment_exclusions: list[str] = []
    """Situations where 告知承诺 is not offered even though the item allows it."""
    deferral_allowed: bool = False
    review_first: bool = False
    """复议前置 (行政复议法 Art 23): review must come before a lawsuit."""
    basis: str = Field(min_length=1)
    conditions: str = ""
    materials: list[MaterialRecord] = Field(min_length=1)

    @model_validator(mode="after")
    def _limits(self) -> ItemRecord:
        if self.promised_limit_days > self.legal_limit_days:
            raise ValueError("承诺时限不得长于法定时限")
        if self.case_type == "即办件" and self.promised_limit_days > 1:
            raise ValueError("即办件的承诺时限应为 0 或 1 个工作日")
        if any(m.deferrable for m in self.materials) and not self.deferral_allowed:
            raise ValueError("有可容缺材料的事项须设 deferral_allowed = true")
        if self.deferral_allowed and not any(m.deferrable for m in self.materials):
            raise ValueError("deferral_allowed = true 的事项须至少有一项 deferrable = true 的材料")
        if self.commitment_exclusions and not self.commitment_allowed:
            raise ValueError("未实行告知承诺（commitment_allowed = false）的事项不应写 commitment_exclusions")
        if self.fee != "不收费" and not self.fee_basis:
            raise ValueError("收费事项须写明收费依据 fee_basis")
        names = [m.name for m in self.materials]
        if len(set(names)) != len(names):
            raise ValueError("材料名称重复")
        if len(set(self.aliases)) != len(self.aliases) or self.name in self.aliases:
            raise ValueError("别名 aliases 重复或与事项名称相同")
        return self


class SlotRecord(_Record):
    """A line's booking slots on one weekday: ``[[lines.slots]]``."""

    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(min_length=1)
    """1 = Monday … 7 = Sunday; the working-day calendar still closes holidays and weekends."""
    start: time
    end: time
    minutes: int = Field(ge=5, le=240)
    capacity: int = Field(ge=1, le=500)

    @model_validator(mode="after")
    def _fits(self) -> SlotRecord:
        if self.end <= self.start:
            raise ValueError("预约时段的结束时间 end 必须晚于开始时间 start")
        return self


class LineRecord(_Record):
    letter: str = Field(pattern=r"^[A-Z]$")
    name: str = Field(min_length=1)
    booking_only: bool = False
    """Refused when true: walk-ins are always served, no line may require a booking (000, 001)."""
    slots: list[SlotRecord] = []

    @model_validator(mode="after")
    def _walk_ins_served(self) -> LineRecord:
        if self.booking_only:
            raise ValueError("不得设置为“仅限预约”：现场取号必须始终可以办理，预约只是可选渠道（不得强制先预约）")
        return self


class WindowRecord(_Record):
    number: int = Field(ge=1)
    name: str = Field(min_length=1)
    kind: WindowKind
    lines: list[str] = []


HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
DayKey = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class HoursRecord(_Record):
    """One opening-hours rule of a centre (clerk.hours): on ``days``, from ``opens`` to
    ``closes``; a lunch break, and the windows that stay open through it (午间不间断);
    ``lines`` limits the rule to those lines (周六个人高频事项)."""

    days: list[DayKey] = Field(min_length=1)
    opens: str = Field(pattern=HHMM)
    closes: str = Field(pattern=HHMM)
    lunch_from: str = Field(default="", pattern=f"{HHMM}|^$")
    lunch_to: str = Field(default="", pattern=f"{HHMM}|^$")
    lunch_windows: list[int] = []
    lines: list[str] = []

    @model_validator(mode="after")
    def _times_in_order(self) -> HoursRecord:
        if self.opens >= self.closes:
            raise ValueError(f"开始时间 opens（{self.opens}）须早于结束时间 closes（{self.closes}）")
        if bool(self.lunch_from) != bool(self.lunch_to):
            raise ValueError("午休须同时写 lunch_from 和 lunch_to")
        if self.lunch_from and not self.opens < self.lunch_from < self.lunch_to < self.closes:
            raise ValueError(f"午休 {self.lunch_from}–{self.lunch_to} 须在办公时间 {self.opens}–{self.closes} 之内")
        if self.lunch_windows and not self.lunch_from:
            raise ValueError("写了午间值守窗口 lunch_windows 须同时写午休时间 lunch_from、lunch_to")
        if len(set(self.days)) != len(self.days):
            raise ValueError("days 中有重复的日子")
        return self


class CentreInfo(_Record):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    level: Level
    doc_code: str = Field(min_length=1, max_length=8)
    """The short code that opens the centre's document numbers (示范县政服受〔2026〕37号)."""
    address: str = ""
    phone: str = ""
    supervision_phone: str = ""
    parent_code: str = ""
    """A township's county centre (its back office decides the township's cases)."""
    seal_name: str = Field(min_length=1)
    """The seal line of the centre's level (NOTICES.md: county and city, the 行政审批专用章;
    a township, "XX镇(街道)便民服务中心审核审批专用章")."""

    @model_validator(mode="after")
    def _seal_of_level(self) -> CentreInfo:
        if self.level == "township" and not self.seal_name.endswith("便民服务中心审核审批专用章"):
            raise ValueError("镇（街道）中心的印章 seal_name 应为“XX镇(街道)便民服务中心审核审批专用章”")
        return self


class CentreRecord(_Record):
    centre: CentreInfo
    lines: list[LineRecord] = Field(min_length=1)
    windows: list[WindowRecord] = Field(min_length=1)
    hours: list[HoursRecord] = []
    """Empty: no opening hours are known, the kiosk issues at any time."""

    @model_validator(mode="after")
    def _lines_exist(self) -> CentreRecord:
        letters = [line.letter for line in self.lines]
        if len(set(letters)) != len(letters):
            raise ValueError("业务类别字母重复")
        numbers = [w.number for w in self.windows]
        if len(set(numbers)) != len(numbers):
            raise ValueError("窗口号重复")
        for i, w in enumerate(self.windows, start=1):
            unknown = set(w.lines) - set(letters)
            if unknown:
                raise ValueError(f"windows 第{i}条（{w.number}号窗口）的字段 lines 引用了不存在的业务类别 {sorted(unknown)}")
        _check_hours(self.hours, set(letters), set(numbers))
        return self


def _check_hours(hours: list[HoursRecord], letters: set[str], windows: set[int]) -> None:
    """Rules name real lines and windows, and no day has two rules for the same lines."""
    seen: dict[tuple[str, str], int] = {}
    for i, h in enumerate(hours, start=1):
        if unknown := set(h.lines) - letters:
            raise ValueError(f"hours 第{i}条的字段 lines 引用了不存在的业务类别 {sorted(unknown)}")
        if unknown := set(h.lunch_windows) - windows:
            raise ValueError(f"hours 第{i}条的字段 lunch_windows 引用了不存在的窗口 {sorted(unknown)}")
        for day in h.days:
            for scope in h.lines or ["*"]:
                if (day, scope) in seen:
                    what = "整个中心" if scope == "*" else f"业务类别 {scope}"
                    raise ValueError(f"hours 第{i}条与第{seen[(day, scope)]}条在 {day} 对{what}重复")
                seen[(day, scope)] = i


class StaffRecord(_Record):
    username: str = Field(pattern=r"^[a-z0-9_.-]{2,32}$")
    name: str = Field(min_length=1)
    role: Literal["clerk", "chief", "supervisor", "reviewer", "head"]
    centre: str
    department: str | None = None
    phone: str = ""
    password: str = Field(min_length=8)

    @model_validator(mode="after")
    def _role_needs(self) -> StaffRecord:
        if self.role in ("chief", "reviewer", "head") and not self.department:
            raise ValueError(f"{ROLES[self.role]}须指定所属部门 department")
        if self.phone and not validate_mobile(self.phone).valid:
            raise ValueError(f"手机号码 {self.phone} 不正确")
        return self


class AuthorisationRecord(_Record):
    """One 首席代表授权委托书: what the chief signs at the window, and until when."""

    chief: str = Field(min_length=1)
    department: str = Field(min_length=1)
    final_items: list[str] = []
    """Items the chief approves with final effect (即办件 approvals, refusals, returns)."""
    review_items: list[str] = []
    """Items the chief only pre-reviews or coordinates; the department decides them."""
    valid_from: date
    expires: date
    deputy: str | None = None
    """Who signs under this authorisation while the chief is absent."""
    document: str = ""

    @model_validator(mode="after")
    def _dates_and_items(self) -> AuthorisationRecord:
        if self.expires < self.valid_from:
            raise ValueError(f"到期日 expires（{self.expires}）早于生效日 valid_from（{self.valid_from}）")
        if not self.final_items and not self.review_items:
            raise ValueError("授权须至少列出一个事项（final_items 或 review_items）")
        both = set(self.final_items) & set(self.review_items)
        if both:
            raise ValueError(f"事项 {sorted(both)} 不能同时列在 final_items 和 review_items 中")
        if self.deputy == self.chief:
            raise ValueError("代理人 deputy 不能是首席代表本人")
        return self


class HolidayDay(_Record):
    date: date
    workday: bool
    name: str = ""


class HolidayTable(_Record):
    year: int
    source: str = ""
    days: list[HolidayDay]

    @model_validator(mode="after")
    def _same_year(self) -> HolidayTable:
        for d in self.days:
            if d.date.year != self.year:
                raise ValueError(f"{d.date} 不在 {self.year} 年内")
        return self


@dataclass
class FixtureSet:
    departments: list[DepartmentRecord] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    centres: list[CentreRecord] = field(default_factory=list)
    staff: list[StaffRecord] = field(default_factory=list)
    holidays: list[HolidayTable] = field(default_factory=list)
    authorisations: list[AuthorisationRecord] = field(default_factory=list)


class FixtureError(UserFacingError):
    """A fixture file is malformed; the message names file, record and field."""


def load_fixtures(folder: Path) -> FixtureSet:
    """Read and validate every fixture file under ``folder``."""
    if not folder.is_dir():
        raise FixtureError(f"找不到基础数据目录：{folder}")
    fs = FixtureSet()
    fs.departments = _load_list(folder / "departments.toml", "department", DepartmentRecord)
    fs.staff = _load_list(folder / "staff.toml", "staff", StaffRecord)
    item_files = sorted((folder / "items").glob("*.toml"))
    fs.items = [_load_one(p, ItemRecord) for p in item_files]
    fs.centres = [_load_one(p, CentreRecord) for p in sorted((folder / "centres").glob("*.toml"))]
    fs.holidays = [_load_one(p, HolidayTable) for p in sorted((folder / "holidays").glob("*.toml"))]
    auth_file = folder / "authorisations.toml"
    if auth_file.exists():
        fs.authorisations = _load_list(auth_file, "authorisation", AuthorisationRecord)
    _check_references(fs, item_files)
    _check_authorisations(fs, auth_file)
    return fs


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"缺少基础数据文件：{path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FixtureError(f"基础数据文件格式错误：{path}（{exc}）", str(exc)) from exc


def _load_one(path: Path, model: type[_Record]):
    data = _read(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FixtureError(_describe(exc, path, _label(data)), str(exc)) from exc


def _label(data: dict) -> str | None:
    """The record a one-record file holds, as a person names it: 事项 CODE 名称."""
    if "materials" in data:
        return f"事项 {data.get('code', '')} {data.get('name', '')}".strip()
    centre = data.get("centre")
    if isinstance(centre, dict):
        return f"中心 {centre.get('code', '')}".strip()
    return None


def _load_list(path: Path, key: str, model: type[_Record]) -> list:
    rows = _read(path).get(key, [])
    out = []
    for i, row in enumerate(rows, start=1):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            label = row.get("code") or row.get("username") or row.get("name") or row.get("chief") or ""
            raise FixtureError(_describe(exc, path, f"第{i}条 [[{key}]] {label}".strip()), str(exc)) from exc
    return out


def _describe(exc: ValidationError, path: Path, record: str | None) -> str:
    parts = []
    for err in exc.errors():
        loc = _location(err["loc"])
        parts.append(f"字段 {loc}：{_chinese_reason(err)}")
    where = f"{path}" + (f" 的{record}" if record else "")
    return f"基础数据有误：{where}，" + "；".join(parts)


def _location(loc: tuple) -> str:
    """``windows.4.number`` → ``windows 第5条 number``: people count records from 1."""
    parts = [f"第{p + 1}条" if isinstance(p, int) else str(p) for p in loc]
    return " ".join(parts) or "(整条记录)"


def _chinese_reason(err: dict) -> str:
    kind = err["type"]
    if kind == "missing":
        return "缺少此项"
    if kind == "extra_forbidden":
        return "不认识的字段"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"].startswith(HHMM):
        return f"时间 {err.get('input')!r} 应写成 HH:MM（如 08:30）"
    if kind == "literal_error":
        return f"取值 {err.get('input')!r} 不在允许范围内（{err['ctx']['expected']}）"
    return f"取值 {err.get('input')!r} 不正确（{err['msg']}）"


def _check_references(fs: FixtureSet, item_files: list[Path]) -> None:
    depts = {d.code for d in fs.departments}
    centres = {c.centre.code for c in fs.centres}
    seen: dict[str, Path] = {}
    for item, path in zip(fs.items, item_files, strict=True):
        if item.department not in depts:
            raise FixtureError(f"基础数据有误：{path} 的事项 {item.code} {item.name}，字段 department：部门 {item.department!r} 不存在")
        if item.code in seen:
            raise FixtureError(f"基础数据有误：{path} 的字段 code：事项编码 {item.code} 与 {seen[item.code]} 重复")
        seen[item.code] = path
    for s in fs.staff:
        if s.centre not in centres:
            raise FixtureError(f"基础数据有误：staff.toml 的工作人员 {s.username} 的字段 centre：中心 {s.centre!r} 不存在")
        if s.department and s.department not in depts:
            raise FixtureError(f"基础数据有误：staff.toml 的工作人员 {s.username} 的字段 department：部门 {s.department!r} 不存在")
    _unique([s.username for s in fs.staff], "工作人员用户名")


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise FixtureError(f"基础数据有误：{what} {v} 重复")
        seen.add(v)


def _check_authorisations(fs: FixtureSet, path: Path) -> None:
    """Each authorisation names a chief of its department and items of that department."""
    staff = {s.username: s for s in fs.staff}
    items = {i.code: i for i in fs.items}
    for n, a in enumerate(fs.authorisations, start=1):
        where = f"基础数据有误：{path} 的第{n}条 [[authorisation]] {a.chief}"
        chief = staff.get(a.chief)
        if chief is None or chief.role != "chief":
            raise FixtureError(f"{where}，字段 chief：{a.chief!r} 不是首席事务代表")
        if a.department != chief.department:
            raise FixtureError(f"{where}，字段 department：{a.department!r} 不是该首席代表所属的部门")
        if a.deputy is not None and a.deputy not in staff:
            raise FixtureError(f"{where}，字段 deputy：工作人员 {a.deputy!r} 不存在")
        for fld in ("final_items", "review_items"):
            for code in getattr(a, fld):
                item = items.get(code)
                if item is None:
                    raise FixtureError(f"{where}，字段 {fld}：事项 {code!r} 不存在")
                if item.department != a.department:
                    raise FixtureError(f"{where}，字段 {fld}：事项 {code} 不属于部门 {a.department}")
