"""How long a WAV plays: the silent announcer keeps the pace a real speaker would."""

from __future__ import annotations

import wave
from pathlib import Path


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file (0 when it cannot be read: the player then moves on at once)."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate() or 1)
    except (OSError, wave.Error, EOFError):
        return 0.0
