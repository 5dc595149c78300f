"""Printer off, unreachable, out of paper or misconfigured: the ticket goes to the PDF spool."""

from __future__ import annotations

import socket

import pytest
from escpos.constants import RT_MASK_LOWPAPER, RT_MASK_NOPAPER
from escpos.printer import Dummy, Usb
from PIL import Image

from clerk.errors import UserFacingError
from printing import PrinterError, Spool, print_ticket
from printing.thermal import send_image


class PaperSensorPrinter(Dummy):
    """A printer double whose paper sensor answers DLE EOT 4 with ``status``."""

    def __init__(self, status: int) -> None:
        super().__init__()
        self.status = status

    def _read(self) -> bytes:
        return bytes([self.status])


class BrokenDriver(Dummy):
    """A driver that fails the way pyusb/pycups do: with an undocumented exception."""

    def _raw(self, msg: bytes) -> None:
        raise ValueError("endpoint vanished")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def _assert_spooled(result, settings, words: str) -> None:
    assert result.sent_to == "spool"
    assert words in result.message
    assert "A023 号小票已存为 PDF" in result.message and "打印队列" in result.message
    pending = Spool(settings.spool_path()).jobs("pending")
    assert [job.id for job in pending] == [result.spool_job]
    assert pending[0].path.read_bytes().startswith(b"%PDF")


def test_network_printer_off(ticket, make_settings):
    settings = make_settings(f"network:127.0.0.1:{_closed_port()}")
    _assert_spooled(print_ticket(ticket, settings), settings, "小票打印机未连接：127.0.0.1")


def test_a_spooled_ticket_is_named_by_what_it_is(ticket, make_settings):
    result = print_ticket(ticket, make_settings(""))
    job = Spool(make_settings("").spool_path()).jobs("pending")[0]
    # Someone looking into the folder sees which ticket this is, when and for what.
    assert job.label == "小票_A023_不动产登记_20261103-0941"
    assert job.path.name == f"{result.spool_job}.pdf" and job.path.name.endswith("_20261103-0941.pdf")


def test_device_file_in_missing_directory(ticket, make_settings, tmp_path):
    settings = make_settings(f"file:{tmp_path / 'no-such-dir' / 'lp0'}")
    _assert_spooled(print_ticket(ticket, settings), settings, "小票打印机未连接")


def test_out_of_paper_prints_nothing_and_spools(ticket, make_settings):
    settings = make_settings("network:10.0.0.9")
    printer = PaperSensorPrinter(RT_MASK_NOPAPER)
    result = print_ticket(ticket, settings, printer=printer)
    _assert_spooled(result, settings, "小票打印机缺纸，请更换纸卷后重打")
    assert b"\x1dv0" not in printer.output  # no half ticket on the last centimetre of paper


def test_paper_low_prints_and_warns(ticket, make_settings):
    printer = PaperSensorPrinter(RT_MASK_LOWPAPER)
    result = print_ticket(ticket, make_settings("network:10.0.0.9"), printer=printer)
    assert result.sent_to == "printer"
    assert "纸卷将尽" in result.message
    assert b"\x1dv0" in printer.output


def test_no_printer_configured_spools(ticket, make_settings):
    settings = make_settings("")
    _assert_spooled(print_ticket(ticket, settings), settings, "未设置小票打印机")


@pytest.mark.parametrize("setting", ["bluetooth:00:11", "network:", "usb:zz:01", "lp0"])
def test_malformed_setting_spools(ticket, make_settings, setting):
    settings = make_settings(setting)
    _assert_spooled(print_ticket(ticket, settings), settings, "打印机设置有误")


@pytest.mark.skipif(Usb.is_usable(), reason="pyusb is installed here")
def test_usb_without_pyusb_says_what_is_missing(ticket, make_settings):
    settings = make_settings("usb:04b8:0202")
    _assert_spooled(print_ticket(ticket, settings), settings, "pyusb")


def test_unexpected_driver_error_still_spools(ticket, make_settings):
    settings = make_settings("network:10.0.0.9")
    result = print_ticket(ticket, settings, printer=BrokenDriver())
    _assert_spooled(result, settings, "小票打印机出错")


def test_image_wider_than_the_roll_is_refused_clearly():
    with pytest.raises(PrinterError) as caught:
        send_image(Dummy(), Image.new("1", (640, 40), 1), "lp0", 576)
    assert "超出打印机纸宽" in caught.value.message


def test_spool_unwritable_raises_a_user_facing_error(ticket, make_settings, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the spool folder should be")
    settings = make_settings("", spool_dir=str(blocker))
    with pytest.raises(UserFacingError) as caught:
        print_ticket(ticket, settings)
    assert "请口头告知取号人号码 A023" in caught.value.message
