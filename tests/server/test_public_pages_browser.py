"""Every residents' page in every hall language, in headless Chromium against a real server: WCAG 2.1 AA by
axe-core, nothing wider than a 390-px phone, at the browser's usual text size and with the text at 200 %, no policy
violation; and the browser board with calls, counters
and waiting counts at 1280×720 and 3840×2160, before any call and without a token (never blank).
Screenshots under tests/artifacts/public/ and tests/artifacts/board/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import EXAMPLE_CONFIG, SHIPPED_LANGUAGES
from tests.support.accessibility import axe_violations, describe
from tests.support.browser import CUT_ROWS, CUT_TEXT, HeadlessChromium, chromium_available, wait_for

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium and chromedriver are not installed")


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    tmp = tmp_path_factory.mktemp("public-pages")
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^closed_weekdays = .*$", "closed_weekdays = []", text, flags=re.M)
    text = re.sub(r"^closed_dates = \[.*?\n\]", "closed_dates = []", text, flags=re.M | re.S)
    text = re.sub(r"^per_source_per_hour = \d+", "per_source_per_hour = 1000", text, flags=re.M)
    (tmp / "hall.toml").write_text(text, encoding="utf-8")
    with HallServerProcess(tmp / "server", config_path=tmp / "hall.toml") as srv:
        yield srv


@pytest.fixture(scope="module")
def phone() -> Iterator[HeadlessChromium]:
    browser = HeadlessChromium(390, 844)
    browser.as_phone(PHONE_WIDTH, 844)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def large_text_phone() -> Iterator[HeadlessChromium]:
    """A resident who set the browser's text size to 200 % (32 px instead of 16)."""
    browser = HeadlessChromium(390, 844, font_size=32)
    browser.as_phone(PHONE_WIDTH, 844)
    yield browser
    browser.close()


PHONE_WIDTH = 390
#: a visit through a counter of the first floor to two of the second (the phone page's route and next place)
VISIT_ROUTE = ["juminhyo", "kokuho", "jido_teate"]
#: where the visit's next place (its counters and area) is checked too: furigana, and the longest texts (the page
#: is the same in the others; a check costs a second or two per language and text size)
VISIT_NEXT_LANGUAGES = ("ja-easy", "pt-BR", "ne", "tl")

# Elements whose own text overflows their box (a word too long for its line, a clipped label) or lies outside the
# screen's width: what scrollWidth alone misses when a parent hides the overflow.


def check_page(driver: Any, key: str, folder: Path, problems: list[str]) -> None:
    found = axe_violations(driver)
    if found:
        problems.append(f"{key}:\n{describe(found)}")
    # a phone widens its layout viewport to content wider than the screen: measure against the screen itself
    wider = driver.execute_script("return Math.max(document.documentElement.scrollWidth, innerWidth)") - PHONE_WIDTH
    if wider > 0:
        problems.append(f"{key}: {wider} px wider than the phone")
    cut = driver.execute_script(CUT_TEXT, PHONE_WIDTH)
    if cut:
        problems.append(f"{key}: text cut or outside the screen: {cut}")
    policy = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    if policy:
        problems.append(f"{key}: {policy}")
    driver.save_screenshot(str(folder / f"{key}.png"))


@pytest.mark.parametrize("text_size", ["usual", "large-text"])
def test_every_residents_page_in_every_language(
    hall: HallServerProcess, text_size: str, request: pytest.FixtureRequest, artifacts_dir: Path
) -> None:
    folder = artifacts_dir / "public" / text_size
    folder.mkdir(parents=True, exist_ok=True)
    browser: HeadlessChromium = request.getfixturevalue("phone" if text_size == "usual" else "large_text_phone")
    driver = browser.driver
    kiosk = hall.client("kiosk-1" if text_size == "usual" else "kiosk-3")  # 30 tickets a minute each
    clerk = hall.staff_client(1)
    tomorrow = None
    problems: list[str] = []
    for lang in SHIPPED_LANGUAGES:
        driver.get(f"{hall.base_url}/book?lang={lang}")
        check_page(driver, f"{lang}-1-book", folder, problems)
        driver.get(f"{hall.base_url}/book/tennyu?lang={lang}")
        check_page(driver, f"{lang}-2-days", folder, problems)
        links = driver.find_elements("css selector", "a.choice.day")
        tomorrow = tomorrow or links[1].get_attribute("href").split("day=")[1].split("&")[0]
        driver.get(f"{hall.base_url}/book/tennyu?lang={lang}&day={tomorrow}")
        check_page(driver, f"{lang}-3-times", folder, problems)
        driver.find_element("css selector", ".slot label").click()
        driver.find_element("id", "book").click()
        wait_for(lambda: "/book/r/" in driver.current_url)
        check_page(driver, f"{lang}-4-confirmation", folder, problems)
        driver.find_element("id", "cancel").click()
        wait_for(lambda: driver.find_elements("id", "confirm-cancel"))
        check_page(driver, f"{lang}-5-cancel", folder, problems)
        driver.find_element("id", "confirm-cancel").click()
        wait_for(lambda: not driver.find_elements("id", "confirm-cancel"))
        check_page(driver, f"{lang}-5-cancelled", folder, problems)
        ticket = kiosk.issue("juminhyo", language=lang)
        driver.get(f"{hall.base_url}/t/{ticket.token}")
        wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "waiting")
        check_page(driver, f"{lang}-6-phone", folder, problems)
        ruby = driver.find_elements("css selector", "ruby rt")
        assert bool(ruby) == (lang == "ja-easy"), lang  # easy Japanese: furigana over the kanji
        if lang == "ja-easy":
            driver.find_element("id", "alerts").click()  # the button's new words keep their furigana
            assert driver.find_element("id", "alerts").get_attribute("aria-pressed") == "true"
            assert driver.find_elements("css selector", "#alerts ruby rt")
        driver.get(f"{hall.base_url}/t/{ticket.token}/leave")
        check_page(driver, f"{lang}-7-leave", folder, problems)
        driver.find_element("id", "confirm-leave").click()
        wait_for(lambda: not driver.find_elements("id", "confirm-leave"))
        check_page(driver, f"{lang}-7-left", folder, problems)
        # the called ticket is a visit: its page also lists the route, then moves on to the next counter
        ticket = kiosk.issue("juminhyo", language=lang, route=VISIT_ROUTE)
        driver.get(f"{hall.base_url}/t/{ticket.token}")
        wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "waiting")
        called = clerk.call_next(1)
        assert called is not None and called.id == ticket.ticket.id
        wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "called")
        check_page(driver, f"{lang}-8-called", folder, problems)
        clerk.done(called.id, 1)
        if lang in VISIT_NEXT_LANGUAGES:
            wait_for(lambda: driver.execute_script("return document.body.dataset.step") == "2")
            check_page(driver, f"{lang}-9-visit-next-step", folder, problems)
        httpx.post(f"{hall.base_url}/t/{ticket.token}/leave")  # the visit ends: no one waits at kokuho after it
    driver.get(f"{hall.base_url}/t/no-such-ticket-token-here")
    check_page(driver, "not-found", folder, problems)
    assert problems == [], "\n".join(problems)


# Rows of the board's panels that reach below their panel (cut in half by its edge) or into its right margin.


def test_the_board_with_calls_at_720p_and_4k_and_never_blank(hall: HallServerProcess, artifacts_dir: Path) -> None:
    folder = artifacts_dir / "board"
    folder.mkdir(parents=True, exist_ok=True)
    board = HeadlessChromium(1280, 720)
    board.set_viewport(1280, 720)
    driver = board.driver
    try:
        driver.get(f"{hall.base_url}/board")  # no token: the skeleton and what is missing, not a blank page
        wait_for(lambda: driver.find_element("id", "token-missing").is_displayed())
        assert "まだお呼びしていません" in driver.find_element("id", "now").text
        driver.save_screenshot(str(folder / "board-no-token.png"))
        driver.get(f"{hall.base_url}/board?sub=pt-BR#token={hall.tokens['board-1']}")
        wait_for(lambda: driver.execute_script("return document.body.dataset.calls") is not None)
        kiosk = hall.client("kiosk-2")
        for service in ("juminhyo", "juminhyo", "koseki", "tennyu", "tennyu", "kokuho", "mynumber", "zei_shomei"):
            kiosk.issue(service, language="pt-BR")
        calls = [(1, "A-"), (4, "D-"), (9, "H-")]
        for counter, prefix in calls:
            called = hall.staff_client(counter).call_next(counter)
            assert called is not None and called.number.startswith(prefix)
        wait_for(lambda: driver.execute_script("return document.body.dataset.last") == called.number)
        wait_for(
            lambda: (
                "D-" in driver.find_element("id", "recent").text
                and "4番窓口" in driver.find_element("id", "serving").text
            )
        )
        text = driver.find_element("tag name", "body").text
        assert "Chamando agora" in text and "9番窓口" in text and "guichê 9" in text  # the subtitle and call line
        assert "人" in driver.find_element("id", "waiting").text  # counts per procedure
        found = axe_violations(driver)
        assert found == [], describe(found)
        for width, height in ((1280, 720), (3840, 2160)):
            board.set_viewport(width, height)
            time.sleep(0.3)
            overflow = driver.execute_script(
                "return Math.max(0, document.documentElement.scrollWidth - innerWidth, "
                "document.documentElement.scrollHeight - innerHeight)"
            )
            assert overflow == 0, (width, height)
            assert driver.execute_script("return [innerWidth, innerHeight]") == [width, height]
            assert driver.execute_script(CUT_ROWS) == [], (width, height)
            driver.save_screenshot(str(folder / f"board-calls-{width}x{height}.png"))
    finally:
        board.close()


def test_the_phone_rings_at_three_ahead_and_when_called_and_the_board_chimes(
    hall: HallServerProcess, phone: HeadlessChromium
) -> None:
    driver = phone.driver
    kiosk = hall.client("kiosk-3")
    ahead = [kiosk.issue("kokuho") for _ in range(4)]
    mine = kiosk.issue("kokuho", language="vi")
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": hall.base_url, "permissions": ["notifications"]})
    driver.get(f"{hall.base_url}/t/{mine.token}")
    wait_for(lambda: driver.find_element("id", "alerts").is_displayed())
    driver.find_element("id", "alerts").click()  # the one tap that lets the page ring
    board = HeadlessChromium(1280, 720)
    try:
        board.driver.get(f"{hall.base_url}/board#token={hall.tokens['board-1']}")
        wait_for(lambda: board.driver.execute_script("return document.body.dataset.calls") is not None)
        time.sleep(0.8)  # the page has asked whether it may sound
        if board.driver.find_element("id", "sound").is_displayed():
            board.driver.find_element("id", "sound").click()  # staff allow the board's sound once
        wait_for(lambda: board.driver.execute_script("return document.getElementById('sound').hidden"))
        clerk = hall.staff_client(10)

        def serve_next() -> None:
            called = clerk.call_next(10)
            assert called is not None
            clerk.done(called.id, 10)

        serve_next()  # four ahead → three: "soon"
        rang = wait_for(lambda: driver.execute_script("return window.madoguchiAlerts.length && window.madoguchiAlerts"))
        assert [a["kind"] for a in rang] == ["near"] and "sound" in rang[0]["by"]
        wait_for(lambda: board.driver.execute_script("return document.body.dataset.chimes") == "1")
        for _ in ahead[1:]:
            serve_next()  # two, one, none ahead: no ringing again for "soon"
        clerk.call_next(10)
        wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "called")
        kinds = [a["kind"] for a in driver.execute_script("return window.madoguchiAlerts")]
        assert kinds == ["near", "called"]
        assert (
            "Quầy 10" in driver.find_element("id", "status").text
            or "quầy 10" in driver.find_element("id", "status").text
        )
        wait_for(lambda: board.driver.execute_script("return document.body.dataset.chimes") == "5")
    finally:
        board.close()
