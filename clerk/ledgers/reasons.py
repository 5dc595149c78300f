"""好差评 grades and the national reason codes, one list per grade.

Reference data, as the national 好差评 evaluation page lists them (the checkboxes shown for
each grade of an evaluation, code → wording). 不满意 and 非常不满意 are bad reviews.
"""

from __future__ import annotations

GRADES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_GRADES = frozenset({1, 2})
GOOD_GRADES = frozenset({3, 4, 5})
"""The national system counts 基本满意 and better as 好评."""
MAX_TEXT = 150

REASONS: dict[int, dict[str, str]] = {
    5: {
        "510": "一窗受理一次办结", "511": "可以先受理后补材料", "512": "不用提交证明", "513": "可以全程网上办理",
        "514": "可以使用手机办理", "515": "可以就近办理", "516": "无需材料直接办理", "517": "服务热情效率高",
    },
    4: {
        "406": "填写一张表单就可完成申报", "407": "在线提交材料窗口核验", "408": "一张清单告知全部申报材料",
        "409": "用告知承诺减免申报材料", "410": "可以在线预约办理", "411": "跑大厅一次办完", "412": "可以使用自助机办理",
        "413": "服务态度较好",
    },
    3: {
        "307": "一次性告知需要补正的材料", "308": "提供申报材料样本", "309": "在承诺的时间内办结",
        "310": "办事指南指引准确", "311": "按办事指南要求的材料即可办理", "312": "可以快递送达",
        "313": "跑动次数与承诺的一致", "314": "服务态度一般",
    },
    2: {
        "207": "没有提供材料样本", "208": "没有提供材料清单", "209": "未在承诺时间内办结",
        "210": "同样内容的证明材料被要求多次提交", "211": "承诺网办但无法在线办理",
        "212": "在线预约办理后到实体大厅重复取号排队", "213": "窗口人员业务不熟练", "214": "服务态度生硬",
    },
    1: {
        "108": "在办事指南之外增加新的审批条件", "109": "需提供办事指南之外的申报材料", "110": "无理由超过法定办理时间",
        "111": "办事指南提供样本有错", "112": "承诺在线收取申报材料实际无法收取", "113": "多头跑窗口和部门",
        "114": "跑动次数与承诺的不一致", "115": "服务态度差效率低",
    },
}
"""The source page writes 314 as 服务态一般; the wording here fills in the missing 度."""


def reason_text(code: str) -> str:
    for reasons in REASONS.values():
        if code in reasons:
            return reasons[code]
    return code
