"""The counter's Desk gives the screens the case service, numbering in this centre, with the
public page under the central store's address."""

from __future__ import annotations

from case_helpers import PERSON

from clerk.config import CentreSettings, Settings, SyncSettings
from clerk.desk import Desk, action_label


def test_desk_cases_opens_a_case_with_the_public_page_under_the_central_url(store, clock):
    settings = Settings(centre=CentreSettings(code="tc"), sync=SyncSettings(central_url="https://central.example.cn/"))
    desk = Desk(settings, store, clock)
    v = desk.cases.open_case("c1", "T-DEF", PERSON)
    assert v.public_url.startswith("https://central.example.cn/case/") and len(v.public_url) > 50
    assert desk.cases is desk.cases
    assert action_label("case.accept_deferred") == "容缺受理" and action_label("case.open") == "收件"
