"""``madoguchi translate-config``: missing hall texts filled by the offline models, marked for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.core.config import parse_config
from madoguchi.core.config_texts import missing_translations
from madoguchi.translations import machine as machine_module
from madoguchi.translations.config_fill import fill_missing
from madoguchi.translations.machine import MachineTranslator

pytestmark = pytest.mark.skipif(not machine_module.available(), reason="translate extra not installed")

HALL = """# the hall's own comment stays
[hall]
name = { ja = "みどり市役所", en = "Midori City Hall" }
languages = ["ja", "en", "pt-BR", "ko", "ja-easy"]
opening = { start = "08:30", end = "17:15" }

[[services]]
id = "juminhyo"
prefix = "A"
category = "certificates"
description = { ja = "住民票の写しの交付" }

[services.name]
ja = "住民票の写し"
en = "Certificate of Residence"
ja-easy = "住民票（じゅうみんひょう）"

[[counters]]
number = 1
services = ["juminhyo"]  # the only counter
"""


@pytest.fixture
def translator(packages_dir: Path, mt_packages: dict[str, Path]) -> MachineTranslator:
    mt = MachineTranslator(packages_dir)
    mt.install_model(mt_packages["ja_en"])
    mt.install_model(mt_packages["en_pt"])
    return mt


def test_fills_what_a_model_can_and_marks_it(translator: MachineTranslator, no_network: list[str]) -> None:
    report = fill_missing(HALL, translator)
    assert report.filled == {
        "hall.name": ["pt-BR"],
        "services.juminhyo.name": ["pt-BR"],
        "services.juminhyo.description": ["en", "pt-BR"],
    }
    # no model reaches Korean; nothing writes easy Japanese but a person
    assert report.left == {
        "hall.name": ["ko", "ja-easy"],
        "services.juminhyo.name": ["ko"],
        "services.juminhyo.description": ["ko", "ja-easy"],
    }
    cfg = parse_config(report.text)
    assert cfg.services[0].name["pt-BR"] == translator.translate("Certificate of Residence", "en", "pt-BR").text
    assert cfg.machine_translated == {
        "hall.name": ("pt-BR",),
        "services.juminhyo.name": ("pt-BR",),
        "services.juminhyo.description": ("en", "pt-BR"),
    }
    left = {m.field.path: m.languages for m in missing_translations(cfg)}
    assert left["hall.name"] == ("ko", "ja-easy")
    # the file is edited, not rewritten: comments and layout stay
    assert "# the hall's own comment stays" in report.text and "# the only counter" in report.text
    assert report.text.startswith(HALL.split("[[services]]")[0].split("name =")[0])
    assert no_network == []


def test_the_command_writes_only_when_asked(
    tmp_path: Path, translator: MachineTranslator, capsys: pytest.CaptureFixture[str]
) -> None:
    # The commands' own functions, as `madoguchi translate-config` / `check-config` call them (in this process: a
    # subprocess would spend seconds importing argostranslate again).
    from madoguchi.cli import main

    hall = tmp_path / "hall.toml"
    hall.write_text(HALL, encoding="utf-8")
    command = ["translate-config", str(hall), "--packages", str(translator.packages_dir)]
    assert main(command) == 0
    dry = capsys.readouterr().out
    assert "filled hall.name: pt-BR" in dry and "run again with --write" in dry
    assert hall.read_text(encoding="utf-8") == HALL
    assert main([*command, "--write"]) == 0
    assert "[machine_translated]" in hall.read_text(encoding="utf-8")
    assert (tmp_path / "hall.toml.bak").read_text(encoding="utf-8") == HALL
    capsys.readouterr()
    assert main(["check-config", str(hall)]) == 0
    assert "machine-translated, not reviewed yet: pt-BR" in capsys.readouterr().out
