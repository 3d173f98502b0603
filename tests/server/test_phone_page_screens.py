"""The phone page in every language, on a phone and at 1920×1080, 1080×1920 and 1280×1024, in normal and large
text (the browser's font 1.35× bigger), rendered by headless Chromium: nothing wider than the screen, no word
split, the ticket number on one line, furigana for easy Japanese. Screenshots under tests/artifacts/phone/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.core import api_models as m
from madoguchi.core.config import EXAMPLE_CONFIG, SHIPPED_LANGUAGES, load_config
from madoguchi.server.web.pages import not_found_page, ticket_page
from tests.support.browser import HeadlessChromium, chromium_available

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium is not installed")

SIZES = ((390, 844), (1920, 1080), (1080, 1920), (1280, 1024))
CONFIG = load_config(EXAMPLE_CONFIG)
# Words, in each page's own text, that a line must never cut (checked on the rendered lines).
OVERFLOW_JS = """
const doc = document.documentElement;
const wide = [...document.querySelectorAll('p, div')].filter(e => e.scrollWidth > e.clientWidth + 1);
return [doc.scrollWidth - window.innerWidth, wide.map(e => e.textContent.slice(0, 40))];
"""
# The text of each rendered line of every paragraph (a Range per character, grouped by its top).
LINES_JS = """
const out = [];
for (const p of document.querySelectorAll('p, .number')) {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('rt') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const lines = []; let top = null; let line = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (let i = 0; i < n.length; i++) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      const rect = r.getClientRects()[0];
      if (rect && rect.width > 0) {  // a space at a line's end has no box: it stays with its line
        if (top !== null && rect.top > top + rect.height / 2) { lines.push(line); line = ''; }
        if (top === null || rect.top > top + rect.height / 2) top = rect.top;
      }
      line += n.data[i];
    }
  }
  lines.push(line); out.push([p.closest('[lang]').getAttribute('lang'), lines, p.classList.contains('number')]);
}
return out;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[HeadlessChromium]:
    chromium = HeadlessChromium(390, 844)
    yield chromium
    chromium.close()


def status(lang: str) -> m.TicketStatus:
    service = CONFIG.service("koseki")
    estimate = m.Estimate(low_min=3, mid_min=6, high_min=9)
    return m.TicketStatus(
        number="C-007",
        state="waiting",
        language=lang,
        service_name=dict(service.name),
        people_ahead=1,
        estimate=estimate,
    )


def test_the_phone_page_in_every_language_and_size(browser: HeadlessChromium, artifacts_dir: Path) -> None:
    from madoguchi.translations.line_breaking import NO_LINE_START, breaks

    folder = artifacts_dir / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    driver = browser.driver
    problems: list[str] = []
    pages = [(lang, ticket_page(status(lang), CONFIG)) for lang in SHIPPED_LANGUAGES]
    pages.append(("404", not_found_page()))
    for width, height in SIZES:
        driver.set_window_size(width, height)
        for large in (False, True):
            for lang, html in pages:
                if large:
                    html = html.replace("font-size:20px", "font-size:27px")
                page = folder / f"{lang}.html"
                page.write_text(html, encoding="utf-8")
                driver.get(page.as_uri())
                excess, wide = driver.execute_script(OVERFLOW_JS)
                key = f"{width}x{height}-{'large' if large else 'normal'}-{lang}"
                if excess > 0 or wide:
                    problems.append(f"{key}: wider than the screen by {excess}px: {wide}")
                for paragraph_lang, lines, is_number in driver.execute_script(LINES_JS):
                    text = "".join(lines)
                    if is_number and len(lines) > 1:
                        problems.append(f"{key}: the ticket number is cut: {lines}")
                    rule = "ja" if lang == "ja-easy" else paragraph_lang
                    allowed = set(breaks(text, rule)) | {i + 1 for i, ch in enumerate(text) if ch.isspace()}
                    offset = 0
                    for line in lines[:-1]:
                        offset += len(line)
                        if text[offset : offset + 1] in NO_LINE_START or offset not in allowed:
                            problems.append(f"{key}: line break inside a word: {lines}")
                driver.save_screenshot(str(folder / f"{key}.png"))
    assert problems == [], "\n".join(problems)
