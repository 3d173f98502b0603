"""One word per thing: every catalog follows the glossary (catalogs/glossary.toml)."""

from __future__ import annotations

from pathlib import Path

from madoguchi.translations.catalog import Catalogs
from madoguchi.translations.glossary import glossary_problems, load_glossary
from madoguchi.translations.languages import codes


def test_every_catalog_follows_the_glossary(catalogs: Catalogs) -> None:
    problems = glossary_problems(catalogs)
    assert not problems, "\n".join(str(p) for p in problems)


def test_the_glossary_names_every_required_thing_in_every_language() -> None:
    glossary = load_glossary()
    for term in ("counter", "my_number_card", "pin", "ticket", "qr_code", "juminhyo", "kokuho"):
        assert set(glossary.term(term).use) == set(codes()) - {"ja", "ja-easy"}, term


def test_the_check_catches_a_wrong_word(catalog_copy: Path) -> None:
    po = catalog_copy / "pt-BR.po"
    text = po.read_text(encoding="utf-8").replace('msgstr "PIN incorreto"', 'msgstr "Senha incorreta"')
    po.write_text(text.replace("código QR", "código 2D"), encoding="utf-8")
    es = catalog_copy / "es.po"
    es.write_text(es.read_text(encoding="utf-8").replace("celular", "móvil"), encoding="utf-8")
    found = {(p.lang, p.msgid) for p in glossary_problems(Catalogs(catalog_copy, strict=False))}
    assert ("pt-BR", "kiosk.card.pin.wrong") in found
    assert ("pt-BR", "kiosk.code.show") in found
    assert ("es", "kiosk.ticket.follow_phone") in found


def test_a_glossary_text_check_for_hall_texts() -> None:
    glossary = load_glossary()
    assert glossary.text_problems("en", "住民票の写し", "Copy of the Certificate of Residence") == []
    assert glossary.text_problems("en", "住民票の写し", "Residence record") == [
        "juminhyo: expected 'Certificate of Residence'"
    ]
