"""export-prefill-site writes a complete, self-contained site; the payload doc covers every error reason."""

from __future__ import annotations

import json
from pathlib import Path

from madoguchi import cli
from madoguchi.core.forms.messages import MESSAGES
from madoguchi.core.forms.payload import PayloadErrorReason
from madoguchi.core.forms.reservation_codes import ReservationCodeErrorReason
from madoguchi.core.forms.rules import SITE_LANGUAGES, SITE_TEXTS
from madoguchi.core.forms.validation import SEX_VALUES


def test_export_writes_the_site(tmp_path: Path, example_config_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    assert cli.main(["export-prefill-site", str(out), "--config", str(example_config_path)]) == 0
    assert "index.html" in capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert names == {
        "index.html",
        "style.css",
        "rules.js",
        "rules.json",
        "validate.js",
        "payload.js",
        "qr.js",
        "app.js",
        "sw.js",
    }
    rules = json.loads((out / "rules.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in rules["procedures"]] == [
        "juminhyo",
        "inkan",
        "koseki",
        "tennyu",
        "tenshutsu",
        "tenkyo",
        "kokuho",
        "jido_teate",
        "zei_shomei",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "connect-src 'none'" in index  # the page itself forbids sending anything anywhere


def test_bad_config_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "hall.toml"
    bad.write_text("[hall]\nname = 3\n", encoding="utf-8")
    assert cli.main(["export-prefill-site", str(tmp_path / "out"), "--config", str(bad)]) == 2
    assert "hall.toml" in capsys.readouterr().err


def test_site_texts_have_both_languages() -> None:
    for text_id, texts in SITE_TEXTS.items():
        assert set(texts) == set(SITE_LANGUAGES), text_id


def test_every_sex_the_validator_accepts_is_an_option_on_the_site(example_config_path: Path) -> None:
    from madoguchi.core.config import load_config
    from madoguchi.core.forms.rules import site_rules

    rules = site_rules(load_config(example_config_path))
    assert rules["sex_values"] == list(SEX_VALUES) == ["male", "female", "not_applicable"]
    assert set(rules["sex_values"]) == set(rules["sex_codes"])  # each option has its digit in the code
    for value in SEX_VALUES:
        assert all(SITE_TEXTS[f"site.sex.{value}"][lang] for lang in SITE_LANGUAGES), value


def test_payload_doc_lists_every_reason(repo_root: Path) -> None:
    doc = (repo_root / "docs" / "payload-format.md").read_text(encoding="utf-8")
    for reason in [*PayloadErrorReason, *ReservationCodeErrorReason]:
        assert f"`{reason.value}`" in doc, reason
        assert reason.value in MESSAGES


def test_worked_example_in_the_doc_decodes(repo_root: Path, hall_config) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.core.forms.payload import build_prefill, decode_prefill

    doc = (repo_root / "docs" / "payload-format.md").read_text(encoding="utf-8")
    example = next(line for line in doc.splitlines() if line.startswith("MDG1:"))
    payload = decode_prefill(example, hall_config)
    assert payload.values == {
        "name": "山田 太郎",
        "address": "東京都みどり市中央1-2-3",
        "birth_date": "1980-04-01",
        "copies": "2",
        "purpose": "work",
    }
    typed = {
        "name": "山田　太郎",
        "address": "東京都みどり市中央１－２－３",
        "birth_date": "S55.4.1",
        "copies": "２",
        "purpose": "work",
    }
    assert build_prefill(hall_config, "juminhyo", typed, language="ja") == example
