"""A small centre for the case tests, its own reference data (independent of the fixtures).

Items: T-DEF allows 容缺 (its site certificate is 可容缺), T-COM is under 告知承诺, T-EXC is
under 告知承诺 but excluded for public safety, T-PLAIN allows neither, T-NOW is a 即办件.
Clerks c1 and c2 sit at windows 1 and 2; r1 and r2 review in the items' department, h1 heads
it, rx reviews in another.
"""

from __future__ import annotations

from datetime import date, datetime

from clerk.clock import LOCAL_TZ
from clerk.store.engine import Store
from clerk.store.reference import (
    CalendarDay,
    Centre,
    Department,
    ItemMaterial,
    ServiceItem,
    Staff,
    Window,
)

CENTRE = "tc"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL_TZ)
GOOD_ID = "11010519491231002X"
GOOD_ID_2 = "440524188001010014"
CREDIT = "91350100M000100Y43"
EXCLUDED = {"T-EXC": "涉及公共安全"}

MATERIALS = (
    ("申请表", True, False),
    ("居民身份证", True, False),
    ("经营场所证明", True, True),
    ("委托书", False, False),
)


def install(store: Store) -> None:
    with store.write() as s:
        s.add(Centre(code=CENTRE, name="测试县政务服务中心", level="county", phone="0000-1111111",
                     supervision_phone="0000-2222222", seal_name="测试县行政审批局（行政审批专用章）"))
        s.add(Department(code="sj", name="测试县市场监督管理局"))
        s.flush()
        for n in (1, 2):
            s.add(Window(id=f"{CENTRE}:{n}", centre_code=CENTRE, number=n, name=f"{n}号窗口", kind="general"))
            s.add(Staff(id=f"c{n}", username=f"c{n}", name=f"窗口{n}", role="clerk", centre_code=CENTRE,
                        password_hash="x", phone=f"0000-333333{n}"))
        s.add(Staff(id="other", username="other", name="外中心", role="clerk", centre_code=CENTRE + "x",
                    password_hash="x"))
        s.add(Centre(code=CENTRE + "x", name="别县政务服务中心", level="county"))
        for code, deferral, commitment in (("T-DEF", True, False), ("T-COM", False, True), ("T-EXC", False, True),
                                           ("T-PLAIN", False, False), ("T-NOW", False, False)):
            instant = code == "T-NOW"
            s.add(ServiceItem(code=code, name=f"测试事项{code}", kind="行政许可", case_type="即办件" if instant else "承诺件",
                              department_code="sj", legal_limit_days=1 if instant else 20,
                              promised_limit_days=0 if instant else 5, deferral_allowed=deferral,
                              commitment_allowed=commitment, basis="《测试条例》第三条", conditions="具备经营场所"))
            s.flush()
            for seq, (name, required, deferrable) in enumerate(MATERIALS, 1):
                s.add(ItemMaterial(id=f"{code}:{seq}", item_code=code, seq=seq, name=name, form="原件", copies=1,
                                   required=required, deferrable=deferrable, source="申请人自备",
                                   standard=f"{name}须真实有效"))
        # The department's back office: two reviewers (一审一核), its head, one of another department.
        s.add(Department(code="qt", name="测试县其他局"))
        s.flush()
        for sid, role, dept in (("r1", "reviewer", "sj"), ("r2", "reviewer", "sj"), ("h1", "head", "sj"),
                                ("rx", "reviewer", "qt")):
            s.add(Staff(id=sid, username=sid, name=f"后台{sid}", role=role, centre_code=CENTRE, department_code=dept,
                        password_hash="x"))
        # A made-up 2027 table (the package does not know 2027): New Year's Day off from Fri
        # 1 Jan to Sun 3 Jan, Sat 9 Jan a 调休 working day.
        s.add(CalendarDay(day=date(2027, 1, 1), workday=False, name="元旦"))
        s.add(CalendarDay(day=date(2027, 1, 9), workday=True, name="调休上班"))
