"""The HTML of the public rating: the form under the case's status, the thank-you page and
the page of a refusal. Plain forms, no script; every value written into the page is escaped.

The reasons of a bad grade show once that grade is picked, by CSS alone (``:has``); where
a browser lacks ``:has`` they all stay visible, so nobody is left unable to pick one. Each
grade's boxes have their own name (``reason-2``, ``reason-1``), so boxes ticked under a
grade the visitor then left are not sent as reasons of the grade chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from clerk.ledgers.reasons import BAD_GRADES, GRADES, MAX_TEXT, REASONS

HEAD = ("<!doctype html><html lang=zh-CN><meta charset=utf-8>"
        "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{title}</title>"
        "<style>body{{font-family:sans-serif;margin:1.5em;max-width:40em}}th{{text-align:left;padding-right:1em}}"
        "fieldset{{margin:.8em 0}}label{{display:block;margin:.3em 0}}textarea{{width:100%}}"
        ".error{{color:#b00;font-weight:bold}}"
        "@supports selector(:has(*)){{.reasons{{display:none}}{reveal}{{display:block}}}}</style>")
REVEAL = ",".join(f"#rate:has(#g{g}:checked) #r{g}" for g in sorted(BAD_GRADES))


@dataclass(frozen=True)
class Entered:
    """What the visitor sent, put back into the form when it is refused."""

    grade: int = 0
    reasons: tuple[str, ...] = ()
    text: str = ""
    form_id: str = ""
    error: str = ""


def head(title: str) -> str:
    return HEAD.format(title=escape(title), reveal=REVEAL)


def form(token: str, form_id: str, entered: Entered | None = None) -> str:
    """The rating form of the case ``token``; ``form_id`` names this filling-in (a resent form is one rating)."""
    entered = entered or Entered()
    error = f"<p class=error role=alert id=error>{escape(entered.error)}</p>" if entered.error else ""
    grades = "".join(
        f"<label><input type=radio name=grade value={g} id=g{g} required{' checked' if g == entered.grade else ''}>"
        f" {escape(label)}</label>" for g, label in GRADES.items())
    reasons = "".join(_reasons(g, entered) for g in sorted(BAD_GRADES, reverse=True))
    return (f"<h2>办件评价</h2>{error}<form method=post action=\"/case/{escape(token)}/rating\" id=rate>"
            f"<input type=hidden name=form_id value=\"{escape(form_id)}\">"
            f"<fieldset><legend>您对本次办件的评价</legend>{grades}</fieldset>{reasons}"
            f"<label for=text>评价内容（选填，不超过{MAX_TEXT}字）</label>"
            f"<textarea id=text name=text maxlength={MAX_TEXT} rows=4>{escape(entered.text)}</textarea>"
            "<p>评价不记录您的姓名、电话等个人信息。</p><button type=submit id=submit>提交评价</button></form>")


def _reasons(grade: int, entered: Entered) -> str:
    boxes = "".join(
        f"<label><input type=checkbox name=reason-{grade} value={escape(code)}"
        f"{' checked' if grade == entered.grade and code in entered.reasons else ''}> {escape(text)}</label>"
        for code, text in REASONS[grade].items())
    return (f"<fieldset class=reasons id=r{grade}><legend>“{escape(GRADES[grade])}”的理由（必选，可多选）</legend>"
            f"{boxes}</fieldset>")


def rated_note() -> str:
    return "<h2>办件评价</h2><p id=rated>该办件已评价，感谢您的评价。</p>"


def message_page(title: str, message: str, token: str | None = None) -> str:
    """A refusal or the thank-you: a title, one message and the way back to the case."""
    back = f"<p><a href=\"/case/{escape(token)}\">返回办件进度</a></p>" if token else ""
    return f"{head(title)}<h1>{escape(title)}</h1><p id=message>{escape(message)}</p>{back}</html>"
