"""Offline machine translation with argostranslate, for the hall server process only.

* Models are ``.argosmodel`` files installed from disk with :meth:`MachineTranslator.install_model`
  (``madoguchi admin install-language-model FILE``). Nothing here downloads anything or updates a package
  index; a package without a bundled sentence splitter (``stanza/`` or a spaCy pipeline in ``spacy/``) is
  refused, because argostranslate would otherwise fetch one from the internet on first use.
* argostranslate is pinned to 1.10: 1.11 splits sentences with minisbd, which is AGPL-3.0 and has no place in
  the server process (THIRD_PARTY_NOTICES.md). 1.10 fetches spaCy's multilingual model when its ``sbd`` module
  is imported; :func:`_import_argostranslate` turns that fetch off first.
* Pairs without a direct model pivot through English (ja → en → pt).
* Results are cached in SQLite by (text, source, target, model version).
* argostranslate (with stanza and torch) is an optional extra: :func:`available` is False without it and the
  feature is hidden. Import cost is paid on first use, not at server start.
"""

from __future__ import annotations

import enum
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from madoguchi.translations.languages import is_shipped, language
from madoguchi.translations.mt_cache import TranslationCache

log = logging.getLogger(__name__)

PIVOT = "en"


class PackageRefusedReason(enum.StrEnum):
    NOT_A_ZIP = "not_a_zip"
    UNSAFE_PATH = "unsafe_path"
    NO_METADATA = "no_metadata"
    NOT_TRANSLATE = "not_translate"
    NO_MODEL = "no_model"
    NO_TOKENIZER = "no_tokenizer"
    NO_SENTENCE_SPLITTER = "no_sentence_splitter"


_EXPLANATIONS = {
    PackageRefusedReason.NOT_A_ZIP: "the file is not an .argosmodel (zip) archive",
    PackageRefusedReason.UNSAFE_PATH: "the archive contains absolute or '..' paths or several top-level folders",
    PackageRefusedReason.NO_METADATA: "metadata.json is missing or lacks from_code/to_code",
    PackageRefusedReason.NOT_TRANSLATE: "the package is not a translation package",
    PackageRefusedReason.NO_MODEL: "model/model.bin (CTranslate2 model) is missing",
    PackageRefusedReason.NO_TOKENIZER: "sentencepiece.model or bpe.model is missing",
    PackageRefusedReason.NO_SENTENCE_SPLITTER: (
        "no bundled sentence splitter (stanza/ or spacy/): argostranslate would download one from the internet on "
        "first use, which this offline system never does; use a package version that bundles it (minisbd/ alone "
        "is not enough: MiniSBD is AGPL-licensed and not installed)"
    ),
}


class PackageRefused(ValueError):
    """An ``.argosmodel`` file that cannot be installed; ``reason`` is a stable code for the UI."""

    def __init__(self, reason: PackageRefusedReason) -> None:
        super().__init__(f"language model refused: {_EXPLANATIONS[reason]}")
        self.reason = reason
        self.explanation = _EXPLANATIONS[reason]


class MachineTranslationUnavailable(RuntimeError):
    """argostranslate is not installed, or no installed model connects the two languages."""


def available() -> bool:
    """True when the optional ``translate`` extra (argostranslate + ctranslate2) is importable."""
    return all(importlib.util.find_spec(name) is not None for name in ("argostranslate", "ctranslate2"))


def mt_code(lang: str) -> str:
    """Our language code → argostranslate's (``pt-BR`` → ``pt``, ``zh-Hans`` → ``zh``); raw codes pass through."""
    if is_shipped(lang):
        code = language(lang).mt_code
        if code is None:
            raise MachineTranslationUnavailable(f"no machine translation for {lang}")
        return code
    return lang


@dataclass(frozen=True)
class InstalledModel:
    from_code: str
    to_code: str
    version: str
    path: Path

    @property
    def key(self) -> str:
        return f"{self.from_code}-{self.to_code}@{self.version}"


@dataclass(frozen=True)
class MachineTranslation:
    text: str
    source: str
    target: str
    model_version: str
    cached: bool
    machine_translated: bool = True


def check_package(path: Path) -> tuple[str, dict[str, Any]]:
    """Validate an ``.argosmodel`` file without extracting it; returns (top-level folder, metadata)."""
    if not zipfile.is_zipfile(path):
        raise PackageRefused(PackageRefusedReason.NOT_A_ZIP)
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name and not name.endswith("/")]
        roots = set()
        for name in names:
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or len(parts) < 2 or ":" in parts[0]:
                raise PackageRefused(PackageRefusedReason.UNSAFE_PATH)
            roots.add(parts[0])
        if len(roots) != 1:
            raise PackageRefused(PackageRefusedReason.UNSAFE_PATH)
        root = roots.pop()
        inside = {str(PurePosixPath(*PurePosixPath(name).parts[1:])) for name in names}
        try:
            metadata = json.loads(archive.read(f"{root}/metadata.json"))
        except (KeyError, ValueError) as error:
            raise PackageRefused(PackageRefusedReason.NO_METADATA) from error
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise PackageRefused(PackageRefusedReason.NO_METADATA)
    if metadata.get("type", "translate") != "translate":
        raise PackageRefused(PackageRefusedReason.NOT_TRANSLATE)
    if "model/model.bin" not in inside:
        raise PackageRefused(PackageRefusedReason.NO_MODEL)
    if not ({"sentencepiece.model", "bpe.model"} & inside):
        raise PackageRefused(PackageRefusedReason.NO_TOKENIZER)
    has_stanza = any(name.startswith("stanza/") for name in inside)
    has_spacy = "spacy/config.cfg" in inside
    if not (has_stanza or has_spacy):
        raise PackageRefused(PackageRefusedReason.NO_SENTENCE_SPLITTER)
    return root, metadata


def default_packages_dir() -> Path:
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "argos-translate" / "packages"


class MachineTranslator:
    """Installed models of one packages directory, with the SQLite cache; thread-safe."""

    def __init__(self, packages_dir: Path | None = None, cache: TranslationCache | None = None) -> None:
        self.packages_dir = packages_dir or default_packages_dir()
        self.cache = cache
        self._lock = threading.RLock()
        self._translations: dict[tuple[str, str], tuple[Any, str]] | None = None

    # ---- models --------------------------------------------------------------------------------------------

    def installed_models(self) -> list[InstalledModel]:
        models = []
        if self.packages_dir.exists():
            for folder in sorted(self.packages_dir.iterdir()):
                meta_path = folder / "metadata.json"
                if folder.is_dir() and meta_path.exists():
                    meta = json.loads(meta_path.read_text(encoding="utf-8"))
                    if meta.get("type", "translate") == "translate":
                        models.append(
                            InstalledModel(meta["from_code"], meta["to_code"], str(meta.get("package_version")), folder)
                        )
        return models

    def install_model(self, path: Path) -> InstalledModel:
        """Install an ``.argosmodel`` file (replacing an older version of the same folder)."""
        root, metadata = check_package(Path(path))
        self.packages_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=self.packages_dir))
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(staging)
                target = self.packages_dir / root
                if target.exists():
                    shutil.rmtree(target)
                (staging / root).rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            self._translations = None
        model = InstalledModel(metadata["from_code"], metadata["to_code"], str(metadata.get("package_version")), target)
        log.info("installed language model %s", model.key)
        return model

    # ---- translation ---------------------------------------------------------------------------------------

    def _load(self) -> dict[tuple[str, str], tuple[Any, str]]:
        if self._translations is not None:
            return self._translations
        if not available():
            raise MachineTranslationUnavailable("argostranslate is not installed (pip install .[translate])")
        _import_argostranslate()
        from argostranslate.package import Package
        from argostranslate.translate import Language, PackageTranslation

        direct: dict[tuple[str, str], tuple[Any, str]] = {}
        languages: dict[str, Any] = {}
        for model in self.installed_models():
            package = Package(model.path)
            if package.packaged_sbd_path is None:
                log.warning("skipping language model %s: no bundled sentence splitter", model.key)
                continue
            source = languages.setdefault(model.from_code, Language(model.from_code, model.from_code))
            target = languages.setdefault(model.to_code, Language(model.to_code, model.to_code))
            translation = PackageTranslation(source, target, package)
            if "stanza" in str(package.packaged_sbd_path):
                translation.sentencizer = _offline_stanza_sentencizer(package)
            direct[(model.from_code, model.to_code)] = (translation, model.key)
        self._translations = direct
        return direct

    def _route(self, source: str, target: str) -> tuple[list[Any], str]:
        direct = self._load()
        if (source, target) in direct:
            translation, key = direct[(source, target)]
            return [translation], key
        first, second = direct.get((source, PIVOT)), direct.get((PIVOT, target))
        if first and second:
            return [first[0], second[0]], f"{first[1]}+{second[1]}"
        raise MachineTranslationUnavailable(f"no installed model translates {source} to {target}")

    def can_translate(self, source: str, target: str) -> bool:
        try:
            self._route(mt_code(source), mt_code(target))
        except MachineTranslationUnavailable:
            return False
        return True

    def model_version(self, source: str, target: str) -> str:
        return self._route(mt_code(source), mt_code(target))[1]

    def translate(self, text: str, source: str, target: str, remember: bool = True) -> MachineTranslation:
        """Translate ``text``; ``remember=False`` skips the cache (free text that may hold personal data)."""
        src, tgt = mt_code(source), mt_code(target)
        if src == tgt:
            return MachineTranslation(text, source, target, "identity", cached=False, machine_translated=False)
        with self._lock:
            steps, version = self._route(src, tgt)
        if remember and self.cache is not None:
            hit = self.cache.get(text, src, tgt, version)
            if hit is not None:
                return MachineTranslation(hit, source, target, version, cached=True)
        result = text
        with self._lock:  # one CTranslate2 call at a time: the server has few cores and many other jobs
            for step in steps:
                result = step.translate(result)
        if remember and self.cache is not None:
            self.cache.put(text, src, tgt, version, result)
        return MachineTranslation(result, source, target, version, cached=False)


def _import_argostranslate() -> None:
    """Import argostranslate's translate path without the network fetch its ``sbd`` module makes on import.

    argostranslate 1.10 runs ``cache_spacy()`` when ``argostranslate.sbd`` is imported: without a cached copy it
    calls ``spacy download xx_sent_ud_sm`` (pip, from the internet). Every package this server accepts bundles its
    own splitter (:func:`check_package`), so the shared multilingual model is never needed.
    """
    if "argostranslate.sbd" in sys.modules:
        return
    import argostranslate.networking

    argostranslate.networking.cache_spacy = lambda: None
    import argostranslate.translate  # imports sbd with the fetch turned off


def _offline_stanza_sentencizer(package: Any) -> Any:
    """argostranslate's stanza splitter, but never checking the internet for resources.json."""
    import stanza
    from argostranslate.sbd import StanzaSentencizer

    class OfflineStanzaSentencizer(StanzaSentencizer):
        def lazy_pipeline(self) -> Any:
            if getattr(self, "stanza_pipeline", None) is None:
                self.stanza_pipeline = stanza.Pipeline(
                    lang=self.stanza_lang_code,
                    dir=str(self.pkg.package_path / "stanza"),
                    processors="tokenize",
                    use_gpu=False,
                    logging_level="WARNING",
                    download_method=None,
                )
            return self.stanza_pipeline

    return OfflineStanzaSentencizer(package)


def install_model(path: Path, packages_dir: Path | None = None) -> InstalledModel:
    """Entry point for ``madoguchi admin install-language-model FILE``; raises :class:`PackageRefused`."""
    return MachineTranslator(packages_dir).install_model(path)
