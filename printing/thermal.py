"""Send a rendered ticket image to an ESC/POS printer: init, raster image (GS v 0), cut."""

from __future__ import annotations

import errno
import socket
from contextlib import suppress

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import CupsPrinter, File
from PIL import Image

from printing.errors import PrinterError, image_too_wide, not_connected, out_of_paper

PAPER_OUT, PAPER_LOW = 0, 1
STATUS_TIMEOUT_S = 1.0
CUPS_STOPPED = 5


def send_image(printer: Escpos, image: Image.Image, target: str, max_width_px: int) -> str:
    """Print ``image`` and cut; return a warning for the clerk ("" when none).

    Raises PrinterError for every printer problem; the printer is closed either way.
    """
    max_width_px = min(max_width_px, _profile_width(printer) or max_width_px)
    if image.width > max_width_px:
        raise image_too_wide(image.width, max_width_px)
    try:
        warning = _check_ready(printer, target)
        printer.hw("INIT")
        printer.image(image)
        printer.cut()
        printer.close()  # File flushes and CupsPrinter submits the job here
    except PrinterError:
        _close_quietly(printer)
        raise
    except (EscposError, OSError, RuntimeError, AssertionError) as exc:
        # AssertionError: escpos asserts an open device in _raw when the link has dropped.
        _close_quietly(printer)
        raise not_connected(target, str(exc)) from exc
    return warning


def _profile_width(printer: Escpos) -> int | None:
    """The roll width the printer's profile declares, when it declares one."""
    try:
        return int(printer.profile.profile_data["media"]["width"]["pixels"])
    except (KeyError, TypeError, ValueError):
        return None


def _check_ready(printer: Escpos, target: str) -> str:
    if isinstance(printer, CupsPrinter):
        # CUPS knows the queue's state, not the paper sensor; and a status query would be
        # written into the job itself. Ask CUPS instead.
        state = printer.printers.get(printer.printer_name, {}).get("printer-state")
        if state == CUPS_STOPPED:
            raise not_connected(target, "CUPS queue stopped")
        return ""
    status = _paper_status(printer)
    if status == PAPER_OUT:
        raise out_of_paper(target)
    if status == PAPER_LOW:
        return "小票打印机纸卷将尽，请准备更换"
    return ""


def _paper_status(printer: Escpos) -> int | None:
    """The paper sensor (0 out, 1 low, 2 fine), or None when the device cannot answer."""
    if isinstance(printer, File):
        return None  # escpos cannot read a device file: the query would only add bytes
    device = printer.device
    previous = device.gettimeout() if isinstance(device, socket.socket) else None
    try:
        # Printers that ignore DLE EOT would otherwise hold the kiosk for the whole timeout.
        if isinstance(device, socket.socket):
            device.settimeout(STATUS_TIMEOUT_S)
        return printer.paper_status()
    except NotImplementedError:
        return None  # a driver without a read channel
    except OSError as exc:
        # Some printers never answer DLE EOT (socket timeout, or pyusb's ETIMEDOUT).
        if isinstance(exc, TimeoutError) or exc.errno == errno.ETIMEDOUT:
            return None
        raise
    finally:
        if isinstance(device, socket.socket):
            device.settimeout(previous)


def _close_quietly(printer: Escpos) -> None:
    with suppress(Exception):
        printer.close()
