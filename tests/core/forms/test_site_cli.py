"""export-prefill-site writes a complete, self-contained site; the payload doc covers every error reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from madoguchi import cli
from madoguchi.core.forms.messages import MESSAGES
from madoguchi.core.forms.payload import PayloadErrorReason
from madoguchi.core.forms.reservation_codes import ReservationCodeErrorReason
from madoguchi.core.forms.rules import site_rules
from madoguchi.core.forms.validation import SEX_VALUES
from madoguchi.translations.prefill_site import site_texts


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


def test_the_site_speaks_the_halls_languages_from_the_catalogs(hall_config) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.translations.catalog import translate

    langs = hall_config.hall.languages
    rules = site_rules(hall_config, site_texts(langs))
    assert rules["languages"] == list(langs) and "pt-BR" in langs and "ja-easy" in langs
    assert rules["texts"]["site.events.bring"]["pt-BR"] == translate("pt-BR", "site.events.bring") == "O que levar"
    assert rules["messages"]["form.error.required"]["vi"] == translate("vi", "form.error.required")
    # easy Japanese carries its readings the leaflet way, as the hall's own texts do; the page draws them as ruby
    assert rules["texts"]["site.events.bring"]["ja-easy"] == "持（も）って 行（い）く もの"
    assert rules["texts"]["site.language_name"]["pt-BR"] == "Português (Brasil)"
    incomplete = {k: v for k, v in site_texts(langs).items() if k != "site.language_name"}
    incomplete["site.events.bring"] = {lang: t for lang, t in incomplete["site.events.bring"].items() if lang != "ko"}
    with pytest.raises(ValueError, match=r"site.events.bring \(ko\)"):
        site_rules(hall_config, incomplete)


def test_every_sex_the_validator_accepts_is_an_option_on_the_site(hall_config) -> None:  # type: ignore[no-untyped-def]
    rules = site_rules(hall_config, site_texts(hall_config.hall.languages))
    assert rules["sex_values"] == list(SEX_VALUES) == ["male", "female", "not_applicable"]
    assert set(rules["sex_values"]) == set(rules["sex_codes"])  # each option has its digit in the code
    for value in SEX_VALUES:
        assert all(rules["texts"][f"site.sex.{value}"].values()), value


def test_life_events_carry_core_guidance_for_every_answer(hall_config) -> None:  # type: ignore[no-untyped-def]
    """The site looks answers up: each combination's route, things to bring and form are core's own."""
    from madoguchi.core.life_events import guidance, visit_form_service

    rules = site_rules(hall_config, site_texts(hall_config.hall.languages))
    assert [e["id"] for e in rules["life_events"]] == [e.id for e in hall_config.life_events]
    for exported, event in zip(rules["life_events"], hall_config.life_events, strict=True):
        assert len(exported["results"]) == 2 ** len(event.questions)
        for key, result in exported["results"].items():
            answers = {q.id: digit == "1" for q, digit in zip(event.questions, key, strict=True)}
            expected = guidance(event, answers)
            assert result["route"] == list(expected.route)
            assert [item["ja"] for item in result["bring"]] == [item["ja"] for item in expected.bring]
            assert result["form"] == visit_form_service(hall_config, expected.route)
    moving_in = rules["life_events"][0]["results"]
    assert moving_in["00"]["route"] == ["tennyu"] and moving_in["11"]["route"] == ["tennyu", "kokuho", "jido_teate"]
    assert rules["places"]["kokuho"]["counters"] == [9, 10]
    assert rules["places"]["kokuho"]["areas"][0]["ja"] == "2階 保険年金課の待合ロビー"


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


def test_every_text_the_page_asks_for_is_exported(hall_config, repo_root: Path) -> None:  # type: ignore[no-untyped-def]
    import re

    app = (repo_root / "madoguchi" / "core" / "forms" / "site" / "app.js").read_text(encoding="utf-8")
    asked = set(re.findall(r"(?<![\w.])t\('([a-z_.]+)'", app)) | set(re.findall(r"'((?:site|common)\.[a-z_.]+)'", app))
    asked -= {"site.sex.", "site.hint."}  # prefixes completed in the page
    rules = site_rules(hall_config, site_texts(hall_config.hall.languages))
    assert asked and asked <= set(rules["texts"]) | set(rules["messages"])
