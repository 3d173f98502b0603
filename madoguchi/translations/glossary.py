"""The glossary (``catalogs/glossary.toml``): one word per thing and language, checked in every catalog and in
the texts of a hall configuration."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from madoguchi.core.config import HallConfig
from madoguchi.core.config_texts import text_fields
from madoguchi.translations.catalog import CATALOG_DIR, Catalogs
from madoguchi.translations.completeness import Problem
from madoguchi.translations.languages import SOURCE_LANGUAGE, codes

GLOSSARY_PATH = CATALOG_DIR / "glossary.toml"


@dataclass(frozen=True)
class Term:
    id: str
    ja: tuple[str, ...]
    use: Mapping[str, str]
    avoid: Mapping[str, tuple[str, ...]]

    def in_source(self, japanese: str) -> bool:
        return any(word in japanese for word in self.ja)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    avoid: Mapping[str, tuple[str, ...]]
    exceptions: frozenset[tuple[str, str]]  # (msgid, term id)

    def term(self, term_id: str) -> Term:
        return next(t for t in self.terms if t.id == term_id)

    def text_problems(self, lang: str, japanese: str, text: str, msgid: str = "") -> list[str]:
        """What is wrong with ``text`` (in ``lang``) as the translation of ``japanese``."""
        if lang in (SOURCE_LANGUAGE, "ja-easy"):
            return []
        folded = text.casefold()
        problems = [f"uses {word!r}" for word in self.avoid.get(lang, ()) if _uses(folded, word.casefold())]
        for term in self.terms:
            if not term.in_source(japanese) or (msgid, term.id) in self.exceptions:
                continue
            word = term.use.get(lang)
            if word is not None and word.casefold() not in folded:
                problems.append(f"{term.id}: expected {word!r}")
            problems += [
                f"{term.id}: {bad!r} instead of {word!r}" for bad in term.avoid.get(lang, ()) if _uses(text, bad)
            ]
        return problems


def _uses(text: str, word: str) -> bool:
    """``word`` in ``text``; a word in Latin letters only where a word starts ("coger", not "recoger"). Korean
    and Japanese attach particles, so there a word is found anywhere (당신 in 당신의)."""
    if not word[:1].isascii():
        return word in text
    return re.search(r"(?<![^\W\d_])" + re.escape(word), text) is not None


@functools.cache
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = tuple(
        Term(
            item["id"],
            tuple(item["ja"]),
            dict(item["use"]),
            {lang: tuple(words) for lang, words in item.get("avoid", {}).items()},
        )
        for item in data["term"]
    )
    avoid = {lang: tuple(words) for lang, words in data.get("avoid", {}).items()}
    exceptions = frozenset((e["msgid"], e["term"]) for e in data.get("exception", []))
    return Glossary(terms, avoid, exceptions)


def glossary_problems(catalogs: Catalogs, languages: Iterable[str] | None = None) -> list[Problem]:
    """Every catalog message against the glossary (each plural form too)."""
    own = catalogs.directory / GLOSSARY_PATH.name
    glossary = load_glossary(own if own.exists() else GLOSSARY_PATH)
    source = catalogs.messages(SOURCE_LANGUAGE)
    problems: list[Problem] = []
    for lang in languages or codes():
        for msgid, japanese in sorted(source.items()):
            forms = catalogs.plural_forms(lang, msgid) or (catalogs.messages(lang).get(msgid, ""),)
            for form in dict.fromkeys(forms):
                for detail in glossary.text_problems(lang, japanese, form, msgid):
                    problems.append(Problem(lang, msgid, "glossary", detail))
    return problems


def hall_text_problems(cfg: HallConfig) -> list[Problem]:
    """Every text of a hall configuration against the glossary (``msgid`` is the text's path in the file)."""
    glossary = load_glossary()
    problems: list[Problem] = []
    for field in text_fields(cfg):
        japanese = field.texts.get(SOURCE_LANGUAGE, "")
        for lang, text in sorted(field.texts.items()):
            for detail in glossary.text_problems(lang, japanese, text, field.path):
                problems.append(Problem(lang, field.path, "glossary", detail))
    return problems
