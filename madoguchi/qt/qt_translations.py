"""Qt's own strings (context menus, the buttons of file and message dialogs) in the UI's language.

PySide6 ships Qt's catalogs (``qtbase_ja.qm``, ``qtbase_pt_BR.qm``…) in its translations folder; nothing loads
them unless an app installs a ``QTranslator``. Qt has none for Vietnamese, Tagalog and Nepali: those fall back
to Qt's English (``set_language`` says so by returning False).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

#: our language code → Qt's catalog suffix and locale name
QT_LOCALES: dict[str, str] = {
    "ja": "ja_JP",
    "ja-easy": "ja_JP",
    "en": "en_US",
    "zh-Hans": "zh_CN",
    "ko": "ko_KR",
    "pt-BR": "pt_BR",
    "es": "es_419",
    "vi": "vi_VN",
    "tl": "fil_PH",
    "ne": "ne_NP",
}


def qt_locale(language: str) -> QLocale:
    """The QLocale of one of our languages (widgets inherit it: number formats, line breaking, Qt's texts)."""
    return QLocale(QT_LOCALES.get(language, "ja_JP"))


class QtTranslations:
    """One installed ``QTranslator`` for Qt's own texts, swapped when the resident picks another language.

    Qt's translators belong to the application, so there is one of these per application: :meth:`of`.
    """

    @classmethod
    def of(cls, app: QCoreApplication | None = None) -> QtTranslations:
        """The application's one instance (made on first use)."""
        app = app or QCoreApplication.instance()
        existing = getattr(app, "_madoguchi_qt_translations", None)
        if isinstance(existing, cls):
            return existing
        made = cls(app)
        if app is not None:
            app._madoguchi_qt_translations = made  # type: ignore[attr-defined]
        return made

    def __init__(self, app: QCoreApplication | None = None) -> None:
        self.app = app or QCoreApplication.instance()
        self.language: str | None = None
        self._translator: QTranslator | None = None

    def set_language(self, language: str) -> bool:
        """Load Qt's catalog for ``language``; True when Qt has one (English needs none)."""
        if language == self.language:
            return self._translator is not None or language == "en"
        self.language = language
        if self._translator is not None and self.app is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        if language == "en" or self.app is None:
            return language == "en"
        translator = QTranslator(self.app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not translator.load(qt_locale(language), "qtbase", "_", folder):
            log.info("Qt has no translation of its own texts for %s; they stay English", language)
            return False
        self.app.installTranslator(translator)
        self._translator = translator
        return True
