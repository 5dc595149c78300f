"""Printer problems as messages a clerk can act on."""

from __future__ import annotations

import errno

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


_OS_REASONS = {
    errno.EACCES: "没有写权限",
    errno.EPERM: "没有写权限",
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有同名文件，不是文件夹",
    errno.EEXIST: "已有同名文件，不是文件夹",
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "只读的磁盘",
    errno.EIO: "磁盘读写出错",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in words a clerk understands."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
