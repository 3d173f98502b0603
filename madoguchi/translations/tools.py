"""Catalog maintenance: ``python -m madoguchi.translations.tools add|check|readings``.

    python -m madoguchi.translations.tools add kiosk.example.hello --ja "こんにちは" --text en="Hello"
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


def add_message(msgid: str, texts: dict[str, str], directory: Path = CATALOG_DIR, replace: bool = False) -> None:
    """Add ``msgid`` to every catalog in ``directory``; ``texts`` maps language code → text (``ja`` required)."""
    if SOURCE_LANGUAGE not in texts:
        raise ValueError("the Japanese source text is required")
    unknown = set(texts) - set(codes())
    if unknown:
        raise ValueError(f"unknown language codes: {sorted(unknown)}")
    source = texts[SOURCE_LANGUAGE]
    for lang in codes():
        path = directory / f"{lang}.po"
        catalog = _read(path)
        existing = catalog.get(msgid)
        comments = [] if lang == SOURCE_LANGUAGE else [f"ja: {source}"]
        if existing is None:
            catalog.add(msgid, texts.get(lang, ""), auto_comments=comments)
        elif lang in texts:
            if existing.string and not replace:
                raise ValueError(f"{msgid} already exists in {lang}.po (use --replace)")
            existing.string = texts[lang]
            existing.auto_comments = comments
        elif lang != SOURCE_LANGUAGE:
            existing.auto_comments = comments  # keep the translation, refresh the source shown to translators
        _write(path, catalog)


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
    add.add_argument("--dir", type=Path, default=CATALOG_DIR)
    check = sub.add_parser("check", help="list missing or inconsistent messages")
    check.add_argument("--dir", type=Path, default=CATALOG_DIR)
    readings = sub.add_parser("readings", help="regenerate the furigana of the easy-Japanese catalog")
    readings.add_argument("--dir", type=Path, default=CATALOG_DIR)
    args = parser.parse_args(argv)

    if args.command == "add":
        texts = {SOURCE_LANGUAGE: args.ja}
        for item in args.text:
            lang, sep, text = item.partition("=")
            if not sep:
                parser.error(f"--text expects LANG=TEXT, got {item!r}")
            texts[lang] = text
        add_message(args.msgid, texts, args.dir, replace=args.replace)
        if "ja-easy" in texts:
            regenerate_readings(args.dir)
        missing = [lang for lang in codes() if lang not in texts]
        print(f"added {args.msgid}; still to translate: {', '.join(missing) or 'nothing'}")
        return 0
    if args.command == "check":
        from madoguchi.translations.completeness import find_problems

        problems = find_problems(Catalogs(args.dir, strict=False))
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    count = regenerate_readings(args.dir)
    print(f"readings written for {count} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
