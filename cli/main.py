"""``clerk`` console script. ``clerk`` alone starts the workstation TUI."""

from __future__ import annotations

import argparse
import logging
import sys

from clerk.config import load_settings
from clerk.errors import UserFacingError


def _cmd_tui(args: argparse.Namespace) -> int:
    from screens.app import run_workstation  # Textual loads only for the TUI

    return run_workstation(load_settings(args.config))


def _cmd_init(args: argparse.Namespace) -> int:
    from clerk.bootstrap import load_reference_data, open_store

    settings = load_settings(args.config)
    store = open_store(settings)
    report = load_reference_data(settings, store)
    print(f"本地数据库：{report.store_path}")
    print(f"已载入：事项 {report.items} 个，中心 {report.centres} 个，工作人员 {report.staff} 名")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clerk", description="政务服务窗口工作台 counter workstation")
    parser.add_argument("--config", help="配置文件路径 (default: $CLERK_CONFIG or the platform config dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("tui", help="start the workstation (default)").set_defaults(func=_cmd_tui)
    sub.add_parser("init", help="create/migrate the local store and load fixtures/ reference data").set_defaults(func=_cmd_init)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    func = getattr(args, "func", _cmd_tui)
    try:
        return func(args)
    except UserFacingError as exc:
        logging.getLogger("clerk").debug("refused: %s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
