"""The phone page in the resident's language: furigana for easy Japanese (never 住民票（じゅうみんひょう）),
phrase breaks for Japanese and Chinese, and the not-found page in every language."""

from __future__ import annotations

import re

import pytest

from madoguchi.core import api_models as m
from madoguchi.core.config import EXAMPLE_CONFIG, SHIPPED_LANGUAGES, load_config
from madoguchi.server.web.pages import not_found_page, phone_message, ticket_page
from madoguchi.translations.catalog import translate

CONFIG = load_config(EXAMPLE_CONFIG)


def plain(html: str) -> str:
    """The page's text without the phrase markup (``<wbr>`` and the phrases' spans)."""
    return re.sub(r'<wbr>|<span class="w">|</span>', "", html)


def status(lang: str, state: str = "waiting") -> m.TicketStatus:
    service = CONFIG.service("juminhyo")
    estimate = m.Estimate(low_min=18, mid_min=22, high_min=27)
    counter = 3 if state == "called" else None
    return m.TicketStatus(
        number="A-015",
        state=state,
        language=lang,
        service_name=dict(service.name),
        people_ahead=3,
        estimate=estimate,
        counter=counter,
    )


def test_easy_japanese_shows_furigana_not_brackets() -> None:
    page = ticket_page(status("ja-easy"), CONFIG)
    assert "<ruby>住民票<rt>じゅうみんひょう</rt></ruby>" in page
    assert "（じゅうみんひょう）" not in page
    assert "<ruby>" in page.split("A-015</div>")[1]  # the catalog's texts carry readings too
    assert '<html lang="ja">' in page


def test_japanese_breaks_between_phrases_only() -> None:
    page = ticket_page(status("ja", "called"), CONFIG)
    assert "word-break:keep-all" in page and "line-break:strict" in page
    called = re.search(r"<p class='called'>(.*?)</p>", page)
    assert called is not None and "<wbr>" in called.group(1)
    assert "ください" in called.group(1).split("<wbr>")[-1]  # never くだ|さい
    assert "ください</span>" in called.group(1)  # a phrase is one unbreakable box
    for fragment in re.findall(r"<p[^>]*>(.*?)</p>", page):
        for part in plain(fragment.replace("<wbr>", "|")).split("|"):
            assert not part.startswith(("、", "。", "・", "ー")), part


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_every_language_reads_its_own_texts(lang: str) -> None:
    page = ticket_page(status(lang), CONFIG)
    if lang not in ("ja", "ja-easy"):
        assert CONFIG.service("juminhyo").name[lang].split()[0] in plain(page)
        assert translate(lang, "phone.auto_update").split()[0] in plain(page)


def test_not_found_page_in_every_language() -> None:
    page = not_found_page()
    for lang in SHIPPED_LANGUAGES:
        html_lang = "ja" if lang == "ja-easy" else lang
        assert f"<p lang='{html_lang}'>" in page, lang
    assert page.count("<p lang=") == len(SHIPPED_LANGUAGES)
    assert translate("ne", "phone.not_found") in page
    assert "<ruby>" in page  # easy Japanese with furigana


def visit(lang: str, states: tuple[str, ...], state: str = "waiting") -> m.TicketStatus:
    route = [
        m.PublicRouteStep(
            service_id=sid,
            service_name=dict(CONFIG.service(sid).name),
            state=step_state,  # type: ignore[arg-type]
            counters=[9, 10] if sid != "tennyu" else [4, 5, 6, 8],
            area=CONFIG.areas["lobby_2f"] if sid != "tennyu" else CONFIG.areas["lobby_1f"],
        )
        for sid, step_state in zip(("tennyu", "mynumber", "kokuho", "jido_teate"), states, strict=True)
    ]
    return m.TicketStatus(
        number="D-001",
        state=state,
        language=lang,
        service_name=dict(CONFIG.service("kokuho").name),
        people_ahead=2,
        estimate=None,
        counter=9 if state == "called" else None,
        route=route,
    )


def test_a_visit_lists_its_route_and_says_where_to_go_now() -> None:
    # a step taken off the route is shown crossed out and not counted: the resident is at step 2 of 3
    status = visit("en", ("done", "dropped", "current", "pending"))
    page = ticket_page(status, CONFIG)
    assert "Step 2 of 3" in page and translate("en", "phone.route.next") in page
    assert "National Health Insurance" in page and "Counters 9 and 10" in page and "2nd floor" in page
    states = re.findall(r"<li class='step (\w+)'", page)
    assert states == ["done", "dropped", "current", "pending"]
    assert page.count("aria-current='step'") == 1
    assert "<p class='service'>" not in page  # the procedure now is in the status, which changes step by step
    # the phone rings again at the next step: its keys carry the step
    assert phone_message(status, CONFIG)["key"] == "near-step2"
    called = phone_message(visit("en", ("done", "dropped", "current", "pending"), "called"), CONFIG)
    assert called["key"] == "called-9-0-step2" and called["step"] == "2"
    assert called["html"].index("role='alert'") < called["html"].index("step-now")  # the call first
    assert "Counters 9 and 10" not in called["html"]  # called: the counter that calls is what counts


def test_a_visit_over_shows_every_step_done_or_skipped_in_words() -> None:
    status = visit("ja", ("done", "skipped", "done", "dropped"), "done")
    message = phone_message(status, CONFIG)
    assert "step-now" not in message["html"] and message["step"] == ""
    assert translate("ja", "phone.route.state.skipped") in plain(message["route"])
    assert translate("ja", "phone.route.state.dropped") in plain(message["route"])
