from __future__ import annotations

import logging
import re

import pytest

from madoguchi.translations.catalog import Catalogs, MissingMessageError, placeholders, translate, translator
from madoguchi.translations.completeness import find_problems
from madoguchi.translations.languages import codes


def test_every_shipped_language_is_complete_and_consistent(catalogs: Catalogs) -> None:
    problems = find_problems(catalogs)
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_every_language_has_a_catalog_with_every_message(catalogs: Catalogs) -> None:
    assert catalogs.languages() == codes()
    source = set(catalogs.messages("ja"))
    assert len(source) > 150
    for lang in codes():
        assert set(catalogs.messages(lang)) == source, lang


def test_completeness_check_catches_missing_placeholder_and_untranslated(catalog_copy) -> None:  # type: ignore[no-untyped-def]
    po = catalog_copy / "en.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Counter {counter}"', 'msgstr "Counter {number}"')
    text = text.replace('msgstr[0] "{count} waiting"', 'msgstr[0] "{number} waiting"')
    text = text.replace('msgstr "Call staff"', 'msgstr "係員を呼ぶ"')
    text = text.replace('msgid "common.back"\nmsgstr "Back"', 'msgid "common.back"\nmsgstr ""')
    po.write_text(text, encoding="utf-8")
    kinds = {(p.msgid, p.kind) for p in find_problems(Catalogs(catalog_copy, strict=True), ("en",))}
    assert ("board.counter", "placeholders") in kinds
    assert ("kiosk.waiting.count", "plural") in kinds  # one plural form lost its placeholder
    assert ("kiosk.staff.call", "identical") in kinds
    assert ("common.back", "missing") in kinds


def test_translate_fills_named_placeholders_and_formats_integers() -> None:
    assert translate("ja", "kiosk.waiting.count", count=12) == "12人待ち"
    assert translate("en", "board.counter", counter=3) == "Counter 3"
    assert translate("pt-BR", "kiosk.waiting.count", count=1234) == "1.234 aguardando"
    assert translate("ja", "kiosk.card.pin.tries_left", tries=2) == "残り2回"
    assert translate("ja", "announce.call", number="A-015", counter=3) == (
        "受付番号A-015番の方、3番窓口へお越しください"
    )


def test_translator_is_bound_to_one_language() -> None:
    t = translator("ko")
    assert t("common.next") == "다음"
    assert repr(t) == "Translator('ko')"


def test_missing_key_raises_in_tests() -> None:
    with pytest.raises(MissingMessageError):
        translate("en", "kiosk.no_such_message")
    with pytest.raises(KeyError):
        translate("en", "board.counter")  # placeholder value missing


def test_production_falls_back_to_japanese_then_english_and_logs_once(
    catalog_copy, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    text = (catalog_copy / "vi.po").read_text(encoding="utf-8")
    (catalog_copy / "vi.po").write_text(
        text.replace('msgid "common.next"\nmsgstr "Tiếp theo"', 'msgid "common.next"\nmsgstr ""'), encoding="utf-8"
    )
    relaxed = Catalogs(catalog_copy, strict=False)
    with caplog.at_level(logging.WARNING, logger="madoguchi.translations.catalog"):
        assert relaxed.translate("vi", "common.next") == "次へ"
        assert relaxed.translate("vi", "common.next") == "次へ"
        assert relaxed.translate("xx", "common.back") == "戻る"  # unknown language
        assert relaxed.translate("en", "no.such.id") == "no.such.id"
        assert relaxed.translate("en", "board.counter") == "Counter {counter}"
    warnings = [r for r in caplog.records if "common.next" in r.getMessage()]
    assert len(warnings) == 1


def test_placeholders_parses_named_fields() -> None:
    assert placeholders("{low}〜{high}分") == {"low", "high"}
    assert placeholders("まもなく") == frozenset()


def test_announcement_templates_never_leave_readings_to_the_synthesiser(catalogs: Catalogs) -> None:
    for lang in ("ja", "ja-easy"):
        for msgid in ("announce.call.spoken", "announce.recall.spoken"):
            template = catalogs.template(lang, msgid)
            assert "番" not in template and "方" not in template, (lang, msgid)
            assert placeholders(template) == {"number_spoken", "counter_spoken"}


@pytest.mark.parametrize(
    ("lang", "msgid", "count", "expected"),
    [
        ("en", "kiosk.extra.copies_value", 1, "1 copy"),
        ("en", "kiosk.extra.copies_value", 2, "2 copies"),
        ("es", "kiosk.extra.copies_value", 1, "1 copia"),
        ("pt-BR", "kiosk.extra.copies_value", 1, "1 cópia"),
        ("pt-BR", "kiosk.extra.copies_value", 3, "3 cópias"),
        ("en", "kiosk.card.pin.tries_left", 1, "1 try left"),
        ("pt-BR", "kiosk.card.pin.tries_left", 1, "Resta 1 tentativa"),
        ("pt-BR", "kiosk.card.pin.tries_left", 2, "Restam 2 tentativas"),
        ("es", "kiosk.card.pin.tries_left", 1, "Queda 1 intento"),
        ("en", "kiosk.idle.countdown", 1, "Returning to the start screen in 1 second"),
        ("ja", "kiosk.extra.copies_value", 1, "1通"),
    ],
)
def test_counts_take_the_plural_form_of_their_language(lang: str, msgid: str, count: int, expected: str) -> None:
    name = {"kiosk.card.pin.tries_left": "tries", "kiosk.idle.countdown": "seconds"}.get(msgid, "count")
    assert translate(lang, msgid, **{name: count}) == expected


def test_no_language_says_one_with_a_plural_noun(catalogs: Catalogs) -> None:
    """Every count message rendered for 1 in every language: never "1 copies" or "Restam 1 tentativas"."""
    from madoguchi.translations.completeness import is_count_message

    wrong_after_one = re.compile(
        r"\b1 (copies|tries|seconds|minutes|people|cópias|copias|tentativas|intentos|segundos)"
    )
    for msgid, source in catalogs.messages("ja").items():
        if not is_count_message(source):
            continue
        for lang in codes():
            params = {name: 1 for name in placeholders(source)}
            text = catalogs.translate(lang, msgid, **params)
            assert not wrong_after_one.search(text), (lang, msgid, text)
            assert not re.search(r"\bRestam 1\b|\bQuedan 1\b", text), (lang, msgid, text)


def test_the_plural_check_fails_on_a_count_message_without_plural_forms(catalog_copy) -> None:  # type: ignore[no-untyped-def]
    po = catalog_copy / "pt-BR.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "kiosk.card.pin.tries_left"')
    end = text.index("\n\n", start)
    po.write_text(
        text[:start] + 'msgid "kiosk.card.pin.tries_left"\nmsgstr "Restam {tries} tentativas"' + text[end:],
        encoding="utf-8",
    )
    problems = find_problems(Catalogs(catalog_copy, strict=True), ("pt-BR",))
    assert [(p.msgid, p.kind) for p in problems] == [("kiosk.card.pin.tries_left", "plural")]
