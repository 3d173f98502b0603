"""``madoguchi translate-config FILE [--write]``: fill a hall configuration's missing translations offline.

Each text that lacks one of ``hall.languages`` is machine-translated (argostranslate, from the English text when
there is one, else from the Japanese) and written into the same table of the TOML file, whose comments and
layout stay as they are (tomlkit). Every filled text is listed in the file's ``[machine_translated]`` table;
``check-config`` keeps warning about them until a person has read each one and deleted its line. Easy Japanese
has no model: those texts are reported for a person to write. Texts that miss the glossary's word for a
thing (``catalogs/glossary.toml``: "QR code", "guichê" …) are listed for the review. Without ``--write`` nothing
is changed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madoguchi.core.config import ConfigError, parse_config
from madoguchi.core.config_texts import Loc, missing_translations
from madoguchi.translations.machine import MachineTranslationUnavailable, MachineTranslator


@dataclass
class FillReport:
    filled: dict[str, list[str]] = field(default_factory=dict)  # text path → languages filled
    left: dict[str, list[str]] = field(default_factory=dict)  # text path → languages no model could fill
    text: str = ""  # the new file content
    glossary: list[str] = field(default_factory=list)  # "path (lang): problem" of the filled file's texts

    @property
    def count(self) -> int:
        return sum(len(langs) for langs in self.filled.values())


def _node(document: Any, loc: Loc) -> Any:
    node = document
    for part in loc:
        node = node[part]
    return node


def fill_missing(text: str, translator: MachineTranslator, source_name: str = "hall.toml") -> FillReport:
    """The configuration ``text`` with its missing translations filled and marked; raises ConfigError."""
    import tomlkit

    cfg = parse_config(text, source_name)
    document = tomlkit.parse(text)
    report = FillReport()
    for item in missing_translations(cfg):
        texts = item.field.texts
        node = _node(document, item.field.loc)
        for lang in item.languages:
            source = "en" if "en" in texts and lang != "en" else "ja"
            candidates = [source, "ja"] if source != "ja" else ["ja"]
            result = None
            for src in candidates:
                if lang != "ja-easy" and translator.can_translate(src, lang):
                    try:
                        result = translator.translate(texts[src], src, lang)
                    except MachineTranslationUnavailable:
                        continue
                    break
            if result is None or not result.text.strip():
                report.left.setdefault(item.field.path, []).append(lang)
                continue
            node[lang] = result.text.strip()
            report.filled.setdefault(item.field.path, []).append(lang)
    if report.filled:
        marks = document.get("machine_translated")
        if marks is None:
            marks = tomlkit.table()
            marks.comment("filled by `madoguchi translate-config`: delete a line once a person has checked it")
            document.add(tomlkit.nl())
            document.add("machine_translated", marks)
        for path, langs in report.filled.items():
            known = list(marks.get(path, []))
            marks[path] = known + [lang for lang in langs if lang not in known]
    report.text = tomlkit.dumps(document)
    filled = parse_config(report.text, source_name)  # what we write must load
    from madoguchi.translations.glossary import hall_text_problems

    # Machine translation knows no municipality's words ("2D code", "balcão"): point at each for the review.
    report.glossary = [f"{p.msgid} ({p.lang}): {p.detail}" for p in hall_text_problems(filled)]
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="hall configuration (TOML)")
    parser.add_argument("--write", action="store_true", help="write the filled file (a .bak copy is kept)")
    parser.add_argument(
        "--packages", type=Path, default=None, help="argos model folder (default: $ARGOS_PACKAGES_DIR or ~/.local/…)"
    )


def run(args: argparse.Namespace) -> int:
    from madoguchi.translations.machine import available

    if not available():
        print("offline machine translation is not installed (pip install madoguchi[translate])", file=sys.stderr)
        return 2
    try:
        text = args.file.read_text(encoding="utf-8")
        report = fill_missing(text, MachineTranslator(args.packages), str(args.file))
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print("configuration error:", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 2
    for path, langs in report.filled.items():
        print(f"filled {path}: {', '.join(langs)}")
    for path, langs in report.left.items():
        print(f"left {path}: {', '.join(langs)} (no model; easy Japanese is written by a person)")
    for line in report.glossary:
        print(f"glossary {line}")
    if args.write and report.filled:
        shutil.copyfile(args.file, args.file.with_name(args.file.name + ".bak"))
        args.file.write_text(report.text, encoding="utf-8")
        print(f"{report.count} translation(s) written to {args.file}, marked in [machine_translated] for review")
    elif report.filled:
        print(f"{report.count} translation(s) to write: run again with --write")
    return 0
