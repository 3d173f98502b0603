"""Read-aloud: speak a screen's main text when the resident turned it on.

Japanese through pyopenjtalk when it is installed, everything else through espeak-ng (voice from the language
registry). Synthesis and playback run in a child process, never on the UI thread; a missing engine is silent.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

from translations.languages import is_shipped, language

log = logging.getLogger(__name__)


class Speaker:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and shutil.which("espeak-ng") is not None
        self._proc: subprocess.Popen[bytes] | None = None
        self.spoken: list[tuple[str, str]] = []  # (language, text) for tests; never logged

    def say(self, lang: str, text: str) -> None:
        self.spoken.append((lang, text))
        del self.spoken[:-20]
        self.stop()
        if not self.enabled or not text:
            return
        code = "ja" if lang == "ja-easy" else lang
        voice = language(code).voice if is_shipped(code) else None
        if voice is None:
            return
        espeak_voice = "ja" if voice == "pyopenjtalk" else voice
        try:
            self._proc = subprocess.Popen(
                ["espeak-ng", "-v", espeak_voice, "-s", "140", text],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            log.warning("read-aloud engine could not start")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
        self._proc = None
