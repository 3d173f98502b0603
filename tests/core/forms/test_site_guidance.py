"""The pre-fill site's life-event guidance in headless Chromium on a 390-px phone: the questions, the procedures in
counter order with where each is done and what to bring, and the visit's form; axe-clean at usual and 200 % text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from madoguchi.core.config import HallConfig, localized
from madoguchi.core.life_events import guidance, visit_form_service
from tests.support.accessibility import axe_violations, describe
from tests.support.browser import CUT_TEXT, HeadlessChromium, chromium_available

pytestmark = pytest.mark.timeout(120)

PHONE_WIDTH = 390


def _ask(driver: Any, lang: str, event_id: str, yes: tuple[str, ...]) -> None:
    """In ``lang``, open a life event and answer yes to ``yes`` (the other questions keep their no)."""
    driver.find_element("id", f"lang-{lang}").click()
    driver.find_element("id", f"event-{event_id}").click()
    for question in yes:
        driver.find_element("css selector", f"label[for='q-{question}-yes']").click()
    driver.find_element("id", "show-guidance").click()


def _shown(driver: Any) -> tuple[list[str], list[str], list[str]]:
    """The result screen: the procedures' ids, their texts, and the things to bring."""
    steps = driver.find_elements("css selector", "#guidance-route > li")
    bring = driver.find_elements("css selector", "#guidance-bring > li")
    return [s.get_attribute("data-service") for s in steps], [s.text for s in steps], [b.text for b in bring]


@pytest.mark.parametrize("lang", ["ja", "pt-BR"])
def test_moving_in_with_insurance_and_children(
    site_page: Any, hall_config: HallConfig, artifacts_dir: Path, lang: str
) -> None:
    event = hall_config.life_event("moving_in")
    _ask(site_page, lang, "moving_in", ("insurance", "children"))
    route, steps, bring = _shown(site_page)
    expected = guidance(event, {"insurance": True, "children": True})
    assert route == list(expected.route) == ["tennyu", "kokuho", "jido_teate"]
    assert bring == [localized(item, lang) for item in expected.bring]
    assert len(bring) == 5  # the event's three and one per question answered yes
    kokuho = steps[1].splitlines()
    assert kokuho[0] == localized(hall_config.service("kokuho").name, lang)
    assert localized(hall_config.areas["lobby_2f"], lang) in kokuho[1] and kokuho[2].endswith("9, 10")
    out = artifacts_dir / "site" / "visit"
    out.mkdir(parents=True, exist_ok=True)
    site_page.save_screenshot(str(out / f"{lang}_moving_in_result.png"))

    form = site_page.find_element("id", "fill-visit-form")
    assert form.get_attribute("data-procedure") == visit_form_service(hall_config, expected.route) == "tennyu"
    form.click()  # the form the kiosk would fill for the whole visit
    title = localized(hall_config.forms["moving_in"].title, lang)
    assert site_page.find_element("css selector", "main h2").text == title
    assert site_page.find_element("id", "f-previous_address").is_displayed()


def test_answers_decide_the_route_and_survive_a_language_switch(site_page: Any) -> None:
    _ask(site_page, "ja", "moving_in", ())
    assert _shown(site_page)[0] == ["tennyu"]  # no to both: the moving-in notification alone
    site_page.find_element("id", "back-to-questions").click()
    site_page.find_element("css selector", "label[for='q-children-yes']").click()
    site_page.find_element("id", "lang-en").click()
    assert site_page.find_element("id", "q-children-yes").is_selected()
    assert site_page.find_element("id", "q-insurance-no").is_selected()
    site_page.find_element("id", "show-guidance").click()
    assert _shown(site_page)[0] == ["tennyu", "jido_teate"]


@pytest.fixture(scope="module")
def large_text_phone() -> Iterator[Any]:
    """A resident who set the browser's text to 200 % (32 px instead of 16)."""
    if not chromium_available():
        pytest.skip("Debian chromium and chromium-driver are not installed")
    browser = HeadlessChromium(font_size=32)
    browser.as_phone(PHONE_WIDTH)
    yield browser.driver
    browser.close()


# Elements whose own text overflows its box or lies outside the screen (what scrollWidth alone misses).
# CSP: no inline style attribute, no inline handler anywhere in the page
INLINE = """
return [...document.querySelectorAll('*')].filter(el => el.hasAttribute('style')
  || [...el.attributes].some(a => a.name.startsWith('on'))).map(el => el.outerHTML.slice(0, 60));
"""


def _check(driver: Any, key: str, problems: list[str]) -> None:
    found = axe_violations(driver)
    if found:
        problems.append(f"{key}:\n{describe(found)}")
    wider = driver.execute_script("return Math.max(document.documentElement.scrollWidth, innerWidth)") - PHONE_WIDTH
    if wider > 0:
        problems.append(f"{key}: {wider} px wider than the phone")
    for name, script in (("text cut or outside the screen", CUT_TEXT), ("inline style or handler", INLINE)):
        if shown := driver.execute_script(script):
            problems.append(f"{key}: {name}: {shown}")
    out = Path(__file__).parents[2] / "artifacts" / "site" / "visit"
    out.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(  # the whole page in one screenshot, then back to the phone's screen
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
    driver.save_screenshot(str(out / f"{key}.png"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )


@pytest.mark.parametrize("text_size", ["usual", "large-text"])
def test_guidance_pages_are_accessible_on_a_phone(
    request: pytest.FixtureRequest, site_dir: Path, text_size: str
) -> None:
    driver = request.getfixturevalue("chromium" if text_size == "usual" else "large_text_phone")
    problems: list[str] = []
    for lang in ("ja", "ja-easy", "pt-BR"):
        driver.get((site_dir / "index.html").as_uri())
        driver.find_element("id", f"lang-{lang}").click()
        assert driver.execute_script("return document.documentElement.lang") == lang
        _check(driver, f"{lang}_{text_size}_1_list", problems)
        driver.find_element("id", "event-moving_in").click()
        driver.find_element("css selector", "label[for='q-insurance-yes']").click()
        driver.find_element("css selector", "label[for='q-children-yes']").click()
        _check(driver, f"{lang}_{text_size}_2_questions", problems)
        driver.find_element("id", "show-guidance").click()
        _check(driver, f"{lang}_{text_size}_3_result", problems)
        driver.find_element("id", "fill-visit-form").click()
        _check(driver, f"{lang}_{text_size}_4_form", problems)
    assert problems == [], "\n".join(problems)


def test_easy_japanese_is_drawn_with_furigana(site_page: Any) -> None:
    _ask(site_page, "ja-easy", "moving_in", ("insurance",))
    ruby = site_page.find_elements("css selector", "#guidance-route ruby")
    assert ruby, "no furigana on the route"
    assert site_page.execute_script("return document.title").startswith("もうしこみを")  # plain text: no readings
    step = site_page.find_element("css selector", "#guidance-route > li[data-service='kokuho'] strong")
    assert step.find_element("css selector", "rt").text == "こくみんけんこうほけん"
