"""A visit (one ticket through several counters) on the residents' screens, in headless Chromium against a real
server: the phone page lists the route and the step now with its counters and area, and follows a step done to the
next place to go; the browser board shows a call's step and the visits that moved on. Screenshots under
tests/artifacts/phone/visit and tests/artifacts/board/visit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translate
from tests.support.accessibility import axe_violations, describe
from tests.support.browser import CUT_ROWS, HeadlessChromium, chromium_available, wait_for

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium and chromedriver are not installed")

ROUTE = ["tennyu", "kokuho", "jido_teate"]


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    with HallServerProcess(tmp_path_factory.mktemp("visit-pages")) as srv:
        yield srv


def route_states(driver: Any) -> list[str]:
    """Each step's state as the list shows it (read in one go: the page re-renders it with each update)."""
    states: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#route li')].map(li => li.classList[li.classList.length - 1])"
    )
    return states


def text_of(driver: Any, selector: str) -> str:
    found: str = driver.execute_script("return document.querySelector(arguments[0]).innerText", selector)
    return found


def full_page_shot(driver: Any, browser: HeadlessChromium, path: Path) -> None:
    """The whole page, as tall as it is (the route sits below the fold on a phone)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    browser.set_viewport(390, height, mobile=True)
    driver.save_screenshot(str(path))
    browser.as_phone()


def test_the_phone_page_shows_the_route_and_follows_a_step_done(hall: HallServerProcess, artifacts_dir: Path) -> None:
    folder = artifacts_dir / "phone" / "visit"
    folder.mkdir(parents=True, exist_ok=True)
    kiosk = hall.client("kiosk-1")
    visits = {lang: kiosk.issue("tennyu", route=ROUTE, language=lang) for lang in ("ja", "ja-easy", "pt-BR")}
    clerk = hall.staff_client(4)
    phone = HeadlessChromium(390, 844)
    phone.as_phone()
    driver = phone.driver
    try:
        for lang, visit in visits.items():
            driver.get(f"{hall.base_url}/t/{visit.token}")
            wait_for(lambda: driver.execute_script("return document.body.dataset.step") == "1")
            assert route_states(driver) == ["current", "pending", "pending"]
            if lang != "ja-easy":  # (easy Japanese: its furigana are in the element's text too)
                now = text_of(driver, ".step-now")
                assert translate(lang, "phone.route.step", step="1", steps="3") in now
            full_page_shot(driver, phone, folder / f"{lang}-1-step1.png")
        # the first step done while the page is open: it moves on by itself to the next place to go
        for lang, visit in visits.items():
            driver.get(f"{hall.base_url}/t/{visit.token}")
            wait_for(lambda: driver.execute_script("return document.body.dataset.step") == "1")
            called = clerk.call_next(4)
            assert called is not None and called.id == visit.ticket.id
            wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "called")
            clerk.done(called.id, 4)
            wait_for(lambda: driver.execute_script("return document.body.dataset.step") == "2")
            assert driver.execute_script("return document.body.dataset.state") == "waiting"
            assert route_states(driver) == ["done", "current", "pending"]
            status = text_of(driver, "#status")
            assert translate(lang, "phone.route.next") in status or lang == "ja-easy"
            if lang == "ja":
                assert "国民健康保険" in status and "9・10番窓口" in status and "2階 保険年金課の待合ロビー" in status
            if lang == "pt-BR":
                assert "Seguro Nacional de Saúde" in status and "Guichês 9 e 10" in status and "Andar 2F" in status
            if lang == "ja-easy":
                assert driver.execute_script("return document.querySelectorAll('.step-now ruby rt').length")
            current = text_of(driver, "#route li[aria-current='step']")
            assert translate(lang, "phone.route.state.current") in current
            found = axe_violations(driver)
            assert found == [], describe(found)
            full_page_shot(driver, phone, folder / f"{lang}-2-step2.png")
    finally:
        phone.close()
        clerk.logout()


# Rows of the board's panels that reach below their panel (cut in half by its edge) or into its right margin.


def test_the_board_shows_a_calls_step_and_where_a_visit_goes_next(hall: HallServerProcess, artifacts_dir: Path) -> None:
    folder = artifacts_dir / "board" / "visit"
    folder.mkdir(parents=True, exist_ok=True)
    kiosk = hall.client("kiosk-2")
    for service in ("juminhyo", "juminhyo", "koseki", "kokuho", "mynumber", "zei_shomei", "inkan"):
        kiosk.issue(service, language="en")  # a hall with people waiting: the other panels are not empty
    visit = kiosk.issue("tennyu", route=ROUTE, language="pt-BR")
    board = HeadlessChromium(1280, 720)
    board.set_viewport(1280, 720)
    driver = board.driver
    at_4, at_9 = hall.staff_client(4), hall.staff_client(9, staff_id="staff2")
    try:
        driver.get(f"{hall.base_url}/board?sub=pt-BR#token={hall.tokens['board-1']}")
        wait_for(lambda: driver.execute_script("return document.body.dataset.calls") is not None)
        called = at_4.call_next(4)
        while called is not None and called.id != visit.ticket.id:  # tickets of other tests before it
            at_4.done(called.id, 4)
            called = at_4.call_next(4)
        assert called is not None
        wait_for(lambda: driver.execute_script("return document.body.dataset.last") == visit.ticket.number)
        now = driver.find_element("id", "now").text
        assert "手続き 1/3" in now and "Etapa 1/3" in now
        moves_shown = "return document.body.dataset.moves.split(' ')"
        assert visit.ticket.number not in driver.execute_script(moves_shown)
        at_4.done(called.id, 4)
        wait_for(lambda: driver.execute_script(moves_shown)[0] == visit.ticket.number)  # the newest first
        moves = driver.find_element("id", "moves").text
        assert "国民健康保険" in moves and "9・10番窓口" in moves and "2階" in moves
        assert "Seguro Nacional de Saúde" in moves and "Guichês 9 e 10" in moves and "2/3" in moves
        found = axe_violations(driver)
        assert found == [], describe(found)
        for width, height in ((1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)):
            board.set_viewport(width, height)
            time.sleep(0.3)  # the page fits its rows again after the resize
            overflow = driver.execute_script(
                "return Math.max(0, document.documentElement.scrollWidth - innerWidth, "
                "document.documentElement.scrollHeight - innerHeight)"
            )
            driver.save_screenshot(str(folder / f"board-move-{width}x{height}.png"))
            assert overflow == 0, (width, height)
            assert driver.execute_script(CUT_ROWS) == [], (width, height)
            assert visit.ticket.number in driver.find_element("id", "moves-list").text, (width, height)
        board.set_viewport(1280, 720)
        # called at the next counter: the call says step 2 of 3 and the move has done its job
        again = at_9.call_next(9)
        while again is not None and again.id != visit.ticket.id:
            at_9.done(again.id, 9)
            again = at_9.call_next(9)
        assert again is not None
        wait_for(lambda: "Etapa 2/3" in driver.find_element("id", "now").text)
        wait_for(lambda: visit.ticket.number not in driver.execute_script(moves_shown))
        driver.save_screenshot(str(folder / "board-call-step-1280x720.png"))
    finally:
        board.close()
        at_4.logout()
        at_9.logout()
