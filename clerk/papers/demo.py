"""One paper of every kind filled with a centre's reference data, for proofing before opening day.

Names, phones, seal lines, document codes, windows, items and the review organ and court of
the refusals' rights paragraph come from the fixture files, so a centre sees its own
papers; the applicant is a made-up demo person (and company). Every number is a specimen
number (sequence 1): intake papers carry the centre's document code, decisions the
department's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from clerk.calendar import WorkCalendar
from clerk.cases.papers import decision_seal
from clerk.clock import LOCAL_TZ
from clerk.errors import UserFacingError
from clerk.fixtures import (
    CentreRecord,
    DepartmentRecord,
    FixtureSet,
    ItemRecord,
    MaterialRecord,
    StaffRecord,
)
from clerk.papers import content as c
from clerk.papers.kinds import KINDS

DECISIONS = frozenset(k.code for k in KINDS.values() if k.decision)
"""Papers the department decides (numbered with its code); the rest are the centre's."""
ART_32 = "《中华人民共和国行政许可法》第三十二条"
PUBLIC_URL = "https://zwfw.example.cn/c/7Qx3vK9mTa"
GUIDE_URL = "https://zwfw.example.cn/guide/"

PERSON = c.Party(kind="person", name="陈国平", id_label="居民身份证", id_number="110105********0018",
                 phone="139****6021")
COMPANY = c.Party(kind="organisation", name="示范县晨光餐饮管理有限公司", id_label="统一社会信用代码",
                  id_number="91110105MA01ABCD2X", phone="0000-8866****", legal_representative="林晓峰",
                  agent_name="周敏", agent_id_number="110108********2026", power_of_attorney=True)


class DemoError(UserFacingError):
    """The fixtures lack what the demo papers need (a centre, a clerk, an item)."""


@dataclass(frozen=True)
class _Setting:
    """What the demo papers are made of, taken from the fixtures."""

    centre: CentreRecord
    clerk: StaffRecord
    chief: StaffRecord
    supervisor: StaffRecord
    simple: ItemRecord
    """An item without 容缺 or 告知承诺 (the intake papers)."""
    deferrable: ItemRecord
    """An item that allows 容缺 and 告知承诺."""
    departments: dict[str, DepartmentRecord]
    calendar: WorkCalendar
    today: date


def demo_papers(fixtures: FixtureSet, centre_code: str, today: date) -> list[c.Paper]:
    """One paper of each kind of clerk.papers.kinds, in the order of KINDS."""
    s = _setting(fixtures, centre_code, today)
    build = {
        "receipt": _receipt, "acceptance": _acceptance, "supplement": _supplement,
        "deferral_pledge": _deferral_pledge, "deferral_notice": _deferral_notice,
        "commitment": _commitment, "withdrawal": _withdrawal, "guidance_slip": _guidance_slip,
        "refusal": _refusal, "denial": _denial, "deferral_denial": _deferral_denial,
        "extension": _extension, "special_procedure": _special_procedure, "return_supplement": _return_supplement,
        "assignment_slip": _assignment_slip, "supervision_slip": _supervision_slip,
    }
    return [build[code](s) for code in KINDS]


def _setting(fixtures: FixtureSet, centre_code: str, today: date) -> _Setting:
    centre = next((r for r in fixtures.centres if r.centre.code == centre_code), None)
    if centre is None:
        raise DemoError(f"基础数据中没有中心 {centre_code}（[centre] code）")
    staff = [p for p in fixtures.staff if p.centre == centre_code]
    # The centre's own items first (a township proofs a township item), then the rest.
    items = sorted(fixtures.items, key=lambda i: (centre.centre.level not in i.levels, i.code))

    def first(what: str, found):
        if found is None:
            raise DemoError(f"基础数据中缺少{what}，无法生成样张")
        return found

    return _Setting(
        centre=centre,
        clerk=first("窗口工作人员", next((p for p in staff if p.role == "clerk"), None)),
        chief=first("首席事务代表", next((p for p in fixtures.staff if p.role == "chief"), None)),
        supervisor=first("值班长", next((p for p in staff if p.role == "supervisor"), None)),
        simple=first("事项", next((i for i in items if not i.deferral_allowed), None)),
        deferrable=first("可容缺受理的事项", next((i for i in items if i.deferral_allowed and i.commitment_allowed), None)),
        departments={d.code: d for d in fixtures.departments},
        calendar=WorkCalendar.from_holiday_tables(fixtures.holidays),
        today=today,
    )


# -- the common fields ----------------------------------------------------------------


def _office(s: _Setting, code: str, item: ItemRecord) -> c.Office:
    """A decision above a township carries its department's seal (clerk.cases.papers.office)."""
    info = s.centre.centre
    seal = info.seal_name
    if code in DECISIONS and info.level != "township":
        seal = decision_seal(s.departments[item.department])
    return c.Office(centre_name=info.name, seal_line=seal,
                    address=info.address, phone=info.phone, supervision_phone=info.supervision_phone)


def _window(s: _Setting, kind: str = "general") -> str:
    return next((w.name for w in s.centre.windows if w.kind == kind), s.centre.windows[0].name)


def _handler(s: _Setting, kind: str = "general") -> c.Handler:
    return c.Handler(name=s.clerk.name, work_phone=s.centre.centre.phone, window=_window(s, kind))


def _doc_no(code: str, s: _Setting, item: ItemRecord | None = None) -> str:
    office = s.centre.centre.doc_code
    if code in DECISIONS and s.centre.centre.level != "township":  # as clerk.cases.numbers.issuer_code
        office = s.departments[(item or s.simple).department].doc_code
    return f"{office}{KINDS[code].type_code}〔{s.today.year}〕1号"


def _rights(s: _Setting, item: ItemRecord) -> c.Rights:
    """The rights paragraph from the deciding department's review organ and court."""
    dept = s.departments[item.department]
    return c.Rights(review_organ=dept.review_organ, court=dept.court, review_first=item.review_first)


def _paper(s: _Setting, code: str, body, *, item: ItemRecord | None = None, applicant: c.Party | None = PERSON,
           provisional: bool = False, handler: c.Handler | None = None, case: bool = True) -> c.Paper:
    """``case``: the paper belongs to a case (it has a receipt date and a public page)."""
    item = item or s.simple
    return c.Paper(
        doc_no=_doc_no(code, s, item), issued_on=s.today, office=_office(s, code, item), applicant=applicant,
        item_name=item.name if applicant else "", item_code=item.code if applicant else "",
        received_on=s.today if case and applicant else None, handler=handler or _handler(s),
        public_url=PUBLIC_URL if case else "", provisional_dates=provisional, body=body,
    )


def _due(s: _Setting, days: int) -> tuple[date, bool]:
    due = s.calendar.add_working_days(s.today, days)
    return due.date, due.provisional


def _line(m: MaterialRecord, **kw) -> c.MaterialLine:
    return c.MaterialLine(name=m.name, form=m.form, copies=m.copies, standard=m.standard, source=m.source, **kw)


def _at(s: _Setting, hour: int, minute: int) -> datetime:
    return datetime.combine(s.today, time(hour, minute), LOCAL_TZ)


# -- intake ---------------------------------------------------------------------------


def _receipt(s: _Setting) -> c.Paper:
    lines = [_line(m, pages=2 + n % 3) for n, m in enumerate(s.simple.materials) if m.required]
    return _paper(s, "receipt", c.ReceiptBody(materials=tuple(lines), total_copies=sum(x.copies for x in lines)))


def _acceptance(s: _Setting) -> c.Paper:
    due, provisional = _due(s, s.simple.promised_limit_days)
    body = c.AcceptanceBody(
        acceptance_no=f"{s.simple.code}-{s.today:%Y%m%d}-0001", accepted_on=s.today,
        legal_basis=f"{ART_32}第一款第（五）项", statutory_limit_days=s.simple.legal_limit_days,
        promised_limit_days=s.simple.promised_limit_days, decision_due=due,
        not_counted="无", fee=s.simple.fee,
        progress=f"扫描二维码或拨打 {s.centre.centre.phone} 查询",
        delivery=f"凭本通知书和居民身份证到{_window(s, 'delivery')}领取",
    )
    return _paper(s, "acceptance", body, provisional=provisional)


def _supplement(s: _Setting) -> c.Paper:
    required = [m for m in s.simple.materials if m.required]
    lines = (_line(required[-1], defect="missing"),
             _line(required[0], defect="not_legal_form", defect_detail="申请书未经申请人签字，经营范围填写不规范"))
    deadline, provisional = _due(s, 5)
    body = c.SupplementBody(materials=lines, deadline=deadline,
                            consequence="逾期未补正的，视为撤回申请。",
                            legal_basis=f"{ART_32}第一款第（四）项")
    return _paper(s, "supplement", body, provisional=provisional)


def _owed(s: _Setting, due: date) -> tuple[c.MaterialLine, ...]:
    return tuple(_line(m, due=due) for m in s.deferrable.materials if m.deferrable)


def _deferral_pledge(s: _Setting) -> c.Paper:
    due, provisional = _due(s, min(5, s.deferrable.promised_limit_days))
    body = c.DeferralPledgeBody(
        owed=_owed(s, due), deadline=due,
        consequence="逾期未补齐或者补交的材料仍不符合要求的，本人（本单位）同意作出不予批准决定，并承担由此产生的一切后果。",
        pledge_text="本人（本单位）已知晓容缺受理的有关规定，承诺所提交的申请材料真实、有效，暂缺材料将按期补齐。",
    )
    return _paper(s, "deferral_pledge", body, item=s.deferrable, applicant=COMPANY, provisional=provisional)


def _deferral_notice(s: _Setting) -> c.Paper:
    due, provisional = _due(s, min(5, s.deferrable.promised_limit_days))
    body = c.DeferralNoticeBody(
        acceptance_no=f"{s.deferrable.code}-{s.today:%Y%m%d}-0002", owed=_owed(s, due), deadline=due,
        consequence="逾期未补齐或者补交的材料仍不符合要求的，本中心将依法作出不予批准决定。",
    )
    return _paper(s, "deferral_notice", body, item=s.deferrable, applicant=COMPANY, provisional=provisional)


def _commitment(s: _Setting) -> c.Paper:
    item = s.deferrable
    replaced = tuple(_line(m) for m in item.materials if m.deferrable)
    body = c.CommitmentBody(
        legal_basis=item.basis, conditions=item.conditions, materials_replaced=replaced,
        effect="申请人作出符合许可条件的承诺并提交其余材料的，审批部门当场或在承诺时限内作出许可决定。",
        liability="申请人作出不实承诺的，依法撤销许可决定，将失信信息记入信用记录并予以公示，依法追究法律责任。",
        verification="审批部门在作出许可决定后二个月内进行现场核查，申请人应当配合。",
        pledges=("已经知晓告知的全部内容；", "自身已经符合告知的条件、标准和要求；",
                 "所提供的信息真实、准确，愿意接受核查；", "愿意承担不实承诺的法律责任。"),
    )
    return _paper(s, "commitment", body, item=item, applicant=COMPANY)


def _withdrawal(s: _Setting) -> c.Paper:
    body = c.WithdrawalBody(
        supplement_doc_no=_doc_no("supplement", s), supplement_deadline=s.today,
        reason="截至补正期限届满，你（单位）未补正全部材料。", legal_basis=f"{ART_32}第一款第（四）项",
    )
    return _paper(s, "withdrawal", body)


def _guidance_slip(s: _Setting) -> c.Paper:
    departments = [d.name for d in s.departments.values() if d.code == "zrj"] or ["县自然资源局"]
    body = c.GuidanceSlipBody(
        destination=c.Destination(place=f"{departments[-1]}不动产登记中心", address="示范县城关镇建设路12号",
                                  phone="0000-12348888", hours="工作日 9:00–12:00，13:30–17:00"),
        reason="不属于本中心进驻事项。", bring=("居民身份证原件", "不动产权属证书"),
        officer=c.Handler(name=s.clerk.name, work_phone=s.centre.centre.phone, window=_window(s, "consult")),
        at=_at(s, 9, 41), guide_url=GUIDE_URL + s.simple.code,
    )
    return _paper(s, "guidance_slip", body, case=False)


# -- decisions ------------------------------------------------------------------------


def _refusal(s: _Setting) -> c.Paper:
    body = c.RefusalBody(
        applied_on=s.today, reasons="申请事项依法不属于本机关职权范围。",
        clause=f"{ART_32}第一款第（二）项",
        competent_office=c.Destination(place="示范市不动产登记中心", address="示范市人民大道1号", phone="0000-88886666"),
        rights=_rights(s, s.simple), approved_by=s.chief.name,
    )
    return _paper(s, "refusal", body)


def _denial(s: _Setting) -> c.Paper:
    body = c.DenialBody(kind="denial", acceptance_no=f"{s.deferrable.code}-{s.today:%Y%m%d}-0003",
                        accepted_on=s.today, reasons="经现场核查，经营场所与申请材料所述不一致，不符合法定条件。",
                        legal_basis="《中华人民共和国行政许可法》第三十八条第二款",
                        rights=_rights(s, s.deferrable), decided_by=s.chief.name)
    return _paper(s, "denial", body, item=s.deferrable, applicant=COMPANY)


def _deferral_denial(s: _Setting) -> c.Paper:
    body = c.DenialBody(kind="deferral_denial", acceptance_no=f"{s.deferrable.code}-{s.today:%Y%m%d}-0002",
                        accepted_on=s.today, reasons="容缺受理后，申请人未在承诺期限内补齐从业人员健康证明。",
                        legal_basis="《中华人民共和国行政许可法》第三十八条第二款",
                        rights=_rights(s, s.deferrable), decided_by=s.chief.name)
    return _paper(s, "deferral_denial", body, item=s.deferrable, applicant=COMPANY)


def _extension(s: _Setting) -> c.Paper:
    old, p1 = _due(s, s.simple.promised_limit_days)
    new, p2 = _due(s, s.simple.promised_limit_days + 10)
    body = c.ExtensionBody(acceptance_no=f"{s.simple.code}-{s.today:%Y%m%d}-0001",
                           reason="申请涉及的经营场所需进一步核实。", approved_by=f"{s.departments[s.simple.department].name}负责人 刘长青",
                           approved_on=s.today, old_due=old, new_due=new)
    return _paper(s, "extension", body, provisional=p1 or p2)


def _special_procedure(s: _Setting) -> c.Paper:
    body = c.SpecialProcedureBody(acceptance_no=f"{s.deferrable.code}-{s.today:%Y%m%d}-0003",
                                  procedure="检验、检测、检疫", starts_on=s.today, expected_days=15)
    return _paper(s, "special_procedure", body, item=s.deferrable, applicant=COMPANY)


def _return_supplement(s: _Setting) -> c.Paper:
    required = [m for m in s.simple.materials if m.required]
    lines = (_line(required[-1], defect_detail="复印件字迹不清，请提交清晰的复印件并出示原件"),)
    deadline, provisional = _due(s, 10)
    body = c.ReturnSupplementBody(acceptance_no=f"{s.simple.code}-{s.today:%Y%m%d}-0004", accepted_on=s.today,
                                  materials=lines, reasons="经营场所使用证明与申请书所填地址不一致",
                                  deadline=deadline, paused_from=s.today, approved_by=s.chief.name)
    return _paper(s, "return_supplement", body, provisional=provisional)


# -- ledgers --------------------------------------------------------------------------


def _assignment_slip(s: _Setting) -> c.Paper:
    due, provisional = _due(s, 5)
    unit = s.departments[s.simple.department].name
    body = c.AssignmentSlipBody(
        entry_no=f"BCS-{s.today:%Y%m%d}-001", registered_at=_at(s, 10, 5), channel="现场（办不成事反映窗口）",
        person=PERSON.name, contact=PERSON.phone, matter=s.simple.name,
        description="经营场所为自建房，无法提供房屋产权证明，多次往返未能办理。", category="材料要求不明确",
        unit=unit, owner=s.chief.name, due=due,
    )
    return _paper(s, "assignment_slip", body, applicant=None, provisional=provisional, case=False,
                  handler=c.Handler(name=s.clerk.name, window=_window(s, "complaint")))


def _supervision_slip(s: _Setting) -> c.Paper:
    unit = s.departments[s.simple.department].name
    body = c.SupervisionSlipBody(
        entry_no=f"BCS-{s.today:%Y%m%d}-001", registered_at=_at(s, 10, 5), matter=s.simple.name, unit=unit,
        owner=s.chief.name, due=s.today, days_over=3, supervisor=s.supervisor.name,
        demand="请于2个工作日内办结并书面报告办理结果及超期原因。",
    )
    return _paper(s, "supervision_slip", body, applicant=None, case=False,
                  handler=c.Handler(name=s.supervisor.name, work_phone=s.centre.centre.supervision_phone))
