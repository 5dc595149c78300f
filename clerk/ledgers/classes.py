"""What the ledgers record, as the clerk reads it: kinds, channels, classes, results."""

from __future__ import annotations

FIRST_CONTACT = "first_contact"
COMPLAINT = "complaint"
RECTIFICATION = "rectification"

KIND_LABELS = {FIRST_CONTACT: "首问负责登记", COMPLAINT: "“办不成事”反映", RECTIFICATION: "差评整改"}
NUMBER_PREFIX = {FIRST_CONTACT: "SW", COMPLAINT: "BCS", RECTIFICATION: "ZG"}

FIRST_CONTACT_CHANNELS = {"window": "窗口", "phone": "电话", "letter": "信函", "email": "电子邮件", "online": "网上"}
COMPLAINT_CHANNELS = {"window": "窗口", "phone": "电话", "12345": "12345热线", "online": "网上", "box": "意见箱"}
RATING_SOURCES = {"pad": "窗口评价器", "kiosk": "自助终端", "public": "办件公开页面"}
"""Where a rating came from; also the channel of the rectification a bad one opens."""
WRITTEN_CHANNELS = frozenset({"letter", "email"})
"""Answered within ``letter_answer_days`` (002 第十五条(四))."""

COMPLAINT_CLASS_LABELS = {
    "on_spot": "当场解决",
    "policy": "政策原因",
    "multi_department": "涉及多个部门",
    "complex": "情况复杂",
    "conduct": "工作人员作风",
}
LEGAL_LABEL = "涉法涉诉涉访"

FOLLOW_UP_METHODS = {"phone": "电话回访", "visit": "上门回访", "sms": "短信回访", "site": "现场回访"}
SATISFACTION = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}

RESULT_KINDS = {
    "answered": "当场答复",
    "referred": "引导至其他窗口或部门",
    "follow_up": "限期答复",
    "solved": "已解决",
    "explained": "已解释说明",
    "rectified": "已整改",
    "referred_out": "已转交有权机关",
}

STATUS_LABELS = {
    "registered": "已登记",
    "referred": "已引导",
    "follow_up": "待答复",
    "expert": "待专家答复",
    "assigned": "已交办",
    "disputed": "职责争议",
    "verified": "已核实",
    "resolved": "已处理",
    "fed_back": "已反馈",
    "followed_up": "已回访",
    "appealed": "申诉中",
    "closed": "已办结",
    "referred_out": "已转交",
}
CLOSED_STATES = frozenset({"closed", "referred_out"})


def channel_label(code: str) -> str:
    """The channel of any record as the clerk reads it (a code left as is if unknown)."""
    return FIRST_CONTACT_CHANNELS.get(code) or COMPLAINT_CHANNELS.get(code) or RATING_SOURCES.get(code) or code
