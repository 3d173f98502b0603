"""Fixtures for the translations tests: tiny offline MT packages, a machine translator, a network guard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from madoguchi.translations.catalog import CATALOG_DIR, Catalogs


@pytest.fixture(scope="session")
def mt_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two tiny valid .argosmodel files (ja→en, en→pt) and one without a sentence splitter."""
    from tests.support.argos_models import build_package

    folder = tmp_path_factory.mktemp("argos-files")
    return {
        "ja_en": build_package(folder / "ja_en.argosmodel", "ja", "en", seed=7),
        "en_pt": build_package(folder / "en_pt.argosmodel", "en", "pt", seed=11),
        "no_splitter": build_package(folder / "ko_en.argosmodel", "ko", "en", seed=5, sentence_splitter=False),
    }


@pytest.fixture
def packages_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    return directory


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogs."""
    target = tmp_path / "catalogs"
    shutil.copytree(CATALOG_DIR, target)
    return target


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs(strict=True)
