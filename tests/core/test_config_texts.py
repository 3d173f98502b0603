"""Hall texts in every language: the example hall is complete, check-config lists what a hall lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.core.config import EXAMPLE_CONFIG, SHIPPED_LANGUAGES, ConfigError, load_config, parse_config
from madoguchi.core.config_texts import kanji_without_reading, missing_translations, text_fields

SMALL_HALL = """
[hall]
name = { ja = "みどり市役所", en = "Midori City Hall" }
languages = ["ja", "en", "pt-BR", "ja-easy"]
opening = { start = "08:30", end = "17:15" }

[[services]]
id = "juminhyo"
prefix = "A"
category = "certificates"
description = { ja = "住民票の写しの交付", en = "Copies of your Certificate of Residence" }

[services.name]
ja = "住民票の写し"
en = "Certificate of Residence"
pt-BR = "Atestado de Residência"
ja-easy = "住民票（じゅうみんひょう）"

[[counters]]
number = 1
services = ["juminhyo"]
area = { ja = "1階 市民課", en = "1st floor", pt-BR = "Térreo", ja-easy = "1階 市民課" }
"""


def test_the_example_hall_is_complete_in_every_language() -> None:
    cfg = load_config(EXAMPLE_CONFIG)
    assert set(cfg.hall.languages) == set(SHIPPED_LANGUAGES)
    assert missing_translations(cfg) == []
    fields = list(text_fields(cfg))
    assert len(fields) > 60  # names, descriptions, areas, notices, form titles, labels and answers
    for field in fields:
        easy, ja = field.texts["ja-easy"], field.texts["ja"]
        assert easy != ja, field.path  # written in easy Japanese, not the Japanese again
        assert kanji_without_reading(easy) == [], (field.path, easy)
        assert len(set(field.texts.values())) >= 6, field.path  # not one language copied into the others


def test_the_example_halls_counters_say_where_to_wait() -> None:
    cfg = load_config(EXAMPLE_CONFIG)
    for service in cfg.services:
        areas = {str(cfg.counter_area(c)) for c in cfg.counters if service.id in c.services}
        assert len(areas) == 1, service.id  # one place to wait per procedure, on the ticket


def test_check_config_lists_each_missing_translation(tmp_path: Path) -> None:
    hall = tmp_path / "hall.toml"
    hall.write_text(SMALL_HALL, encoding="utf-8")
    cfg = parse_config(SMALL_HALL)
    missing = {m.field.path: m.languages for m in missing_translations(cfg)}
    assert missing == {
        "hall.name": ("pt-BR", "ja-easy"),
        "services.juminhyo.description": ("pt-BR", "ja-easy"),
    }
    run = [sys.executable, "-m", "madoguchi", "check-config", str(hall)]
    relaxed = subprocess.run(run, capture_output=True, text=True)
    assert relaxed.returncode == 0, relaxed.stderr
    assert f"warning: {hall}:3: hall.name: no translation in pt-BR, ja-easy" in relaxed.stdout
    assert "services[0].description: no translation in pt-BR, ja-easy" in relaxed.stdout
    assert "counters.1.area: easy Japanese with kanji but no reading: 階、市民課" in relaxed.stdout
    assert "4 missing translation(s)" in relaxed.stdout
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True)
    assert strict.returncode == 1


def test_areas_are_named_once_and_checked() -> None:
    text = SMALL_HALL.replace(
        'area = { ja = "1階 市民課", en = "1st floor", pt-BR = "Térreo", ja-easy = "1階 市民課" }', 'area = "lobby"'
    )
    with pytest.raises(ConfigError, match="unknown area 'lobby'"):
        parse_config(text)
    cfg = parse_config(text + '\n[areas.lobby]\nja = "1階"\nen = "1st floor"\n')
    assert cfg.counter_area(cfg.counters[0]) == {"ja": "1階", "en": "1st floor"}
    assert "areas.lobby" in {f.path for f in text_fields(cfg)}


def test_machine_translated_marks_name_known_languages() -> None:
    with pytest.raises(ConfigError, match="unknown language code 'xx'"):
        parse_config(SMALL_HALL + '\n[machine_translated]\n"hall.name" = ["xx"]\n')
    cfg = parse_config(SMALL_HALL + '\n[machine_translated]\n"services.juminhyo.name" = ["pt-BR"]\n')
    assert cfg.machine_translated == {"services.juminhyo.name": ("pt-BR",)}
