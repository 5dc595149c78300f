"""The public case page the QR code on every paper opens: ``/case/{token}``.

It tells whoever holds the paper how the case stands — the item, the state, the acceptance
date and the due date — and nothing that tells who applied: no name, ID number, phone,
address or document number. The token is random (clerk.cases.desk.open_case), not the case
id, and travels with the case in its ``case.open`` mutation, so the central store knows it
as soon as the counter has synced. An unknown token gets a plain 404 "未找到".

Once the case is accepted the page carries its rating form (一事一评, clerk.central.rating_form);
the POST is stored by clerk.central.public_rating and answered with a redirect to a thank-you
page (POST-redirect-GET), or with a Chinese page and the status of the refusal.
"""

from __future__ import annotations

from datetime import date
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from clerk.cases import states
from clerk.central import public_rating, rating_form
from clerk.central.limits import PerAddress
from clerk.clock import Clock
from clerk.ids import new_id
from clerk.ledgers.ratings import case_refusal
from clerk.store.engine import Store
from clerk.store.reference import Centre, ServiceItem

NOT_FOUND = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>未找到</title><p>未找到</p></html>"
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
RATING_POSTS = (20, 600.0)
"""Rating posts an address may send in ten minutes: a hall's guest Wi-Fi or a carrier's NAT
puts many visitors behind one address, a script's loop goes far past it."""


def _day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def status(store: Store, token: str) -> dict[str, str] | None:
    """What the page shows for ``token``, only public facts; None when no case has it."""
    with store.session() as session:
        case = public_rating.find_case(session, token)
        if case is None:
            return None
        item = session.get(ServiceItem, case.item_code)
        centre = session.get(Centre, case.centre_code)
        # Every state after acceptance keeps accepted_at: a case under review or ready is accepted too.
        accepted = case.accepted_at is not None
        refusal = case_refusal(session, case)
        return {
            "centre": centre.name if centre else "",
            "item": item.name if item else case.item_code,
            "state": states.LABELS.get(case.status, case.status),
            "accepted_on": _day(case.complete_on) if accepted else "尚未受理",
            "due_date": _day(case.due_date) if accepted else "—",
            "rating": "open" if refusal is None else "rated" if case.accepted_at else "",
        }


def page(facts: dict[str, str], below: str = "") -> str:
    rows = (("办理事项", facts["item"]), ("办理状态", facts["state"]), ("受理日期", facts["accepted_on"]),
            ("承诺办结日期", facts["due_date"]))
    cells = "".join(f"<tr><th>{escape(k)}</th><td id=\"{i}\">{escape(v)}</td></tr>"
                    for i, (k, v) in zip(("item", "state", "accepted", "due"), rows, strict=True))
    return (f"{rating_form.head('办件进度')}"
            f"<h1>办件进度</h1><p>{escape(facts['centre'])}</p><table>{cells}</table>{below}</html>")


def _rating_part(token: str, facts: dict[str, str], entered: rating_form.Entered | None = None) -> str:
    """The form while the case may be rated, a note once it is, nothing before acceptance."""
    if facts["rating"] == "open":
        return rating_form.form(token, (entered.form_id if entered else "") or new_id(), entered)
    return rating_form.rated_note() if facts["rating"] == "rated" else ""


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**HEADERS, **(headers or {})})


def case_page_router(store: Store, clock: Clock, posts: PerAddress | None = None) -> APIRouter:
    router = APIRouter(tags=["case"], include_in_schema=False)
    posts = posts or PerAddress(*RATING_POSTS)

    @router.get("/case/{token}", response_class=HTMLResponse)
    def case_page(token: str) -> HTMLResponse:
        facts = status(store, token)
        if facts is None:
            return HTMLResponse(NOT_FOUND, status_code=404)
        return _html(page(facts, _rating_part(token, facts)))

    @router.post("/case/{token}/rating", response_class=HTMLResponse)
    async def rate(token: str, request: Request):
        address = request.client.host if request.client else ""
        if (wait := posts.wait_s(address)) > 0:
            minutes = max(1, round(wait / 60))
            return _html(rating_form.message_page("提交过于频繁", f"评价提交过于频繁，请 {minutes} 分钟后再试。"),
                         429, {"Retry-After": str(max(1, round(wait)))})
        posts.count(address)
        entered = public_rating.parse(await request.body())
        if entered is None:
            return _html(rating_form.message_page("无法提交", "提交的内容无法识别，请返回办件页面重新填写。", token), 400)
        return await run_in_threadpool(_submitted, token, entered)

    def _submitted(token: str, entered: rating_form.Entered) -> HTMLResponse | RedirectResponse:
        outcome = public_rating.submit(store, clock, token, entered)
        if outcome.status == 303:
            return RedirectResponse(f"/case/{token}/thanks", status_code=303, headers=HEADERS)
        if outcome.status == 404:
            return HTMLResponse(NOT_FOUND, status_code=404)
        facts = status(store, token)
        if outcome.status == 422 and facts is not None and facts["rating"] == "open":
            entered = rating_form.Entered(entered.grade, entered.reasons, entered.text, entered.form_id,
                                          outcome.message)
            return _html(page(facts, _rating_part(token, facts, entered)), 422)
        return _html(rating_form.message_page("无法评价", outcome.message, token), outcome.status)

    @router.get("/case/{token}/thanks", response_class=HTMLResponse)
    def thanks(token: str):
        facts = status(store, token)
        if facts is None:
            return HTMLResponse(NOT_FOUND, status_code=404)
        if facts["rating"] != "rated":
            return RedirectResponse(f"/case/{token}", status_code=303, headers=HEADERS)
        return _html(rating_form.message_page("感谢您的评价", "您的评价已提交。不满意的评价将由办理人员核实整改。", token))

    return router
