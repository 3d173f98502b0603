"""Checks that every shipped catalog is complete and consistent with the Japanese source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from madoguchi.translations.catalog import COUNT_PLACEHOLDERS, Catalogs, placeholders
from madoguchi.translations.languages import SOURCE_LANGUAGE, codes

# (language, message id) pairs whose text may equal the Japanese source on purpose.
IDENTICAL_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("ja-easy", "common.ok"),
        ("ja-easy", "common.yes"),
        ("ja-easy", "common.no"),
        ("ja-easy", "conv.reply.yes"),
        ("ja-easy", "conv.reply.no"),
        ("ja-easy", "conv.reply.dont_understand"),
        ("ja-easy", "conv.reply.understood"),
        ("ja-easy", "board.notices.heading"),
        ("ja-easy", "staff.login"),
        ("ja-easy", "staff.logout"),
        ("ja-easy", "staff.password"),
        ("ja-easy", "staff.copy"),
        ("ja-easy", "staff.reason"),
        ("ja-easy", "health.printer"),
        ("ja-easy", "health.camera"),
        ("ja-easy", "wait.range"),
        ("ja-easy", "print.ticket.service"),
        ("ja-easy", "board.waiting.per_service"),
        ("zh-Hans", "board.waiting.per_service"),
        ("ja-easy", "scanner.error.camera_lost"),
        ("ja-easy", "card.error.not_my_number"),
        ("ja-easy", "phone.position"),
        ("ja-easy", "kiosk.welcome.title"),
        ("zh-Hans", "health.ok"),
    }
    | {(lang, "common.ok") for lang in ("en", "pt-BR", "vi", "tl")}
)
# Text made only of placeholders, digits, punctuation and Latin abbreviations is the same in every language.
_LANGUAGE_NEUTRAL = re.compile(r"^(\{[a-z_]+\}|[\d\s\-–〜~:：/.,()]|OK|PDF|ID)*$")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Easy Japanese may equal the source when the source is already a very short, plain label ("{count}人").
EASY_SHORT_LABEL = 6


def _identical_allowed(lang: str, msgid: str, source_text: str) -> bool:
    if (lang, msgid) in IDENTICAL_ALLOWED or _LANGUAGE_NEUTRAL.match(source_text):
        return True
    return lang == "ja-easy" and len(_PLACEHOLDER.sub("", source_text)) <= EASY_SHORT_LABEL


@dataclass(frozen=True)
class Problem:
    lang: str
    msgid: str
    kind: str  # "missing" | "placeholders" | "identical" | "extra" | "plural"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.lang}: {self.msgid}: {self.kind} {self.detail}".rstrip()


def find_problems(catalogs: Catalogs, languages: tuple[str, ...] | None = None) -> list[Problem]:
    source = catalogs.messages(SOURCE_LANGUAGE)
    problems: list[Problem] = []
    for lang in languages or codes():
        problems.extend(plural_problems(catalogs, lang))
        if lang == SOURCE_LANGUAGE:
            continue
        messages = catalogs.messages(lang)
        for msgid, source_text in sorted(source.items()):
            text = messages.get(msgid)
            if text is None:
                problems.append(Problem(lang, msgid, "missing"))
                continue
            if placeholders(text) != placeholders(source_text):
                detail = f"{sorted(placeholders(text))} != {sorted(placeholders(source_text))}"
                problems.append(Problem(lang, msgid, "placeholders", detail))
            if text == source_text and not _identical_allowed(lang, msgid, source_text):
                problems.append(Problem(lang, msgid, "identical", "to the Japanese source"))
        for msgid in sorted(set(messages) - set(source)):
            problems.append(Problem(lang, msgid, "extra", "not in ja.po"))
    return problems


def is_count_message(source_text: str) -> bool:
    """A message with a count placeholder (``{count}``, ``{tries}``…) needs plural forms in every catalog."""
    return bool(placeholders(source_text) & set(COUNT_PLACEHOLDERS))


def plural_problems(catalogs: Catalogs, lang: str) -> list[Problem]:
    """Count messages that are not gettext plural entries with every form of ``lang`` ("1 copies")."""
    source = catalogs.messages(SOURCE_LANGUAGE)
    data = catalogs.data(lang)
    problems: list[Problem] = []
    for msgid, source_text in sorted(source.items()):
        if msgid not in data.texts or not is_count_message(source_text):
            continue
        forms = data.plurals.get(msgid)
        if forms is None:
            problems.append(Problem(lang, msgid, "plural", "counts without gettext plural forms (msgid_plural)"))
        elif len(forms) != data.nplurals:
            problems.append(Problem(lang, msgid, "plural", f"{len(forms)} forms, Plural-Forms says {data.nplurals}"))
        elif any(placeholders(form) != placeholders(source_text) for form in forms):
            problems.append(Problem(lang, msgid, "plural", "a plural form lacks a placeholder of the source"))
    return problems
