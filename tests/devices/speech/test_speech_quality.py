"""Listen-quality checks on rendered speech, measured with sox: every language's announcement has speech in it,
lasts what a call should, and has no long pause inside (the old Japanese paused before 「番」).

The WAVs and sox's figures are saved in ``tests/artifacts/speech/`` to be listened to.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from madoguchi.devices.speech.voice import VoiceSynthesizer, announcement_text
from madoguchi.devices.speech.voice_adapter import SHORT_SPEED
from madoguchi.translations.languages import codes

#: a pause longer than this inside one sentence sounds like the end of it
LONGEST_PAUSE_S = 0.6


def sox_length(path: Path, *effects: str) -> float:
    """Seconds of ``path`` after sox's ``effects`` (none: as it is)."""
    done = subprocess.run(
        ["sox", str(path), "-n", *effects, "stat"], capture_output=True, text=True, check=True, timeout=30
    )
    match = re.search(r"Length \(seconds\):\s+([\d.]+)", done.stderr)
    assert match, done.stderr
    return float(match.group(1))


def sox_rms(path: Path) -> float:
    done = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True, timeout=30)
    match = re.search(r"RMS\s+amplitude:\s+([\d.]+)", done.stderr)
    assert match, done.stderr
    return float(match.group(1))


def longest_pause(path: Path) -> float:
    """The longest silence inside ``path``: sox shortens every pause to ``LONGEST_PAUSE_S``; a longer one makes
    the clip shorter by what it had beyond that."""
    squeezed = sox_length(path, "silence", "-l", "1", "0.02", "1%", "-1", str(LONGEST_PAUSE_S), "1%")
    return LONGEST_PAUSE_S + max(0.0, sox_length(path) - squeezed)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path) -> dict[tuple[str, bool], Path]:
    if shutil.which("sox") is None:
        pytest.fail("sox is missing: scripts/install-system-packages installs it", pytrace=False)
    voice = VoiceSynthesizer(tmp_path_factory.mktemp("quality"))
    out = artifacts_dir / "speech"
    out.mkdir(parents=True, exist_ok=True)
    clips: dict[tuple[str, bool], Path] = {}
    report = []
    for lang in codes():
        for short in (False, True):
            text = announcement_text(lang, "A-106", 12, short=short)
            path = voice.speak(lang, text, speed=SHORT_SPEED if short else 1.0)
            assert path is not None, lang
            name = f"announce-{lang}{'-short' if short else ''}.wav"
            shutil.copy(path, out / name)
            clips[(lang, short)] = out / name
            report.append(f"{name}\t{sox_length(path):.2f} s\tpause ≤ {longest_pause(path):.2f} s\t{text}")
    (out / "announcements.tsv").write_text("\n".join(report) + "\n", encoding="utf-8")
    return clips


@pytest.mark.parametrize("lang", codes())
def test_every_language_is_spoken_briefly_without_long_pauses(
    rendered: dict[tuple[str, bool], Path], lang: str
) -> None:
    full, short = rendered[(lang, False)], rendered[(lang, True)]
    assert sox_rms(full) > 0.02, "speech, not silence"
    assert 1.5 < sox_length(full) < 6.5
    assert sox_length(short) < 0.85 * sox_length(full)
    assert longest_pause(full) <= 1.0 and longest_pause(short) <= 1.0


def test_japanese_says_the_number_and_ban_in_one_breath(rendered: dict[tuple[str, bool], Path]) -> None:
    """「エー ひゃくろくばんの かた、じゅうにばん まどぐちへ おこしください」: one pause at most, at the comma."""
    full = rendered[("ja", False)]
    assert sox_length(full) < 5.0  # it took 6.5 s with 「うけつけばんごう」 and the number digit by digit
    assert longest_pause(full) < 0.9


def test_the_pause_measure_finds_a_long_pause(tmp_path: Path) -> None:
    """The measure is not blind: two tones 1.5 s apart show a 1.5 s pause."""
    clip = tmp_path / "gap.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "22050",
            "-b",
            "16",
            "-c",
            "1",
            str(clip),
            "synth",
            "0.5",
            "sine",
            "440",
            "pad",
            "0",
            "1.5",
            ":",
            "synth",
            "0.5",
            "sine",
            "440",
        ],
        check=True,
        capture_output=True,
    )
    assert 1.3 < longest_pause(clip) < 1.7
