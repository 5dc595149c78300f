"""The questions each back-office move asks before it is applied (screens.dialogs.in_turn).

Each move is a list of steps whose answers become the move's arguments; the rules
themselves are checked by the desk and the handlers, these only collect what they need.
"""

from __future__ import annotations

from clerk.backoffice import rules
from clerk.backoffice.service import BackLine
from screens.dialogs.ask import AskText, Choice, Choose, PickMany
from screens.dialogs.in_turn import Step

DENIAL_BASIS = "《中华人民共和国行政许可法》第三十八条第二款"


def review(line: BackLine) -> list[Step]:
    return [
        lambda a: ("proposal", Choose(f"审查：{line.item_name}（{line.applicant}）",
                                      [Choice(label, value) for value, label in rules.PROPOSALS.items()])),
        lambda a: ("opinion", AskText("审查意见", "审查了什么、是否符合法定条件和标准（必填）")),
        lambda a: ("legal_basis", AskText("不予许可的法律依据", "如某法第几条第几款（必填）", (DENIAL_BASIS,)))
        if a["proposal"] == rules.DENY else None,
    ]


def check(line: BackLine) -> list[Step]:
    title = f"核准：审查人 {line.reviewed_by} 提出“{line.proposal}”，核准后即作出决定"
    return [lambda a: ("opinion", AskText(title, "核准意见", ("同意",)))]


def return_review(line: BackLine) -> list[Step]:
    return [lambda a: ("opinion", AskText("退回重新审查", "退回意见（必填：需要再核实什么）"))]


def extend(line: BackLine) -> list[Step]:
    title = f"延期{rules.EXTENSION_DAYS}个工作日（负责人批准，打印延期办理通知书）"
    return [lambda a: ("reason", AskText(title, "延期理由（必填）"))]


def suspend(line: BackLine) -> list[Step]:
    return [
        lambda a: ("procedure", Choose("启动特别程序（所需时间不计入办理时限）", [Choice(p, p) for p in rules.PROCEDURES])),
        lambda a: ("expected_days", AskText(f"{a['procedure']}：预计所需工作日", "如 15")),
    ]


def resume(line: BackLine) -> list[Step]:
    return [lambda a: ("go", Choose(f"特别程序结束，恢复计时：{line.item_name}",
                                    [Choice("恢复计时（期限顺延特别程序所用的工作日）", True)]))]


def request_return(line: BackLine, materials: list[tuple[str, str]]) -> list[Step]:
    """退回补正: which materials ((id, name) of the checklist), what each needs, why, how long."""
    names = dict(materials)

    def defect(material_id: str) -> Step:
        return lambda a: (f"defect:{material_id}", AskText(f"“{names[material_id]}”需要补正什么", "如：复印件不清晰，需出示原件",
                                                            DEFECTS)) if material_id in a["picked"] else None

    return [
        lambda a: ("picked", PickMany(f"退回补正：{line.item_name}（{line.applicant}）\n勾选需补正的材料（首席事务代表签批后告知申请人）",
                                      [Choice(name, mid) for mid, name in materials])),
        *[defect(mid) for mid, _name in materials],
        lambda a: ("reason", AskText("退回补正的理由", "审查发现了什么问题（必填，首席代表据此签批）")),
        lambda a: ("days", AskText("补正期限（签批同意之日起的工作日）", "如 10",
                                   tuple(str(d) for d in rules.RETURN_DAYS))),
    ]


DEFECTS = ("复印件不清晰，请提交清晰复印件并出示原件", "缺少申请人签字或盖章", "内容与申请书填写不一致", "已过有效期，请提交有效期内的证明")


ASKS = {"review": review, "check": check, "return_review": return_review, "extend": extend, "suspend": suspend,
        "resume": resume}


def arguments(answers: dict) -> dict:
    """The answers as the desk's arguments; a number of days that is not a number is refused."""
    args = {k: v for k, v in answers.items() if k != "go" and k != "picked" and not k.startswith("defect:")}
    if "picked" in answers:
        args["materials"] = [(m, answers[f"defect:{m}"]) for m in answers["picked"]]
        days = str(args["days"]).strip()
        if not days.isdigit():
            raise ValueError("请输入补正期限的工作日天数（数字）")
        args["days"] = int(days)
    if "expected_days" in args:
        days = str(args["expected_days"]).strip()
        if not days.isdigit():
            raise ValueError("请输入特别程序预计所需的工作日天数（数字）")
        args["expected_days"] = int(days)
    return args
