"""Qt's own texts (menus, dialog buttons) follow the UI language where Qt ships a catalog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from madoguchi.qt.qt_translations import QtTranslations, qt_locale


def test_qt_texts_follow_the_language(qapp: Any) -> None:
    translations = QtTranslations.of(qapp)
    try:
        expected = {"ja": "キャンセル", "ja-easy": "キャンセル", "pt-BR": "Cancelar", "es": "Cancelar", "ko": "취소"}
        expected |= {"zh-Hans": "取消", "en": "Cancel"}
        for lang, cancel in expected.items():
            assert translations.set_language(lang), lang
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel, lang
        # No catalog in Qt for these: Qt's texts stay English rather than Japanese from the last resident.
        for lang in ("vi", "tl", "ne"):
            assert not translations.set_language(lang)
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        translations.set_language("en")


def test_locales_of_our_languages() -> None:
    assert qt_locale("pt-BR").name() == "pt_BR"
    assert qt_locale("zh-Hans").language() == QLocale.Language.Chinese
    assert qt_locale("ja-easy").language() == QLocale.Language.Japanese
