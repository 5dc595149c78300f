"""The case-test centre (tests/cases/case_centre.py) with chief representatives and their
authorisations: k1 may sign T-DEF, T-PLAIN and T-NOW (T-COM pre-review only) until the end of 2026,
k2 is k1's deputy, k3's authorisation expired the Friday before the tests' Monday."""

from __future__ import annotations

from datetime import date

from case_centre import CENTRE, install

from clerk.credentials import new_signing_key, salt_for
from clerk.store.engine import Store
from clerk.store.reference import Department, ServiceItem, Staff
from clerk.store.signoff_tables import Authorisation

PASSWORDS = {"k1": "k1-password", "k2": "k2-password", "k3": "k3-password"}
NAMES = {"k1": "赵首席", "k2": "钱代理", "k3": "孙过期"}
REVIEW_ORGAN, COURT = "测试县人民政府", "测试县人民法院"


def install_signoff(store: Store) -> None:
    install(store)
    with store.write() as s:
        dept = s.get(Department, "sj")
        dept.review_organ, dept.court, dept.doc_code = REVIEW_ORGAN, COURT, "测市监"
        s.add(dept)
        plain = s.get(ServiceItem, "T-PLAIN")
        plain.review_first = True
        s.add(plain)
        for sid, pw in PASSWORDS.items():
            s.add(Staff(id=sid, username=sid, name=NAMES[sid], role="chief", centre_code=CENTRE, department_code="sj",
                        password_hash="x", signing_key=new_signing_key(pw, salt_for(sid))))
        s.flush()
        s.add(Authorisation(id="k1:2026-01-01", chief_id="k1", department_code="sj", final_items=["T-DEF", "T-PLAIN", "T-NOW"],
                            review_items=["T-COM"], valid_from=date(2026, 1, 1), expires=date(2026, 12, 31),
                            deputy_id="k2", document="测市监授〔2026〕1号"))
        s.add(Authorisation(id="k3:2025-01-01", chief_id="k3", department_code="sj", final_items=["T-DEF"],
                            valid_from=date(2025, 1, 1), expires=date(2026, 2, 27)))
