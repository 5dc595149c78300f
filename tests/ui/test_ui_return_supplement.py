"""退回补正 through the three screens it crosses: the reviewer's F9 in the back office (tick
the material, say what it needs, why, how many days), the chief's queue and entry (the
materials shown, approved with the password), and the window's case screen (the owed row
taken in, F9 登记所欠材料已补齐) — the case back under review with its limit moved."""

from __future__ import annotations

import pytest
from sqlmodel import select
from ui_helpers import PASSWORD, accepted_case, plain, settle, sign_in

from clerk.staff.auth import SignedIn
from clerk.store.operations import Case, CaseMaterial, Notice
from screens.backoffice.queue import BackOfficeScreen
from screens.cases.case_screen import CaseScreen
from screens.signoff.entry import SignOffEntryScreen
from screens.signoff.queue import SignOffQueueScreen

pytestmark = pytest.mark.anyio
CHIEF = SignedIn("chief_scjg", "chief_scjg", "赵志强", "chief", "demo-county", "scjg")
CLERK = SignedIn("clerk01", "clerk01", "王小明", "clerk", "demo-county", None)
DEFECT = "复印件不清晰，请出示原件"


def _case(store, case_id) -> Case:
    with store.session() as s:
        return s.get(Case, case_id)


async def _answer(pilot, app, text: str) -> None:
    app.screen.query_one("#ask-text").value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_asked_by_the_reviewer_approved_by_the_chief_and_taken_in_at_the_window(app, store, clock):
    case_id = accepted_case(store, clock)
    due = _case(store, case_id).due_date
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "review_scjg1")
        queue = app.screen
        assert isinstance(queue, BackOfficeScreen)
        shown = {b.binding.key: b.binding.description for b in queue.active_bindings.values() if b.binding.show}
        assert shown.get("f9") == "退回补正"
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f2")  # nothing ticked: the dialog says so and stays
        await settle(pilot)
        assert "请至少勾选一项" in plain(app.screen.query_one(".dialog-message"))
        await pilot.press("down", "space", "f2")  # the second material
        await settle(pilot)
        assert "需要补正什么" in plain(app.screen.query_one(".dialog-title"))
        await _answer(pilot, app, DEFECT)
        await _answer(pilot, app, "身份证明复印件无法辨认")
        await _answer(pilot, app, "十")  # not a number: told, nothing stored
        assert _case(store, case_id).status == "accepted"
        await pilot.press("f9", "down", "space", "f2")
        await settle(pilot)
        await _answer(pilot, app, DEFECT)
        await _answer(pilot, app, "身份证明复印件无法辨认")
        await _answer(pilot, app, "10")
        assert _case(store, case_id).status == "return_requested"
        assert "退回补正待签批 1" in plain(queue.query_one("#back-counts"))

        app.push_screen(SignOffQueueScreen(CHIEF))
        await settle(pilot)
        assert "退回补正审批 1" in plain(app.screen.query_one("#signoff-counts"))
        await pilot.press("enter")
        await settle(pilot)
        entry = app.screen
        assert isinstance(entry, SignOffEntryScreen)
        text = plain(entry.query_one("#signoff-case"))
        assert f"（{DEFECT}）" in text and "同意之日起10个工作日" in text and "身份证明复印件无法辨认" in text
        entry.query_one("#signoff-opinion").value = "同意退回补正"
        entry.query_one("#signoff-password").value = PASSWORD
        await pilot.press("f7")
        await settle(pilot)
        assert "待签批 0 件" in plain(app.screen.query_one("#signoff-counts"))
        assert _case(store, case_id).status == "returned"
        with store.session() as s:
            [owed] = s.exec(select(CaseMaterial).where(CaseMaterial.case_id == case_id, CaseMaterial.owed)).all()
            assert [n.kind for n in s.exec(select(Notice).where(Notice.case_id == case_id))
                    if n.kind != "acceptance" and n.kind != "receipt"] == ["return_supplement"]

        app.push_screen(CaseScreen(CLERK, app.desk.cases.case(case_id)))
        await settle(pilot)
        screen = app.screen
        assert "退回补正期限" in plain(screen.query_one("#case-clocks"))
        table = screen.query_one("DataTable")
        table.move_cursor(row=owed.seq - 1)
        await pilot.press("r")  # 已收原件
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        labels = [str(o.prompt) for o in app.screen.query_one("#choose-list")._options]
        assert labels == ["登记所欠材料已补齐", "作出不予批准决定"]
        await pilot.press("enter")
        await settle(pilot)
    case = _case(store, case_id)
    assert (case.status, case.owed_due, case.due_date) == ("accepted", None, due)  # the same day: no day paused
