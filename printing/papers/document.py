"""One A4 paper from a ``Paper``: the shared form around the body of its kind.

Layout (GB/T 9704 margins, top 37 mm, inner 28 mm): the centre and the document number
over the title; the applicant and the item in a grid; the body of the kind; the handler;
the seal block (the QR code to the case's public page on the left, the seal line and the
date on the right, where the seal is stamped); the contacts with the supervision phone.
A kind with a stub then has "一式两份" and a cut line with its stub under it; a kind
whose both copies are signed in full (``PaperKind.duplicate``) prints twice. A reprint is
marked 补打 on every page, with when it was reprinted.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
)

from clerk.papers.content import Paper
from clerk.papers.kinds import PaperKind, kind
from printing.fonts import FontFile, reportlab_font
from printing.papers.flowables import CutLine, TitleLine, qr_code
from printing.papers.form import WIDTH, Form
from printing.papers.kinds import layout_of
from printing.papers.styles import SMALL_PT, TITLE_PT
from printing.papers.text import cn_date, cn_datetime

PAGE_W, PAGE_H = A4
TOP, BOTTOM, INNER = 37 * mm, 35 * mm, 28 * mm
QR_SIDE = 20 * mm
COPIES = "一式两份：一份交申请人，一份存档。"
CUT = "（沿此线剪开）"
COPIES_CUT = COPIES.rstrip("。") + CUT
REPRINT = "补打"
SPECIMEN = "样张"


def render_paper(paper: Paper, font: FontFile, *, reprint_at: datetime | None = None, specimen: bool = False) -> bytes:
    """The paper as PDF bytes, its font embedded as a subset. ``reprint_at`` marks it 补打
    (with that time); ``specimen`` marks a proof 样张, which nobody may hand out."""
    name = reportlab_font(font)
    sort = kind(paper.kind)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=INNER, rightMargin=PAGE_W - INNER - WIDTH, topMargin=TOP,
        bottomMargin=BOTTOM, title=f"{sort.title} {paper.doc_no}", author=paper.office.centre_name,
        subject=sort.code, creator="政务服务窗口工作台", pageCompression=1,
        # Each page would otherwise start in Helvetica, a font the PDF does not embed.
        initialFontName=name, initialFontSize=SMALL_PT,
    )
    frame = Frame(INNER, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    mark = (REPRINT, f"补打时间：{cn_datetime(reprint_at)}") if reprint_at else None
    if specimen:
        mark = (SPECIMEN, "供核对版式和内容，不作正式文书使用")
    decorate = _Decoration(paper, sort, name, mark)
    doc.addPageTemplates([PageTemplate("form", [frame], onPage=decorate)])
    doc.build(_story(paper, sort, name))
    return buffer.getvalue()


def _story(paper: Paper, sort: PaperKind, font: str) -> list[Flowable]:
    form = Form(paper, font)
    if sort.duplicate:
        # Both copies carry every word and both signatures (本承诺书一式两份).
        return [*_copy(form, sort, "第一联（申请人留存）"), PageBreak(), *_copy(form, sort, "第二联（存档）")]
    story = _copy(form, sort, "")
    if sort.stub:
        story.append(KeepTogether([CutLine(COPIES_CUT, font), *_stub(form, sort)]))
    return story


def _copy(form: Form, sort: PaperKind, copy_label: str) -> list[Flowable]:
    paper = form.paper
    story: list[Flowable] = [_top_line(form), TitleLine(sort.title, form.font, TITLE_PT, note=copy_label)]
    grid = _applicant_grid(form)
    if grid is not None:
        story += [grid, form.gap(4)]
    story += layout_of(paper.kind).body(form, paper, paper.body)
    story.append(form.gap(2))
    if paper.handler is not None:
        story.append(_handler_line(form))
    if sort.applicant_signs and (sort.duplicate or not sort.stub):
        story += [form.gap(2), _signature_line(form, "申请人（签字或盖章）")]
    story += [_seal_block(form), *_notes(form, sort)]
    return story


def _top_line(form: Form) -> Flowable:
    """The centre on the left, the document number on the right."""
    return form.columns([[form.cell(form.paper.office.centre_name)], [form.cell(form.paper.doc_no, "right")]],
                        [WIDTH * 0.45, WIDTH * 0.55])


def _applicant_grid(form: Form) -> Flowable | None:
    paper, who = form.paper, form.paper.applicant
    pairs: list[tuple[str, object]] = []
    if who is not None:
        is_org = who.kind == "organisation"
        pairs += [("申请单位" if is_org else "申请人", who.name), ("联系电话", who.phone),
                  (who.id_label, who.id_number)]
        if is_org:
            pairs.append(("法定代表人", who.legal_representative))
        if who.agent_name:
            pairs += [("代理人", _agent(who.agent_name, who.agent_id_number)),
                      ("授权委托书", "已提交" if who.power_of_attorney else "未提交")]
    if paper.received_on:
        pairs.append(("收件日期", cn_date(paper.received_on)))
    if paper.item_name:
        pairs.append(("申请事项", paper.item_name))
    if paper.item_code:
        pairs.append(("事项编码", paper.item_code))
    return form.pairs(pairs) if pairs else None


def _agent(name: str, id_number: str) -> str:
    return f"{name}（{id_number}）" if id_number else name


def _handler_line(form: Form) -> Flowable:
    who = form.paper.handler
    assert who is not None
    parts = [f"经办人：{who.name}"]
    if who.window:
        parts.append(f"窗口：{who.window}")
    if who.work_phone:
        parts.append(f"联系电话：{who.work_phone}")
    return form.line("\u3000\u3000".join(parts))


def _signature_line(form: Form, who: str) -> Flowable:
    return form.block(f"{who}：{'_' * 16}\u3000\u3000日期：{'_' * 6}年{'_' * 3}月{'_' * 3}日")


def _seal_block(form: Form) -> Flowable:
    paper = form.paper
    qr: list[Flowable] = []
    if paper.public_url:
        qr = [qr_code(paper.public_url, QR_SIDE), form.cell("扫码查看办理进度")]
    seal = [form.gap(5), form.block(paper.office.seal_line, align="right"),
            form.block(cn_date(paper.issued_on), align="right")]
    return form.columns([qr, seal], [QR_SIDE + 16 * mm, WIDTH - QR_SIDE - 16 * mm])


def _notes(form: Form, sort: PaperKind) -> list[Flowable]:
    office = form.paper.office
    notes: list[Flowable] = [form.gap(2)]
    if form.paper.provisional_dates:
        notes.append(form.line("注：标“暂定”的日期按双休日推算，法定节假日安排公布后以实际工作日为准。"))
    contacts = [f"地址：{office.address}"] if office.address else []
    if office.phone:
        contacts.append(f"咨询电话：{office.phone}")
    contacts.append(f"监督投诉电话：{office.supervision_phone or '12345'}")
    notes.append(form.line("\u3000".join(contacts)))
    if sort.duplicate:
        notes.append(form.line(COPIES))
    return notes


def _stub(form: Form, sort: PaperKind) -> list[Flowable]:
    paper = form.paper
    layout = layout_of(paper.kind)
    pairs: list[tuple[str, object]] = [("文书编号", paper.doc_no)]
    if paper.applicant is not None:
        pairs.append(("申请人", paper.applicant.name))
    if paper.item_name:
        pairs.append(("申请事项", paper.item_name))
    pairs += layout.stub_facts(form, paper.body)
    pairs.append(("填发日期", cn_date(paper.issued_on)))
    signer = "申请人签收" if sort.applicant_signs else layout.stub_signer
    handler = paper.handler.name if paper.handler else ""
    sign = f"{signer}：{'_' * 12}\u3000日期：{'_' * 6}年{'_' * 3}月{'_' * 3}日\u3000\u3000经办人：{handler}"
    return [TitleLine(f"{sort.title}（{layout.stub_title}）", form.font, 14, space_after=1.5 * mm),
            form.pairs(pairs), form.gap(2.5), form.line(sign)]


class _Decoration:
    """What every page carries outside the type area: the page number, the running head
    of later pages, and a mark (补打 or 样张) with its note."""

    def __init__(self, paper: Paper, sort: PaperKind, font: str, mark: tuple[str, str] | None) -> None:
        self.paper, self.sort, self.font, self.mark = paper, sort, font, mark

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(self.font, SMALL_PT)
        canvas.drawCentredString(PAGE_W / 2, BOTTOM - 12 * mm, f"— {page} —")
        head_y = PAGE_H - TOP + 8 * mm
        if page > 1:
            canvas.drawString(INNER, head_y, f"{self.sort.title}（续）")
            canvas.drawRightString(INNER + WIDTH, head_y, self.paper.doc_no)
        if self.mark is not None:
            self._mark(canvas, head_y + 9 * mm, *self.mark)
        canvas.restoreState()

    def _mark(self, canvas: Canvas, y: float, word: str, note: str) -> None:
        canvas.setLineWidth(1.2)
        canvas.rect(INNER, y - 2.5 * mm, 16 * mm, 9 * mm)
        canvas.setFont(self.font, 16)
        canvas.drawCentredString(INNER + 8 * mm, y, word)
        canvas.setFont(self.font, SMALL_PT)
        canvas.drawString(INNER + 19 * mm, y + 0.5 * mm, note)
