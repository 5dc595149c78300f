"""The public case page the QR code on every paper opens: ``/case/{token}``.

It tells whoever holds the paper how the case stands — the item, the state, the acceptance
date and the due date — and nothing that tells who applied: no name, ID number, phone,
address or document number. The token is random (clerk.cases.desk.open_case), not the case
id, and travels with the case in its ``case.open`` mutation, so the central store knows it
as soon as the counter has synced. An unknown token gets a plain 404 "未找到".
"""

from __future__ import annotations

from datetime import date
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlmodel import select

from clerk.cases import states
from clerk.store.engine import Store
from clerk.store.operations import Case
from clerk.store.reference import Centre, ServiceItem

NOT_FOUND = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>未找到</title><p>未找到</p></html>"
ACCEPTED = frozenset({states.ACCEPTED, states.DEFERRED, states.COMMITTED})


def _day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def status(store: Store, token: str) -> dict[str, str] | None:
    """What the page shows for ``token``, only public facts; None when no case has it."""
    if not token or len(token) > 64:
        return None
    with store.session() as session:
        case = session.exec(select(Case).where(Case.public_token == token)).first()
        if case is None:
            return None
        item = session.get(ServiceItem, case.item_code)
        centre = session.get(Centre, case.centre_code)
        accepted = case.accepted_at is not None and case.status in ACCEPTED
        return {
            "centre": centre.name if centre else "",
            "item": item.name if item else case.item_code,
            "state": states.LABELS.get(case.status, case.status),
            "accepted_on": _day(case.complete_on) if accepted else "尚未受理",
            "due_date": _day(case.due_date) if accepted else "—",
        }


def page(facts: dict[str, str]) -> str:
    rows = (("办理事项", facts["item"]), ("办理状态", facts["state"]), ("受理日期", facts["accepted_on"]),
            ("承诺办结日期", facts["due_date"]))
    cells = "".join(f"<tr><th>{escape(k)}</th><td id=\"{i}\">{escape(v)}</td></tr>"
                    for i, (k, v) in zip(("item", "state", "accepted", "due"), rows, strict=True))
    return ("<!doctype html><html lang=zh-CN><meta charset=utf-8>"
            "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>办件进度</title>"
            "<style>body{font-family:sans-serif;margin:1.5em}th{text-align:left;padding-right:1em}</style>"
            f"<h1>办件进度</h1><p>{escape(facts['centre'])}</p><table>{cells}</table></html>")


def case_page_router(store: Store) -> APIRouter:
    router = APIRouter(tags=["case"], include_in_schema=False)

    @router.get("/case/{token}", response_class=HTMLResponse)
    def case_page(token: str) -> HTMLResponse:
        facts = status(store, token)
        if facts is None:
            return HTMLResponse(NOT_FOUND, status_code=404)
        return HTMLResponse(page(facts), headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    return router
