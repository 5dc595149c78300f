"""Every paper holds every field NOTICES.md lists for it (common fields and its own), as
text a reader can find in the PDF. The expected values are read from the paper itself, so
a renderer that leaves one out fails here."""

from __future__ import annotations

import pytest
from pdf_checks import flat, page_texts, text_of

from clerk.papers import content as c
from clerk.papers.kinds import KINDS
from printing.papers.text import cn_date, cn_datetime


def _materials(lines: tuple[c.MaterialLine, ...], *, due: bool = False, source: bool = False) -> list[str]:
    found = []
    for line in lines:
        found += [line.name, line.form, f"{line.copies}份", line.standard] + ([line.source] if source else [])
        found += [f"{line.pages}页"] if line.pages else []
        found += [cn_date(line.due)] if due and line.due else []
    return found


def _rights(r: c.Rights) -> list[str]:
    found = [r.review_organ, f"{r.review_days}日内", r.court]
    return found + (["应当自收到", "十五日内"] if r.review_first else [f"{r.suit_months}个月内"])


def _clause(text: str) -> str:
    return text.rstrip("。")


def receipt(p: c.Paper, b: c.ReceiptBody) -> list[str]:
    return [*_materials(b.materials), f"合计{b.total_copies}份", "5个工作日内一次性告知"]


def acceptance(p: c.Paper, b: c.AcceptanceBody) -> list[str]:
    return [b.acceptance_no, cn_date(b.accepted_on), b.legal_basis, "予以受理", f"{b.statutory_limit_days}个工作日",
            f"{b.promised_limit_days}个工作日", cn_date(b.decision_due), b.not_counted, b.fee, b.progress,
            b.delivery, *_materials(b.deferred, due=True)]


def supplement(p: c.Paper, b: c.SupplementBody) -> list[str]:
    defects = [{"missing": "缺少", "not_legal_form": "不符合法定形式"}[m.defect] for m in b.materials]
    return [*_materials(b.materials, source=True), *defects, *[m.defect_detail for m in b.materials], cn_date(b.deadline),
            b.consequence, b.legal_basis]


def deferral_pledge(p: c.Paper, b: c.DeferralPledgeBody) -> list[str]:
    return [*_materials(b.owed, due=True), cn_date(b.deadline), b.consequence, b.pledge_text]


def deferral_notice(p: c.Paper, b: c.DeferralNoticeBody) -> list[str]:
    return [b.acceptance_no, *_materials(b.owed, due=True), cn_date(b.deadline), b.consequence]


def commitment(p: c.Paper, b: c.CommitmentBody) -> list[str]:
    return ["【告知】", "【承诺】", p.item_name, b.legal_basis, b.conditions, *_materials(b.materials_replaced),
            b.effect, b.liability, b.verification, *b.pledges]


def withdrawal(p: c.Paper, b: c.WithdrawalBody) -> list[str]:
    return [b.supplement_doc_no, cn_date(b.supplement_deadline), b.reason, b.legal_basis, "视为撤回"]


def guidance_slip(p: c.Paper, b: c.GuidanceSlipBody) -> list[str]:
    d, o = b.destination, b.officer
    return [d.place, d.address, d.phone, d.hours, *b.bring, o.name, o.window, o.work_phone, cn_datetime(b.at),
            _clause(b.reason)]


def refusal(p: c.Paper, b: c.RefusalBody) -> list[str]:
    office = b.competent_office
    where = [office.place, office.address, office.phone] if office else []
    return [cn_date(b.applied_on), _clause(b.reasons), b.clause, "不予受理", *where, *_rights(b.rights), b.approved_by]


def denial(p: c.Paper, b: c.DenialBody) -> list[str]:
    decision = {"denial": "不予许可", "deferral_denial": "不予批准"}[b.kind]
    return [b.acceptance_no, cn_date(b.accepted_on), _clause(b.reasons), b.legal_basis, decision,
            *_rights(b.rights), b.decided_by]


def extension(p: c.Paper, b: c.ExtensionBody) -> list[str]:
    return [_clause(b.reason), b.approved_by, cn_date(b.approved_on), cn_date(b.old_due), cn_date(b.new_due),
            b.legal_basis, b.acceptance_no]


def special_procedure(p: c.Paper, b: c.SpecialProcedureBody) -> list[str]:
    return [b.acceptance_no, b.procedure, cn_date(b.starts_on), f"{b.expected_days}个工作日", b.legal_basis, "不计算"]


def return_supplement(p: c.Paper, b: c.ReturnSupplementBody) -> list[str]:
    return [b.acceptance_no, cn_date(b.accepted_on), _clause(b.reasons), *_materials(b.materials),
            *[m.defect_detail for m in b.materials], cn_date(b.deadline), cn_date(b.paused_from), "不计算在办理期限内",
            b.consequence, b.approved_by, b.legal_basis]


def assignment_slip(p: c.Paper, b: c.AssignmentSlipBody) -> list[str]:
    return [b.entry_no, cn_datetime(b.registered_at), b.channel, b.person, b.contact, b.matter, b.description,
            b.category, b.unit, b.owner, cn_date(b.due)]


def supervision_slip(p: c.Paper, b: c.SupervisionSlipBody) -> list[str]:
    return [b.entry_no, cn_datetime(b.registered_at), b.matter, b.unit, b.owner, cn_date(b.due),
            f"{b.days_over}个工作日", b.supervisor, b.demand]


OWN_FIELDS = {
    "receipt": receipt, "acceptance": acceptance, "supplement": supplement, "deferral_pledge": deferral_pledge,
    "deferral_notice": deferral_notice, "commitment": commitment, "withdrawal": withdrawal,
    "guidance_slip": guidance_slip, "refusal": refusal, "denial": denial, "deferral_denial": denial,
    "extension": extension, "special_procedure": special_procedure, "return_supplement": return_supplement,
    "assignment_slip": assignment_slip,
    "supervision_slip": supervision_slip,
}


def common_fields(p: c.Paper) -> list[str]:
    sort = KINDS[p.kind]
    office = p.office
    found = [sort.title, p.doc_no, office.centre_name, office.seal_line, cn_date(p.issued_on),
             "监督投诉电话", office.supervision_phone, office.address, office.phone]
    if p.applicant is not None:
        a = p.applicant
        found += [a.name, a.id_label, a.id_number, a.phone, a.legal_representative, a.agent_name,
                  a.agent_id_number]
        found += ["授权委托书"] if a.agent_name else []
    if p.item_name:
        found += [p.item_name, p.item_code]
    if p.received_on:
        found += ["收件日期", cn_date(p.received_on)]
    if p.handler is not None:
        found += ["经办人", p.handler.name, p.handler.work_phone, p.handler.window]
    if sort.stub or sort.duplicate:
        found.append("一式两份：一份交申请人，一份存档")
    if sort.applicant_signs:
        found += ["申请人签收" if sort.stub and not sort.duplicate else "申请人（签字或盖章）", "日期："]
    return [f for f in found if f]


def test_every_kind_has_its_field_table():
    assert set(OWN_FIELDS) == set(KINDS)


@pytest.mark.parametrize("code", list(KINDS))
def test_the_pdf_holds_every_field_of_its_kind(code, demo, demo_pdfs):
    paper = demo[code]
    text = text_of(demo_pdfs[code])
    missing = [f for f in common_fields(paper) + OWN_FIELDS[code](paper, paper.body) if flat(f) not in text]
    assert not missing, f"{code} lacks {missing}"


@pytest.mark.parametrize("code", [k.code for k in KINDS.values() if k.stub and not k.duplicate])
def test_a_kind_with_a_stub_has_a_cut_line_and_the_stub_repeats_who_and_what(code, demo, demo_pdfs):
    paper = demo[code]
    text = text_of(demo_pdfs[code])
    assert "沿此线剪开" in text
    stub = text.split("沿此线剪开", 1)[1]
    assert KINDS[code].title in stub and paper.doc_no in stub
    if paper.applicant is not None:
        assert paper.applicant.name in stub and paper.item_name in stub


@pytest.mark.parametrize("code", [k.code for k in KINDS.values() if k.duplicate])
def test_a_signed_pledge_prints_twice_in_full_each_copy_signed(code, demo, demo_pdfs):
    pages = page_texts(demo_pdfs[code])
    first = next(i for i, t in enumerate(pages) if "第二联（存档）" in t)
    one, two = flat("".join(pages[:first])), flat("".join(pages[first:]))
    assert "第一联（申请人留存）" in one
    for copy in (one, two):
        assert demo[code].doc_no in copy and "申请人（签字或盖章）" in copy and demo[code].office.seal_line in copy


def test_the_extension_names_the_approving_head_once(demo, demo_pdfs):
    """“经本机关负责人县市场监督管理局负责人 刘长青批准” said 负责人 twice: the approver is
    already “<department>负责人 <name>”."""
    paper = demo["extension"]
    text = text_of(demo_pdfs["extension"])
    who = flat(paper.body.approved_by)
    assert f"经{who}于" in text
    assert text.count("负责人") == flat(paper.body.approved_by).count("负责人") * 2  # body and stub
