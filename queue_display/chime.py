"""The board's two-tone chime, written once as a small WAV file (no asset to ship, no voice needed)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def _tone(freq: float, seconds: float, volume: float = 0.35) -> list[int]:
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        envelope = math.exp(-3.0 * t / seconds)  # bell-like decay
        out.append(int(32767 * volume * envelope * math.sin(2 * math.pi * freq * t)))
    return out


def write_chime(path: Path) -> Path:
    """Write the chime (ピンポーン: E5 then C5) to ``path`` unless it is already there."""
    if path.exists() and path.stat().st_size > 44:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = _tone(659.25, 0.45) + _tone(523.25, 0.8)
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    tmp.replace(path)
    return path


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file (0 when it cannot be read: the player then moves on at once)."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate() or 1)
    except (OSError, wave.Error, EOFError):
        return 0.0
