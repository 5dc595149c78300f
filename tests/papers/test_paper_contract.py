"""Every paper kind has exactly one body model, and a paper survives its trip through JSON."""

from __future__ import annotations

import typing
from datetime import date

from clerk.papers import content
from clerk.papers.kinds import KINDS


def _body_kinds() -> set[str]:
    union = typing.get_args(content.Body)[0]
    kinds = set()
    for model in typing.get_args(union):
        kinds |= set(typing.get_args(model.model_fields["kind"].annotation))
    return kinds


def test_each_kind_has_a_body_and_each_body_a_kind():
    assert _body_kinds() == set(KINDS)


def test_type_codes_are_distinct():
    codes = [k.type_code for k in KINDS.values()]
    assert len(codes) == len(set(codes))


def test_a_paper_round_trips_through_its_stored_json():
    paper = content.Paper(
        doc_no="示范县政服补〔2026〕3号",
        issued_on=date(2026, 12, 2),
        office=content.Office(centre_name="示范县政务服务中心", seal_line="示范县市场监督管理局（行政审批专用章）"),
        applicant=content.Party(kind="person", name="张三", id_label="居民身份证", id_number="110101********0015"),
        body=content.SupplementBody(
            materials=(content.MaterialLine(name="经营场所使用证明", defect="missing", standard="A4纸"),),
            deadline=date(2026, 12, 9),
            consequence="逾期未补正的，视为撤回申请",
            legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（四）项",
        ),
    )
    again = content.Paper.model_validate_json(paper.model_dump_json())
    assert again == paper
    assert again.kind == "supplement"
