"""Test harness for the pre-fill site: headless Debian Chromium through selenium, and QR read-back.

Used by ``tests/queueing/forms`` (fixtures wrap these). Chromium runs with a fresh profile and with background
networking off, so the only traffic is the page itself.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
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

    def __init__(self, width: int = 390, height: int = 1400, *, font_size: int | None = None) -> None:
        """``font_size``: the browser's default text size in px (16 unless a resident enlarged it; 32 = 200 %)."""
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.mkdtemp(prefix="madoguchi-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self._profile}")
        options.add_argument(f"--window-size={width},{height}")
        if font_size is not None:
            options.add_experimental_option("prefs", {"webkit.webprefs.default_font_size": font_size})
        self.driver: Any = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))

    def as_phone(self, width: int = 390, height: int = 844) -> None:
        """Lay pages out on a phone's viewport: a Chromium window is never narrower than 500 px, so ``--window-size``
        alone would test a 390-px phone at 500 px; the device metrics (and the page's viewport meta) are emulated."""
        self.set_viewport(width, height, mobile=True)

    def set_viewport(self, width: int, height: int, *, mobile: bool = False) -> None:
        """The page's viewport exactly ``width``×``height`` CSS px (a window's size includes the browser's frame)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)


def wait_for(check: Callable[[], object], timeout: float = 15.0) -> Any:
    """``check()``'s first true answer, asked every 0.1 s (a page still loading may raise meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except Exception:  # the page is still loading
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def read_qr_png(png: bytes) -> list[str]:
    """Texts of the QR codes in a PNG screenshot, via zxing-cpp."""
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def type_into(driver: Any, element_id: str, text: str) -> None:
    """Type like a resident; ChromeDriver cannot type characters outside the BMP (𠮷), so those are set
    through the DOM with the same ``input`` event the page listens to."""
    element = driver.find_element("id", element_id)
    if element.tag_name == "select":
        from selenium.webdriver.support.ui import Select

        Select(element).select_by_value(text)
        return
    if all(ord(c) <= 0xFFFF for c in text):
        element.clear()
        element.send_keys(text)
        return
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        text,
    )


def fill_procedure(
    driver: Any, procedure_id: str, values: dict[str, str], groups: dict[str, list[dict[str, str]]] | None = None
) -> None:
    """Choose a procedure on the site and fill its form through the page's controls."""
    driver.find_element("id", f"proc-{procedure_id}").click()
    for key, text in values.items():
        type_into(driver, f"f-{key}", text)
    for name, rows in (groups or {}).items():
        for i, row in enumerate(rows):
            driver.find_element("id", f"add-{name}").click()
            for key, text in row.items():
                type_into(driver, f"g-{name}-{i}-{key}", text)


#: text cut by its box, or outside the page's width (visually hidden text and SVG aside): up to five, named
CUT_TEXT = """
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  if (!el.offsetParent || el.closest('.visually-hidden') || el.tagName === 'svg' || el.closest('svg')) continue;
  const r = el.getBoundingClientRect();
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (own && (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
              || r.right > innerWidth + 1 || r.left < -1))
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ': ' + el.textContent.trim().slice(0, 30));
}
return out.slice(0, 5);
"""

#: list rows of a board's shown panels cut at the panel's bottom or right edge
CUT_ROWS = """
const out = [];
for (const panel of document.querySelectorAll('.panel')) {
  if (panel.hidden) continue;
  const bottom = panel.getBoundingClientRect().bottom;
  const right = panel.getBoundingClientRect().right - parseFloat(getComputedStyle(panel).paddingRight);
  for (const row of panel.querySelectorAll('li')) {
    const box = row.getBoundingClientRect();
    if (box.bottom > bottom + 1 || box.right > right + 1) out.push(panel.id + ': ' + row.textContent);
  }
}
return out;
"""
