from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from madoguchi.translations import machine as machine_module
from madoguchi.translations.machine import (
    MachineTranslationUnavailable,
    MachineTranslator,
    PackageRefused,
    PackageRefusedReason,
    check_package,
)
from madoguchi.translations.mt_cache import TranslationCache

pytestmark = pytest.mark.skipif(not machine_module.available(), reason="translate extra not installed")


@pytest.fixture
def translator(packages_dir: Path, mt_packages: dict[str, Path], tmp_path: Path) -> MachineTranslator:
    mt = MachineTranslator(packages_dir, TranslationCache(tmp_path / "mt-cache.sqlite"))
    mt.install_model(mt_packages["ja_en"])
    mt.install_model(mt_packages["en_pt"])
    return mt


def test_real_translate_path_is_deterministic_and_pivots_through_english(
    translator: MachineTranslator, no_network: list[str], packages_dir: Path, tmp_path: Path
) -> None:
    first = translator.translate("本日は窓口が混雑しています。お待ちください。", "ja", "en")
    assert first.text and not first.cached and first.machine_translated
    assert first.model_version == "ja-en@1.0"
    pivoted = translator.translate("本日は窓口が混雑しています。", "ja", "pt-BR")
    assert pivoted.model_version == "ja-en@1.0+en-pt@1.0"
    assert pivoted.text
    # A second translator over the same files (fresh model load, own cache) gives the same output.
    again = MachineTranslator(packages_dir, TranslationCache(tmp_path / "other.sqlite"))
    assert again.translate("本日は窓口が混雑しています。お待ちください。", "ja", "en").text == first.text
    assert no_network == []


def test_results_are_cached_by_text_languages_and_model_version(translator: MachineTranslator) -> None:
    first = translator.translate("住民票の写し", "ja", "en")
    second = translator.translate("住民票の写し", "ja", "en")
    assert second.cached and second.text == first.text
    assert translator.cache is not None and len(translator.cache) == 1
    private = translator.translate("山田太郎さんの住所", "ja", "en", remember=False)
    assert not private.cached
    assert len(translator.cache) == 1  # free text with possible personal data is never stored


def test_unknown_pairs_and_languages_without_models(translator: MachineTranslator) -> None:
    assert translator.can_translate("ja", "en")
    assert translator.can_translate("ja", "pt-BR")
    assert not translator.can_translate("ja", "ko")
    assert not translator.can_translate("ja", "ja-easy")
    with pytest.raises(MachineTranslationUnavailable):
        translator.translate("テスト", "ja", "vi")


def test_package_without_sentence_splitter_is_refused_with_an_explanation(
    mt_packages: dict[str, Path], packages_dir: Path
) -> None:
    mt = MachineTranslator(packages_dir)
    with pytest.raises(PackageRefused) as refused:
        mt.install_model(mt_packages["no_splitter"])
    assert refused.value.reason is PackageRefusedReason.NO_SENTENCE_SPLITTER
    assert "internet" in str(refused.value)
    assert mt.installed_models() == []


def test_a_minisbd_splitter_alone_is_refused(mt_packages: dict[str, Path], tmp_path: Path) -> None:
    """MiniSBD is AGPL-licensed and not installed (argostranslate is pinned below 1.11): such a package would fall
    back to downloading a splitter."""
    minisbd_only = tmp_path / "ja_en-minisbd.argosmodel"
    with zipfile.ZipFile(mt_packages["ja_en"]) as source, zipfile.ZipFile(minisbd_only, "w") as target:
        for item in source.infolist():
            if "/spacy/" not in item.filename:
                target.writestr(item, source.read(item))
        root = source.namelist()[0].split("/")[0]
        target.writestr(f"{root}/minisbd/ja.onnx", b"onnx model")
    with pytest.raises(PackageRefused) as refused:
        check_package(minisbd_only)
    assert refused.value.reason is PackageRefusedReason.NO_SENTENCE_SPLITTER
    assert "AGPL" in str(refused.value)


def test_archive_with_escaping_paths_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("pkg/metadata.json", '{"from_code": "ja", "to_code": "en"}')
        archive.writestr("pkg/../../outside.txt", "x")
    with pytest.raises(PackageRefused) as refused:
        check_package(evil)
    assert refused.value.reason is PackageRefusedReason.UNSAFE_PATH
    not_zip = tmp_path / "plain.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(PackageRefused):
        check_package(not_zip)


def test_reinstall_replaces_and_resets_loaded_models(
    translator: MachineTranslator, mt_packages: dict[str, Path]
) -> None:
    translator.translate("テスト", "ja", "en")
    translator.install_model(mt_packages["ja_en"])
    assert [m.key for m in translator.installed_models()] == ["en-pt@1.0", "ja-en@1.0"]
    assert translator.translate("テスト", "ja", "en").text


def test_feature_reports_unavailable_without_argostranslate(
    monkeypatch: pytest.MonkeyPatch, packages_dir: Path
) -> None:
    monkeypatch.setattr(machine_module, "available", lambda: False)
    mt = MachineTranslator(packages_dir)
    with pytest.raises(MachineTranslationUnavailable):
        mt.translate("テスト", "ja", "en")
    assert not mt.can_translate("ja", "en")
