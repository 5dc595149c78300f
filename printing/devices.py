"""Open the ticket printer named by the ``printing.ticket_printer`` setting."""

from __future__ import annotations

import copy

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import CupsPrinter, File, Network, Usb

from printing.errors import PrinterError, bad_setting, not_connected

NETWORK_PORT = 9100
# Short, so an unplugged network printer costs the kiosk a few seconds, not escpos's 60.
NETWORK_TIMEOUT_S = 4.0


def open_printer(setting: str, width_px: int, paper_width_mm: int) -> Escpos:
    """Build and open the printer ``setting`` names, sized to the roll.

    Raises PrinterError (Chinese message) when the setting is wrong or the printer cannot
    be reached; never a raw escpos or OS error.
    """
    printer = _build(setting)
    _set_media_width(printer, width_px, paper_width_mm)
    try:
        # CupsPrinter silently drops jobs unless opened first; the others would open lazily
        # on first write, which would move connection errors into the middle of a ticket.
        printer.open()
    except (EscposError, OSError, RuntimeError) as exc:
        raise not_connected(describe(setting), str(exc)) from exc
    return printer


def describe(setting: str) -> str:
    """The printer as the clerk knows it: the part after the kind, e.g. "192.168.1.50:9100"."""
    return setting.partition(":")[2] or setting


def _build(setting: str) -> Escpos:
    kind, _, rest = setting.partition(":")
    if not rest:
        raise bad_setting(setting)
    if kind == "file":
        return File(devfile=rest)
    if kind == "network":
        host, _, port = rest.partition(":")
        if not host or (port and not port.isdigit()):
            raise bad_setting(setting)
        return Network(host=host, port=int(port or NETWORK_PORT), timeout=NETWORK_TIMEOUT_S)
    if kind == "usb":
        return _usb(setting, rest)
    if kind == "cups":
        _require(CupsPrinter, "pycups", setting)
        return CupsPrinter(printer_name=rest)
    raise bad_setting(setting)


def _usb(setting: str, rest: str) -> Escpos:
    vendor, _, product = rest.partition(":")
    try:
        ids = int(vendor, 16), int(product, 16)
    except ValueError:
        raise bad_setting(setting) from None
    _require(Usb, "pyusb", setting)
    return Usb(idVendor=ids[0], idProduct=ids[1])


def _require(kind: type[Escpos], module: str, setting: str) -> None:
    # python-escpos imports pyusb/pycups lazily; without them the printer cannot work at all.
    if not kind.is_usable():
        raise PrinterError(
            f"打印机类型 {setting.partition(':')[0]} 需要安装 {module} 组件，请联系管理员",
            f"{setting}: python module {module} is not installed",
        )


def _set_media_width(printer: Escpos, width_px: int, paper_width_mm: int) -> None:
    # The default profile leaves the width "Unknown", and then escpos print()s a warning to
    # stdout on every image, which would scribble over the TUI. A copy: profiles are shared.
    data = copy.deepcopy(printer.profile.profile_data)
    data["media"]["width"] = {"mm": paper_width_mm, "pixels": width_px}
    data["media"]["dpi"] = 203
    printer.profile.profile_data = data
