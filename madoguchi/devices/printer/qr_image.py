"""QR code rasterising shared by the ticket layout and the simulator, so a native QR prints where the preview
shows it and the simulator's decoded page matches the preview pixel for pixel."""

from __future__ import annotations

from enum import IntEnum

import numpy as np
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


def _modules_qrcode(payload: str, ec: QrErrorCorrection) -> Image.Image:
    code = qrcode.QRCode(version=None, error_correction=_QRCODE_EC[ec], border=0)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    matrix = code.get_matrix()
    small = Image.new("1", (len(matrix), len(matrix)), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small


def _modules(payload: str, ec: QrErrorCorrection) -> Image.Image:
    """One pixel per module, no quiet zone (a printer's native QR has none either)."""
    try:
        import zxingcpp

        # zxing-cpp's encoder is ~20x faster than qrcode's pure-Python mask selection (most of a render).
        code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=ec.name)
        pixels = code.to_image(scale=1, add_quiet_zones=False)
    except (ImportError, AttributeError, TypeError):  # zxing-cpp < 2.3 has no encoder
        return _modules_qrcode(payload, ec)
    return Image.fromarray(np.asarray(pixels)).point(lambda v: 255 if v >= 128 else 0, mode="1")


def qr_image(payload: str, module_px: int, ec: QrErrorCorrection = QrErrorCorrection.M) -> Image.Image:
    """Mode "1" image, black modules on white, ``module_px`` dots per module."""
    small = _modules(payload, ec)
    return small.resize((small.width * module_px, small.height * module_px), Image.Resampling.NEAREST)
