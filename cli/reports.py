"""``clerk report`` and ``clerk simulate``: the supervisor's ledger from the command line."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
from datetime import date
from pathlib import Path

from clerk.errors import UserFacingError

PASSWORD_ENV = "CLERK_PASSWORD"


class OutputError(UserFacingError):
    pass


def _store(args: argparse.Namespace, settings):
    from clerk.store.engine import Store
    from clerk.store.migrate import upgrade

    if args.database_url:
        store = Store.url(args.database_url)
        upgrade(store)
        return store
    from clerk.bootstrap import has_reference_data, load_reference_data, open_store

    store = open_store(settings)
    if not has_reference_data(store):  # like the first start of the workstation
        load_reference_data(settings, store)
    return store


def _reader(store, settings, username: str) -> str:
    """The staff id of ``username`` once their password is checked (the lockout applies)."""
    from clerk.clock import SystemClock
    from clerk.staff.auth import sign_in

    password = os.environ.get(PASSWORD_ENV) or getpass.getpass(f"{username} 的密码：")
    unlocked = sign_in(store, SystemClock(), username, password, settings.auth.max_failures,
                       settings.auth.lockout_minutes)
    return unlocked.staff.staff_id


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it: never half a file."""
    path = path.expanduser()
    if path.is_dir():
        raise OutputError(f"输出路径是一个文件夹：{path}", f"{path} is a directory")
    temp = path.with_name(f".{path.name}.part")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}", str(exc)) from exc


def cmd_report(args: argparse.Namespace) -> int:
    from clerk.clock import SystemClock
    from clerk.config import load_settings
    from clerk.reports import csv_export, ledger, periods

    settings = load_settings(args.config)
    day = periods.parse_date(args.date) if args.date else date.today()
    req = ledger.Request(
        args.period, day, args.window, args.staff, args.line,
        periods.parse_time(settings.report.shift_start), periods.parse_time(settings.report.shift_end),
    )
    store = _store(args, settings)
    reader = _reader(store, settings, args.user)
    report = ledger.build(store, args.centre or settings.centre.code, req, SystemClock().now(), reader)
    if args.format == "csv":
        data = csv_export.encode(report)
    else:
        from printing.reports.pdf import render_pdf

        data = render_pdf(report, settings.printing.font_path)
    write_atomically(Path(args.out), data)
    print(f"已生成{report.period.label}台账（{report.scope.label}）：{args.out}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from clerk import workflows
    from clerk.clock import SystemClock, local_today
    from clerk.config import load_settings
    from clerk.reports.ledger import work_calendar
    from clerk.simulate.hall import DayPlan
    from clerk.simulate.run import simulate, working_days_before

    workflows.install()  # a composition root: the simulation applies every kind of mutation
    settings = load_settings(args.config)
    store = _store(args, settings)
    with store.session() as session:
        days = working_days_before(local_today(SystemClock()), args.days, work_calendar(session))
    done = simulate(store, args.centre or settings.centre.code, days, DayPlan(tickets=args.tickets), args.seed)
    print(f"已模拟 {len(done.days)} 个工作日（{done.days[0]} 至 {done.days[-1]}），共取号 {done.tickets} 张，收件 {done.cases} 件")
    return 0


def add_commands(sub) -> None:
    report = sub.add_parser("report", help="主管：导出值班台账（PDF 或 CSV）")
    report.add_argument("--period", required=True, choices=["shift", "day", "xun", "month", "quarter", "year"],
                        help="统计期：班次、日、旬、月、季、年")
    report.add_argument("--date", help="统计期内的某一天，YYYY-MM-DD（默认：今天）")
    scope = report.add_mutually_exclusive_group()
    scope.add_argument("--window", type=int, help="只统计一个窗口（窗口号）")
    scope.add_argument("--staff", help="只统计一名工作人员（用户名）")
    scope.add_argument("--line", help="只统计一类业务（字母）")
    report.add_argument("--format", required=True, choices=["pdf", "csv"], help="文件格式")
    report.add_argument("--out", required=True, help="输出文件")
    report.add_argument("--user", required=True, help=f"主管或首席事务代表的用户名（密码取自 ${PASSWORD_ENV}，未设置则询问）")
    report.add_argument("--centre", help="中心代码（默认：[centre] code）")
    report.add_argument("--database-url", help="读取中心库，而非本机数据库")
    report.set_defaults(func=cmd_report)
    sim = sub.add_parser("simulate", help="在数据库中模拟大厅 N 个工作日的业务（演示、性能测试用）")
    sim.add_argument("--days", type=int, required=True, help="模拟的工作日数")
    sim.add_argument("--tickets", type=int, default=400, help="每天取号张数（默认 400）")
    sim.add_argument("--seed", type=int, default=1, help="随机种子（默认 1），相同种子得到相同数据")
    sim.add_argument("--centre", help="中心代码（默认：[centre] code）")
    sim.add_argument("--database-url", help="写入中心库，而非本机数据库")
    sim.set_defaults(func=cmd_simulate)
