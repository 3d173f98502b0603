"""The phone page in the resident's language: furigana for easy Japanese (never 住民票（じゅうみんひょう）),
phrase breaks for Japanese and Chinese, and the not-found page in every language."""

from __future__ import annotations

import re

import pytest

from madoguchi.core import api_models as m
from madoguchi.core.config import EXAMPLE_CONFIG, SHIPPED_LANGUAGES, load_config
from madoguchi.server.web.pages import not_found_page, ticket_page
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
