"""Fixed text in every shipped language, read from the gettext ``.po`` catalogs next to this module.

Messages have stable symbolic ids (``kiosk.welcome.start``); Japanese (``ja.po``) is the source language.
Placeholders are named ``str.format`` fields (``{count}``, ``{counter}``); ``int`` values are formatted for the
language (digit grouping). A message that counts something (``{count}``, ``{tries}``, ``{seconds}``,
``{minutes}``) is a gettext plural entry in every catalog, and the form is chosen by the catalog's
``Plural-Forms`` rule for that number ("1 copy", "2 copies"). A missing message, language or placeholder
raises :class:`MissingMessageError` (a ``KeyError``) while tests run (``PYTEST_CURRENT_TEST`` set, or
``MADOGUCHI_I18N_STRICT=1``); in production it is logged once and the text falls back to Japanese, then
English, then the message id itself, so a resident never sees a blank label.
"""

from __future__ import annotations

import gettext
import logging
import os
import string
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from madoguchi.translations.languages import FALLBACK_CHAIN, codes, language

log = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"
#: placeholders that carry a count: a message holding one is a plural entry (``completeness`` checks it)
COUNT_PLACEHOLDERS = ("count", "tries", "seconds", "minutes")


class MissingMessageError(KeyError):
    """A message id, language or placeholder value is missing (raised in strict mode only)."""


def strict_mode() -> bool:
    """Strict while a pytest test runs, or when ``MADOGUCHI_I18N_STRICT`` is ``1``/``0`` explicitly."""
    forced = os.environ.get("MADOGUCHI_I18N_STRICT")
    if forced is not None:
        return forced == "1"
    return "PYTEST_CURRENT_TEST" in os.environ


def placeholders(template: str) -> frozenset[str]:
    """Named fields of a brace template: ``"{count}人待ち"`` → ``{"count"}``."""
    return frozenset(field for _, field, _, _ in string.Formatter().parse(template) if field)


@dataclass(frozen=True)
class CatalogData:
    """One parsed ``.po`` file: singular texts, plural forms, and the catalog's plural rule."""

    #: message id → text (for a plural entry: its last form, the general one, e.g. "{count} copies")
    texts: dict[str, str] = field(default_factory=dict)
    #: message id → every plural form, in the order of the catalog's ``Plural-Forms`` indices
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    nplurals: int = 2
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))

    def form(self, msgid: str, n: int) -> str:
        forms = self.plurals[msgid]
        return forms[min(max(0, self.plural(abs(n))), len(forms) - 1)]


def read_catalog_data(path: Path) -> CatalogData:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    data = CatalogData(nplurals=catalog.num_plurals, plural=gettext.c2py(catalog.plural_expr))
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(str(f) for f in message.string) if isinstance(message.string, tuple) else ()
            if forms and all(forms):
                data.plurals[str(message.id[0])] = forms
                data.texts[str(message.id[0])] = forms[-1]
        elif message.string:
            data.texts[str(message.id)] = str(message.string)
    return data


def read_catalog(path: Path) -> dict[str, str]:
    """Message id → text of one ``.po`` file (untranslated entries are left out; plurals give their last form)."""
    return read_catalog_data(path).texts


class Catalogs:
    """All catalogs of one directory, parsed lazily and kept in memory; safe to share between threads."""

    def __init__(self, directory: Path = CATALOG_DIR, strict: bool | None = None) -> None:
        self.directory = directory
        self._strict = strict
        self._data: dict[str, CatalogData] = {}
        self._lock = threading.Lock()
        self._warned: set[tuple[str, str]] = set()

    def _is_strict(self) -> bool:
        return strict_mode() if self._strict is None else self._strict

    def languages(self) -> tuple[str, ...]:
        return tuple(code for code in codes() if (self.directory / f"{code}.po").exists())

    def data(self, lang: str) -> CatalogData:
        """The parsed catalog of ``lang`` (empty when the language has no catalog)."""
        loaded = self._data.get(lang)
        if loaded is None:
            with self._lock:
                loaded = self._data.get(lang)
                if loaded is None:
                    path = self.directory / f"{lang}.po"
                    loaded = read_catalog_data(path) if path.exists() else CatalogData()
                    self._data[lang] = loaded
        return loaded

    def messages(self, lang: str) -> Mapping[str, str]:
        """Message id → template for ``lang`` (a plural entry gives its general form)."""
        return self.data(lang).texts

    def plural_forms(self, lang: str, msgid: str) -> tuple[str, ...] | None:
        """Every form of a plural entry, or None when ``msgid`` is not a plural entry in ``lang``."""
        return self.data(lang).plurals.get(msgid)

    def msgids(self) -> tuple[str, ...]:
        return tuple(sorted(self.messages("ja")))

    def has(self, lang: str, msgid: str) -> bool:
        return msgid in self.messages(lang)

    def template(self, lang: str, msgid: str, count: int | None = None) -> str:
        """The untranslated-placeholder template (the plural form for ``count``), with the fallback chain."""
        for candidate in (lang, *FALLBACK_CHAIN):
            data = self.data(candidate)
            if msgid in data.texts:
                if count is not None and msgid in data.plurals:
                    return data.form(msgid, count)
                return data.texts[msgid]
            if candidate == lang:
                self._missing(lang, msgid, "message")
        return msgid

    def translate(self, lang: str, msgid: str, /, **params: object) -> str:
        template = self.template(lang, msgid, _count_of(params))
        values = {name: _format_value(lang, value) for name, value in params.items()}
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            self._missing(lang, msgid, "placeholder")
            return template.format_map(_KeepUnknown(values))

    def translator(self, lang: str) -> Translator:
        return Translator(self, lang)

    def _missing(self, lang: str, msgid: str, what: str) -> None:
        if self._is_strict():
            raise MissingMessageError(f"{what} missing for {msgid!r} in {lang!r}")
        if (lang, msgid) not in self._warned:
            self._warned.add((lang, msgid))
            log.warning("catalog: %s missing for %s in %s; falling back", what, msgid, lang)


class Translator:
    """The catalog bound to one language: ``t = catalogs.translator("en"); t("kiosk.welcome.start")``."""

    def __init__(self, catalogs: Catalogs, lang: str) -> None:
        self.catalogs = catalogs
        self.lang = lang

    def __call__(self, msgid: str, /, **params: object) -> str:
        return self.catalogs.translate(self.lang, msgid, **params)

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"

    @property
    def direction(self) -> str:
        return language(self.lang).direction if self.lang in codes() else "ltr"


class _KeepUnknown(dict[str, str]):
    """Leaves ``{name}`` in place for a missing parameter instead of raising (production only)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _count_of(params: Mapping[str, object]) -> int | None:
    """The number a plural form is chosen by: the first count placeholder given (an int, or digits)."""
    for name in COUNT_PLACEHOLDERS:
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
    return None


def _format_value(lang: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if -1000 < value < 1000:
            return str(value)  # no grouping needed, and every shipped locale writes Latin digits
        from madoguchi.translations.formatting import format_count

        return format_count(lang, value)
    return str(value)


_default: Catalogs | None = None


def default_catalogs() -> Catalogs:
    """The process-wide catalogs of the shipped languages (read-only, so sharing them is harmless)."""
    global _default
    if _default is None:
        _default = Catalogs()
    return _default


def translate(lang: str, msgid: str, /, **params: object) -> str:
    """``translate("ja", "kiosk.waiting.count", count=12)`` → ``"12人待ち"``."""
    return default_catalogs().translate(lang, msgid, **params)


def translator(lang: str) -> Translator:
    return default_catalogs().translator(lang)
