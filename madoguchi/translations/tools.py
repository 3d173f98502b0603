"""Catalog maintenance: ``python -m madoguchi.translations.tools add|check|readings``.

    python -m madoguchi.translations.tools add kiosk.example.hello --ja "こんにちは" --text en="Hello"
    python -m madoguchi.translations.tools add kiosk.example.copies --plural --ja "{count}通" \
        --text en="{count} copy" --text en="{count} copies"   # one --text per plural form, in Plural-Forms order
    python -m madoguchi.translations.tools check        # exit 1 and list what is missing / inconsistent
    python -m madoguchi.translations.tools readings     # regenerate catalogs/ja-easy.readings.json (furigana)

``add`` writes the message into every catalog: the given texts, and an empty (untranslated) entry elsewhere,
which ``check`` and the completeness test report until someone translates it. Production falls back to
Japanese for an empty entry in the meantime.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from madoguchi.translations.catalog import CATALOG_DIR, Catalogs
from madoguchi.translations.languages import SOURCE_LANGUAGE, codes


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True)


Texts = dict[str, str] | dict[str, tuple[str, ...]] | dict[str, str | tuple[str, ...]]


def add_message(
    msgid: str, texts: Texts, directory: Path = CATALOG_DIR, replace: bool = False, plural: bool = False
) -> None:
    """Add ``msgid`` to every catalog in ``directory``; ``texts`` maps language code → text (``ja`` required).

    With ``plural``, the message is a gettext plural entry in every catalog and each text is a tuple of the
    language's plural forms (as many as its ``Plural-Forms`` header says; a single string is used for all).
    An existing singular entry becomes a plural one (``replace`` is needed to overwrite its texts).
    """
    if SOURCE_LANGUAGE not in texts:
        raise ValueError("the Japanese source text is required")
    unknown = set(texts) - set(codes())
    if unknown:
        raise ValueError(f"unknown language codes: {sorted(unknown)}")
    source_value = texts[SOURCE_LANGUAGE]
    source = source_value if isinstance(source_value, str) else source_value[0]
    for lang in codes():
        path = directory / f"{lang}.po"
        catalog = _read(path)
        existing = catalog.get(msgid)
        comments = [] if lang == SOURCE_LANGUAGE else [f"ja: {source}"]
        given = texts.get(lang)
        if plural:
            forms = _plural_forms(catalog, lang, given, existing)
            if existing is not None and given is not None and _has_text(existing.string) and not replace:
                raise ValueError(f"{msgid} already exists in {lang}.po (use --replace)")
            if existing is not None:
                catalog.delete(msgid)
            catalog.add((msgid, msgid), forms, auto_comments=comments)
        elif existing is None:
            catalog.add(msgid, given if isinstance(given, str) else "", auto_comments=comments)
        elif given is not None:
            if _has_text(existing.string) and not replace:
                raise ValueError(f"{msgid} already exists in {lang}.po (use --replace)")
            existing.string = given if isinstance(given, str) else given[-1]
            existing.auto_comments = comments
        elif lang != SOURCE_LANGUAGE:
            existing.auto_comments = comments  # keep the translation, refresh the source shown to translators
        _write(path, catalog)


def remove_message(msgid: str, directory: Path = CATALOG_DIR) -> None:
    """Delete ``msgid`` from every catalog (a message no code shows any more)."""
    for lang in codes():
        path = directory / f"{lang}.po"
        catalog = _read(path)
        if catalog.get(msgid) is not None:
            catalog.delete(msgid)
            _write(path, catalog)


def _has_text(value: object) -> bool:
    return any(value) if isinstance(value, tuple) else bool(value)


def _plural_forms(
    catalog: Catalog, lang: str, given: str | tuple[str, ...] | None, existing: object
) -> tuple[str, ...]:
    count = catalog.num_plurals
    if given is None:
        # Keep what is there (a singular text becomes every form until someone writes the plural forms).
        old = getattr(existing, "string", "")
        given = old if isinstance(old, tuple) else ((old,) if old else ("",))
    if isinstance(given, str):
        given = (given,)
    if len(given) == 1:
        given = given * count
    if len(given) != count:
        raise ValueError(f"{lang}.po has {count} plural forms; {len(given)} given")
    return tuple(given)


def regenerate_readings(directory: Path = CATALOG_DIR) -> int:
    from madoguchi.translations.furigana import write_catalog_readings

    messages = Catalogs(directory).messages("ja-easy")
    write_catalog_readings(messages, directory / "ja-easy.readings.json")
    return len(messages)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m madoguchi.translations.tools", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a message id to every catalog")
    add.add_argument("msgid")
    add.add_argument("--ja", required=True, help="Japanese source text")
    add.add_argument("--text", action="append", default=[], metavar="LANG=TEXT", help="a translation")
    add.add_argument("--replace", action="store_true", help="overwrite existing texts")
    add.add_argument("--plural", action="store_true", help="a counted message: repeat --text per plural form")
    add.add_argument("--dir", type=Path, default=CATALOG_DIR)
    check = sub.add_parser("check", help="list missing or inconsistent messages")
    check.add_argument("--dir", type=Path, default=CATALOG_DIR)
    readings = sub.add_parser("readings", help="regenerate the furigana of the easy-Japanese catalog")
    readings.add_argument("--dir", type=Path, default=CATALOG_DIR)
    args = parser.parse_args(argv)

    if args.command == "add":
        given: dict[str, list[str]] = {SOURCE_LANGUAGE: [args.ja]}
        for item in args.text:
            lang, sep, text = item.partition("=")
            if not sep:
                parser.error(f"--text expects LANG=TEXT, got {item!r}")
            given.setdefault(lang, []).append(text)
        texts: dict[str, str | tuple[str, ...]] = (
            {lang: tuple(forms) for lang, forms in given.items()}
            if args.plural
            else {lang: forms[-1] for lang, forms in given.items()}
        )
        add_message(args.msgid, texts, args.dir, replace=args.replace, plural=args.plural)
        if "ja-easy" in texts:
            regenerate_readings(args.dir)
        missing = [lang for lang in codes() if lang not in texts]
        print(f"added {args.msgid}; still to translate: {', '.join(missing) or 'nothing'}")
        return 0
    if args.command == "check":
        from madoguchi.translations.completeness import find_problems
        from madoguchi.translations.glossary import glossary_problems

        catalogs = Catalogs(args.dir, strict=False)
        problems = find_problems(catalogs) + glossary_problems(catalogs)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    count = regenerate_readings(args.dir)
    print(f"readings written for {count} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
