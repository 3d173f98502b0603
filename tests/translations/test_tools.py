from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.translations.catalog import Catalogs
from madoguchi.translations.completeness import find_problems
from madoguchi.translations.tools import add_message, main


def test_add_writes_every_catalog_and_check_reports_the_rest(catalog_copy: Path) -> None:
    add_message("kiosk.example.hello", {"ja": "こんにちは{name}", "en": "Hello {name}"}, catalog_copy)
    relaxed = Catalogs(catalog_copy, strict=False)
    assert relaxed.translate("en", "kiosk.example.hello", name="!") == "Hello !"
    assert relaxed.translate("ko", "kiosk.example.hello", name="!") == "こんにちは!"  # fallback until translated
    missing = {p.lang for p in find_problems(Catalogs(catalog_copy, strict=True)) if p.kind == "missing"}
    assert missing == {"ja-easy", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne"}
    assert "#. ja: こんにちは{name}" in (catalog_copy / "ko.po").read_text(encoding="utf-8")


def test_add_refuses_to_overwrite_without_replace(catalog_copy: Path) -> None:
    with pytest.raises(ValueError, match="already exists"):
        add_message("common.back", {"ja": "戻る", "en": "Go back"}, catalog_copy)
    add_message("common.back", {"ja": "戻る", "en": "Go back"}, catalog_copy, replace=True)
    assert Catalogs(catalog_copy).translate("en", "common.back") == "Go back"


def test_cli_add_and_check(catalog_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--dir", str(catalog_copy)]) == 0
    assert main(["add", "board.example", "--ja", "例", "--text", "en=Example", "--dir", str(catalog_copy)]) == 0
    assert main(["check", "--dir", str(catalog_copy)]) == 1
    out = capsys.readouterr().out
    assert "board.example: missing" in out


def test_cli_adds_a_plural_message_with_every_form(catalog_copy: Path) -> None:
    args = ["add", "kiosk.example.copies", "--plural", "--ja", "{count}通", "--dir", str(catalog_copy)]
    args += ["--text", "en={count} copy", "--text", "en={count} copies"]
    args += ["--text", "pt-BR={count} cópia", "--text", "pt-BR={count} de cópias", "--text", "pt-BR={count} cópias"]
    assert main(args) == 0
    catalogs = Catalogs(catalog_copy, strict=False)
    assert catalogs.plural_forms("en", "kiosk.example.copies") == ("{count} copy", "{count} copies")
    assert catalogs.translate("pt-BR", "kiosk.example.copies", count=1) == "1 cópia"
    assert catalogs.translate("pt-BR", "kiosk.example.copies", count=5) == "5 cópias"
    assert catalogs.plural_forms("ja", "kiosk.example.copies") == ("{count}通",)
    with pytest.raises(ValueError, match="3 plural forms"):
        add_message("kiosk.example.copies", {"ja": "{count}通", "es": ("a", "b")}, catalog_copy, True, plural=True)
