"""The board's voice: ``translations.voice`` when it is installed, else chime + text only.

Kept apart so the announcer depends on the small ``AnnouncementVoice`` interface, not on the speech engines.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from queue_display.announcement_voice import AnnouncementVoice
from queue_display.chime import write_chime

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "madoguchi-voice"


class ChimeOnlyVoice:
    """No speech at all: the chime, and the board shows the text (used when no voice engine is installed)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir or default_cache_dir()

    def chime(self) -> Path:
        return write_chime(self.cache_dir / "chime.wav")

    def announcement(self, language: str, number: str, counter: int, *, recall: bool) -> Path | None:
        return None


def default_voice(cache_dir: Path | None = None) -> AnnouncementVoice:
    try:
        from queue_display.translations_voice import TranslationsVoice
    except ImportError as exc:
        log.warning("speech not available (%s): chime and text only", exc.name)
        return ChimeOnlyVoice(cache_dir)
    return TranslationsVoice(cache_dir or default_cache_dir())
