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


def test_the_example_hall_follows_the_glossary() -> None:
    from madoguchi.core.config import EXAMPLE_CONFIG, load_config
    from madoguchi.translations.glossary import hall_text_problems

    config = load_config(EXAMPLE_CONFIG)
    assert hall_text_problems(config) == []
    service = config.services[0]
    wrong = service.model_copy(update={"name": {**service.name, "en": "Residence record", "pt-BR": "Cópia (balcão)"}})
    found = {(p.lang, p.detail) for p in hall_text_problems(config.model_copy(update={"services": [wrong]}))}
    assert ("en", "juminhyo: expected 'Certificate of Residence'") in found


def test_avoided_latin_words_are_whole_words() -> None:
    glossary = load_glossary()
    assert glossary.text_problems("es", "カード", "Recoger la tarjeta") == []
    assert glossary.text_problems("es", "カード", "Coger la tarjeta") == ["uses 'coger'"]
    assert glossary.text_problems("ko", "番号", "당신의 번호") == ["uses '당신'"]
