"""QR code rasterising shared by the ticket layout and the simulator, so a native QR prints where the preview
shows it and the simulator's decoded page matches the preview pixel for pixel."""

from __future__ import annotations

from enum import IntEnum

import qrcode
from PIL import Image


class QrErrorCorrection(IntEnum):
    """ESC/POS ``GS ( k`` function 169 levels (sent as 48 + value)."""

    L = 0
    M = 1
    Q = 2
    H = 3


_QRCODE_EC = {
    QrErrorCorrection.L: qrcode.constants.ERROR_CORRECT_L,
    QrErrorCorrection.M: qrcode.constants.ERROR_CORRECT_M,
    QrErrorCorrection.Q: qrcode.constants.ERROR_CORRECT_Q,
    QrErrorCorrection.H: qrcode.constants.ERROR_CORRECT_H,
}


def qr_modules(payload: str, ec: QrErrorCorrection) -> list[list[bool]]:
    """Module matrix without quiet zone (a printer's native QR has none either)."""
    code = qrcode.QRCode(version=None, error_correction=_QRCODE_EC[ec], border=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_image(payload: str, module_px: int, ec: QrErrorCorrection = QrErrorCorrection.M) -> Image.Image:
    """Mode "1" image, black modules on white, ``module_px`` dots per module."""
    matrix = qr_modules(payload, ec)
    n = len(matrix)
    small = Image.new("1", (n, n), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((n * module_px, n * module_px), Image.Resampling.NEAREST)
