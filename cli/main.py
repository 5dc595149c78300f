"""``clerk`` console script. ``clerk`` alone starts the workstation TUI."""

from __future__ import annotations

import argparse
import logging
import sys

from clerk.errors import UserFacingError
from cli.chinese_help import ChineseArgumentParser


def load_settings(path: str | None):
    """clerk.config brings pydantic: loaded when a command needs it, not before the TUI's first screen."""
    from clerk.config import load_settings as load

    return load(path)


def _ticket_printer(settings):
    """The queue's TicketPrinter, built here: screens may not import printing (and vice versa)."""
    from clerk.queue.issuer import PrintOutcome, TicketSlip
    from printing.service import print_ticket
    from printing.ticket_data import TicketData

    def print_slip(slip: TicketSlip) -> PrintOutcome:
        data = TicketData(
            centre_name=slip.centre_name, line_name=slip.line_name, number=slip.number,
            people_ahead=slip.people_ahead, wait_text=slip.wait_text, issued_at=slip.issued_at,
            priority_label=slip.priority_label, note=slip.note, ticket_id=slip.ticket_id,
            rate_code=slip.rate_code,
        )
        result = print_ticket(data, settings)
        return PrintOutcome(result.sent_to, result.message)

    return print_slip


def booking_slip_data(slip):
    """A clerk.booking.slip.BookingSlip as printing's plain BookingSlipData."""
    from clerk.booking.slip import HOW_TO_USE
    from printing.booking_slip import BookingSlipData

    return BookingSlipData(
        centre_name=slip.centre_name, line_name=slip.line_name, when_text=slip.when_text(), code=slip.code,
        how_to_use=HOW_TO_USE, cancel_rule=slip.cancel_text(), booked_at=slip.booked_at,
    )


def booking_slip_printer(settings):
    """Prints 预约凭条 on the same ticket printer (clerk.booking.slip.SlipPrinter)."""
    from clerk.queue.issuer import PrintOutcome
    from printing.booking_slip import print_booking_slip

    def print_slip(slip) -> PrintOutcome:
        result = print_booking_slip(booking_slip_data(slip), settings)
        return PrintOutcome(result.sent_to, result.message)

    return print_slip


RESET_LINES_HELP = "各窗口的业务恢复为基础数据文件中的设置（撤销潮汐窗口的调整）"


def _cmd_tui(args: argparse.Namespace) -> int:
    from screens.app import Wiring, run_workstation  # Textual loads only for the TUI

    made = []

    def wire() -> Wiring:
        # Runs in the app's start-up worker, once the sign-in screen is painted.
        settings = load_settings(args.config)
        papers = _paper_printer(settings)
        made.append(papers)
        return Wiring(settings, _ticket_printer(settings), papers, booking_slip_printer(settings))

    try:
        return run_workstation(wire)
    finally:
        for papers in made:
            papers.close()


def _cmd_kiosk(args: argparse.Namespace) -> int:
    from screens.queue.kiosk import run_kiosk

    settings = load_settings(args.config)
    return run_kiosk(settings, _ticket_printer(settings))


def _cmd_init(args: argparse.Namespace) -> int:
    from clerk.bootstrap import load_reference_data, open_store

    settings = load_settings(args.config)
    store = open_store(settings)
    report = load_reference_data(settings, store, args.reset_lines)
    print(f"本地数据库：{report.store_path}")
    print(f"已载入：事项 {report.items} 个，中心 {report.centres} 个，工作人员 {report.staff} 名")
    return 0


def _paper_printer(settings):
    """The A4 printer for notices (clerk.papers.printer.PaperPrinter), sending in the background."""
    from printing.papers.printer import A4Printer

    return A4Printer(settings).start()


def _cmd_spool(args: argparse.Namespace) -> int:
    from printing.papers.printer import destination_from
    from printing.spool import Spool
    from printing.spool_sender import send_pending

    settings = load_settings(args.config)
    failed = False
    for what, spool, destination in (
        ("小票", Spool(settings.spool_path()), settings.printing.pdf_print_command),
        ("A4文书", Spool(settings.paper_spool_path()), destination_from(settings)),
    ):
        sent = send_pending(spool, destination)
        print(f"{what}打印队列：{spool.root}")
        if sent.off:
            print(f"  未设置打印命令（[printing] pdf_print_command），{sent.waiting} 份 PDF 在 pending/ 中等待手工打印")
            continue
        print(f"  已送打印机 {sent.sent} 份，仍在等待 {sent.waiting} 份")
        if sent.problem:
            print(f"  {sent.problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def _cmd_documents(args: argparse.Namespace) -> int:
    from pathlib import Path

    from clerk.clock import SystemClock, local_today
    from clerk.fixtures import load_fixtures
    from clerk.papers.demo import demo_papers
    from printing.fonts import find_cjk_font
    from printing.papers.proof import write_specimens

    settings = load_settings(args.config)
    papers = demo_papers(load_fixtures(settings.fixtures_path()), settings.centre.code, local_today(SystemClock()))
    written = write_specimens(papers, Path(args.demo).expanduser(), find_cjk_font(settings.printing.font_path))
    print(f"已生成 {len(written)} 份文书样张（{settings.centre.code}），请逐份核对名称、电话和印章文字：")
    for path in written:
        print(f"  {path}")
    return 0


def _central_store(args: argparse.Namespace):
    from clerk.central import state
    from clerk.store.engine import Store

    settings = load_settings(args.config)
    store = Store.url(args.database_url or settings.central_database_url())
    state.prepare(store)
    return settings, store


def _existing_central_store(args: argparse.Namespace):
    """The central store for commands that only look or change a row: never created here
    (that is ``clerk serve``'s job), so a mistyped URL does not leave an empty database."""
    from pathlib import Path

    from sqlalchemy.exc import OperationalError

    from clerk.store import migrate
    from clerk.store.engine import Store

    settings = load_settings(args.config)
    url = args.database_url or settings.central_database_url()
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        if not path.is_file():
            raise UserFacingError(f"中心库不存在：{path}（请先在中心服务器上运行 clerk serve）",
                                  f"no central database at {path}")
    store = Store.url(url)
    try:
        revision = migrate.current_revision(store)
    except OperationalError as exc:
        store.dispose()
        raise UserFacingError(f"无法打开中心库：{url.split('@')[-1]}", str(exc)) from exc
    if revision is None:
        store.dispose()
        raise UserFacingError(f"中心库尚未建立：{url.split('@')[-1]}（请先运行 clerk serve）", "no schema")
    return settings, store


def _cmd_serve(args: argparse.Namespace) -> int:
    from clerk.central.serve import run

    settings = load_settings(args.config)
    url = args.database_url or settings.central_database_url()
    print(f"中心库：{url.split('@')[-1]}  http://{args.host}:{args.port}  （{args.workers} 个进程）")
    run(url, args.host, args.port, args.workers, args.config)
    return 0


def _cmd_enrol_code(args: argparse.Namespace) -> int:
    from clerk.central.devices import make_enrol_code
    from clerk.clock import SystemClock

    settings, store = _central_store(args)
    code = make_enrol_code(store, SystemClock(), args.centre, args.hours or settings.central.enrol_code_hours)
    print(f"登记码（一次有效）：{code}")
    return 0


def _cmd_booking_platform(args: argparse.Namespace) -> int:
    """Register an online booking platform; its token is printed once and kept hashed."""
    from clerk.booking.platforms import add_platform, revoke_platform
    from clerk.clock import SystemClock
    from clerk.errors import UserFacingError

    _settings, store = _central_store(args)
    with store.write() as session:
        if args.revoke:
            if not revoke_platform(session, args.revoke, SystemClock().now()):
                print(f"没有这个预约平台：{args.revoke}", file=sys.stderr)
                return 1
            print(f"已停用预约平台 {args.revoke} 的令牌，其后的请求一律拒绝（401）")
            return 0
        if not args.centre or not args.name:
            print("请用 --centre 指定中心并给出平台名称，例如：clerk booking-platform --centre demo-county 善美政务",
                  file=sys.stderr)
            return 2
        try:
            token = add_platform(session, args.centre, args.name, SystemClock().now())
        except UserFacingError as exc:
            print(exc.message, file=sys.stderr)
            return 1
    print(f"预约平台令牌（只显示这一次，请妥善交给平台方）：{token}")
    print("平台调用 /api/v1/platform/… 时携带请求头  Authorization: Bearer <令牌>")
    return 0


def _cmd_revoke(args: argparse.Namespace) -> int:
    from clerk.central.devices import revoke
    from clerk.clock import SystemClock

    _settings, store = _existing_central_store(args)
    if not revoke(store, SystemClock(), args.device_id):
        print(f"没有这台设备：{args.device_id}", file=sys.stderr)
        return 1
    print(f"已撤销设备 {args.device_id}，其后的请求一律拒绝")
    return 0


def _cmd_devices(args: argparse.Namespace) -> int:
    from clerk.central.devices import list_devices
    from clerk.clock import local_time

    _settings, store = _existing_central_store(args)
    devices = list_devices(store)
    if not devices:
        print("尚无设备登记到中心库（clerk enrol-code 生成登记码）")
    for d in devices:
        status = "已撤销" if d.revoked_at else ("冲突：两台电脑共用此登记，已停收" if d.conflict_at else "有效")
        seen = f"{local_time(d.last_seen_at):%Y-%m-%d %H:%M:%S}" if d.last_seen_at else "从未同步"
        skew = "" if d.clock_skew_ms is None else f" 时钟偏差 {d.clock_skew_ms / 1000:+.0f}s"
        version = "" if d.schema_version is None else f" 数据版本 {d.schema_version}"
        print(f"{d.id}  {d.centre_code}  {d.name or '-'}  {status}  最近同步 {seen}{skew}{version}")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from clerk.central.reference import publish_fixtures
    from clerk.fixtures import load_fixtures

    settings, store = _central_store(args)
    n = publish_fixtures(store, load_fixtures(settings.fixtures_path()), args.reset_lines)
    print(f"已发布参考数据：{n} 行有变化")
    return 0


def _cmd_new_epoch(args: argparse.Namespace) -> int:
    from clerk.central.state import new_epoch

    _settings, store = _central_store(args)
    print(f"新纪元：{new_epoch(store)}；各窗口机下次同步时将全量重取并补传中心库缺少的操作")
    return 0


def _cmd_enrol(args: argparse.Namespace) -> int:
    from clerk.bootstrap import open_store
    from clerk.sync.client import CentralClient
    from clerk.sync.enrol import enrol

    settings = load_settings(args.config)
    store = open_store(settings)
    client = CentralClient(args.url, timeout=settings.sync.timeout_s)
    try:
        resp = enrol(store, client, args.code, args.name)
    finally:
        client.close()
    print(f"登记成功：设备 {resp.device_id}，所属中心 {resp.centre_code}")
    # Pull the reference data now, so the first start has staff to sign in with.
    from clerk.clock import SystemClock
    from clerk.sync.factory import build_agent

    report = build_agent(store, SystemClock(), settings).sync_once()
    print(f"已从中心库下载基础数据 {report.pulled} 条")
    return 0


def _cmd_sync(args: argparse.Namespace) -> int:
    from clerk.bootstrap import open_store
    from clerk.clock import SystemClock
    from clerk.sync.factory import build_agent
    from clerk.sync.status import sync_status

    settings = load_settings(args.config)
    store = open_store(settings)
    agent = build_agent(store, SystemClock(), settings)
    if agent is None:
        print("本机尚未登记到中心库（clerk enrol URL 登记码）", file=sys.stderr)
        return 2
    report = agent.sync_once()
    status = sync_status(store, SystemClock())
    print(f"上传 {report.pushed} 项，下载 {report.pulled} 项，新冲突 {report.conflicts} 项；待上传 {status.pending} 项")
    return 0


def _add_central(sub, name: str, help_text: str, func) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text)
    p.add_argument("--database-url", help="中心库数据库地址（默认：[central] database_url，未设置则为本机 SQLite 文件）")
    p.set_defaults(func=func)
    return p


def _add_sync_commands(sub) -> None:
    serve = _add_central(sub, "serve", "运行中心库 HTTP 服务", _cmd_serve)
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8600, help="监听端口（默认 8600）")
    serve.add_argument("--workers", type=int, default=1, help="工作进程数（多于一个须用 PostgreSQL）")
    code = _add_central(sub, "enrol-code", "主管：为一台窗口机生成一次性登记码", _cmd_enrol_code)
    code.add_argument("--centre", required=True, help="窗口机所属中心的代码")
    code.add_argument("--hours", type=float, default=None, help="有效小时数（默认：[central] enrol_code_hours）")
    revoke = _add_central(sub, "revoke", "主管：立即撤销一台窗口机的设备凭据", _cmd_revoke)
    revoke.add_argument("device_id", help="设备编号（见 clerk devices）")
    platform = _add_central(sub, "booking-platform", "管理员：登记一个网上预约平台（只显示一次其令牌）",
                            _cmd_booking_platform)
    platform.add_argument("name", nargs="?", default="", help="平台名称，如 善美政务")
    platform.add_argument("--centre", help="平台为之预约的中心代码")
    platform.add_argument("--revoke", metavar="平台编号", help="立即停用一个平台的令牌")
    _add_central(sub, "devices", "列出已登记的窗口机、最近同步时间和时钟偏差", _cmd_devices)
    publish = _add_central(sub, "publish", "把 fixtures/ 中的基础数据发布到中心库，供各窗口机下载",
                           _cmd_publish)
    publish.add_argument("--reset-lines", action="store_true", help=RESET_LINES_HELP)
    _add_central(sub, "new-epoch", "恢复备份之后：让每台窗口机全量重取并补传操作", _cmd_new_epoch)
    enrol = sub.add_parser("enrol", help="把本机登记到中心库")
    enrol.add_argument("url", help="中心库地址，如 http://10.0.0.5:8600")
    enrol.add_argument("code", help="主管给的一次性登记码")
    enrol.add_argument("--name", default="", help="本机名称，如 3号窗口")
    enrol.set_defaults(func=_cmd_enrol)
    sub.add_parser("sync", help="立即与中心库同步并显示结果").set_defaults(func=_cmd_sync)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="clerk", description="政务服务窗口工作台。不带命令时启动工作台界面。")
    parser.add_argument("--config", help="配置文件路径（默认：$CLERK_CONFIG，未设置则为系统配置目录中的 config.toml）")
    parser.add_argument("-v", "--verbose", action="store_true", help="在标准错误输出调试日志")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, help_text, func in (
        ("tui", "启动窗口工作台（默认）", _cmd_tui),
        ("kiosk", "启动自助取号机", _cmd_kiosk),
    ):
        p = sub.add_parser(name, help=help_text)
        # Also accepted after the command (`clerk kiosk --config FILE`), as people type it.
        p.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(func=func)
    init = sub.add_parser("init", help="建立或升级本机数据库，并载入 fixtures/ 中的基础数据")
    init.add_argument("--reset-lines", action="store_true", help=RESET_LINES_HELP)
    init.set_defaults(func=_cmd_init)
    sub.add_parser("spool", help="把打印队列中等待的 PDF 重新送打印机").set_defaults(func=_cmd_spool)
    documents = sub.add_parser("documents", help="按本中心的数据生成每种文书的样张")
    documents.add_argument("--demo", metavar="DIR", required=True, help="样张 PDF 的保存文件夹")
    documents.set_defaults(func=_cmd_documents)
    _add_sync_commands(sub)
    from cli.reports import add_commands as add_report_commands

    add_report_commands(sub)
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
