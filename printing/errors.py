"""Printer problems as messages a clerk can act on."""

from __future__ import annotations

from clerk.errors import UserFacingError


class PrinterError(UserFacingError):
    """The ticket printer cannot print now (off, unreachable, out of paper, misconfigured)."""


class FontMissingError(UserFacingError):
    """No usable CJK TrueType font: Chinese text cannot be rendered."""


def not_connected(target: str, reason: str) -> PrinterError:
    """The printer named by ``target`` could not be reached or written to."""
    return PrinterError(f"小票打印机未连接：{target}（请检查电源和连线）", f"{target}: {reason}")


def out_of_paper(target: str) -> PrinterError:
    """The printer reported that its paper roll is empty."""
    return PrinterError("小票打印机缺纸，请更换纸卷后重打", f"{target}: paper out")


def image_too_wide(width_px: int, max_px: int) -> PrinterError:
    """The rendered ticket is wider than the printer's roll."""
    return PrinterError(
        f"小票宽度 {width_px} 点超出打印机纸宽 {max_px} 点，请检查纸宽设置",
        f"image {width_px} px > paper {max_px} px",
    )


def bad_setting(value: str) -> PrinterError:
    """``printing.ticket_printer`` has a form we do not know."""
    return PrinterError(
        f"打印机设置有误：{value!r}（应为 file:路径、network:主机[:端口]、usb:厂商:产品 或 cups:队列名）",
        f"bad ticket_printer setting: {value!r}",
    )
