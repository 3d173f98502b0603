"""The interface the announcer needs from a voice, and what an announcement consists of.

``madoguchi.devices.speech.voice`` provides the real speech (pyopenjtalk for Japanese, espeak-ng for others,
cached WAVs); ``voice_adapter.default_voice()`` wraps it. A voice returns None for a language it cannot speak:
the board then plays the chime and shows the text only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

ItemKind = Literal["chime", "speech", "text"]


class AnnouncementVoice(Protocol):
    def chime(self) -> Path:
        """The chime played before every announcement."""
        ...

    def announcement(
        self, language: str, number: str, counter: int, *, recall: bool, short: bool = False
    ) -> Path | None:
        """A WAV of "number …, please go to counter …" in ``language`` (``short``: "number …, counter …", for
        calls said together); None when no offline voice speaks it."""
        ...


@dataclass(frozen=True)
class AudioItem:
    kind: ItemKind
    language: str
    path: Path | None
    text: str = ""
    #: the calls this item names (none for the chime)
    ticket_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Announcement:
    ticket_id: int
    number: str
    counter: int
    language: str
    recall: int = 0

    def languages(self) -> list[str]:
        """Japanese first, then the ticket's language when it differs (easy Japanese is Japanese to the ear)."""
        langs = ["ja"]
        if self.language not in ("ja", "ja-easy"):
            langs.append(self.language)
        return langs
