"""QR codes as a module matrix, so the thermal image and the PDF draw the same code."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_matrix(text: str) -> list[list[bool]]:
    """Dark/light modules of ``text``'s QR code, without the quiet zone (renderers add it)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()
