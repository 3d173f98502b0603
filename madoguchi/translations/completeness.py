"""Checks that every shipped catalog is complete and consistent with the Japanese source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from madoguchi.translations.catalog import Catalogs, placeholders
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
    kind: str  # "missing" | "placeholders" | "identical" | "extra"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.lang}: {self.msgid}: {self.kind} {self.detail}".rstrip()


def find_problems(catalogs: Catalogs, languages: tuple[str, ...] | None = None) -> list[Problem]:
    source = catalogs.messages(SOURCE_LANGUAGE)
    problems: list[Problem] = []
    for lang in languages or codes():
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
