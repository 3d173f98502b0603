"""Test harness for the pre-fill site: headless Debian Chromium through selenium, and QR read-back.

Used by ``tests/queueing/forms`` (fixtures wrap these). Chromium runs with a fresh profile and with background
networking off, so the only traffic is the page itself.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class HeadlessChromium:
    """A selenium WebDriver on a throw-away profile; ``close()`` quits it and removes the profile."""

    def __init__(self, width: int = 390, height: int = 1400) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.mkdtemp(prefix="madoguchi-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self._profile}")
        options.add_argument(f"--window-size={width},{height}")
        self.driver: Any = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)


def read_qr_png(png: bytes) -> list[str]:
    """Texts of the QR codes in a PNG screenshot, via zxing-cpp."""
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
