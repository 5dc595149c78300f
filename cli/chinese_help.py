"""argparse in Chinese: its own words (用法, 选项, -h) and its commonest error messages.

argparse writes "usage:", "options:", "show this help message and exit" and its errors in
English; everything else a clerk or supervisor reads is Chinese, so the parser is too.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

_ERRORS = (
    (re.compile(r"^the following arguments are required: (.+)$"), r"缺少必填参数：\1"),
    (re.compile(r"^one of the arguments (.+) is required$"), r"须给出参数 \1 之一"),
    (re.compile(r"^unrecognized arguments: (.+)$"), r"无法识别的参数：\1"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"), r"参数 \1 不明确，可能是：\2（请写全）"),
    (re.compile(r"^unexpected option string: (.+)$"), r"此处不应有选项 \1"),
    (re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"), r"参数 \1 的值 \2 无效，可选：\3"),
    (re.compile(r"^argument (\S+): invalid int value: (.+)$"), r"参数 \1 须为整数：\2"),
    (re.compile(r"^argument (\S+): invalid float value: (.+)$"), r"参数 \1 须为数字：\2"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.+)$"), r"参数 \1 的值无效：\2"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"参数 \1 后须跟一个值"),
    (re.compile(r"^argument (\S+): expected at most one argument$"), r"参数 \1 后至多跟一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), r"参数 \1 后须跟至少一个值"),
    (re.compile(r"^argument (\S+): expected (\d+) arguments?$"), r"参数 \1 后须跟 \2 个值"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.+)$"), r"参数 \1 不带值，却给了 \2"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), r"参数 \1 不能与 \2 同时使用"),
    # Last: the message of a type function of ours (already Chinese) after argparse's prefix.
    (re.compile(r"^argument (\S+): (.+)$"), r"参数 \1：\2"),
)
"""Every error argparse 3.11 gives a command line (argparse.py's ``self.error`` and
ArgumentError calls); the others it has are mistakes in building a parser, not in typing."""


def chinese_error(message: str) -> str:
    """argparse's English error in Chinese; one it does not know is kept as it is."""
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese; subcommands inherit it."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{chinese_error(message)}\n")
