"""Test, demo and benchmark helpers: an always-open hall configuration and sample 2D codes.

The example hall opens 08:30–17:15 Tokyo time; tests and the benchmark run at any hour, so they use a copy
that is open all day (except one service kept closed, to show the disabled state) and lets one kiosk issue
many tickets a minute.
"""

from __future__ import annotations

import re
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.devices.card.interface import CardData, NoCardReader
from madoguchi.devices.scanner.interface import NoScanner

ALWAYS_CLOSED_SERVICE = "jido_teate"


def always_open_config(folder: Path, rate_per_minute: int = 1000) -> Path:
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^opening = \{[^}]*\}", 'opening = { start = "00:00", end = "23:59" }', text, flags=re.M)
    text = re.sub(r"^issue_rate_per_minute = \d+", f"issue_rate_per_minute = {rate_per_minute}", text, flags=re.M)
    # Service hours: every service open all day but one, closed (its only minute is just after midnight).
    text = re.sub(
        r'^hours = \{ start = "08:30", end = "16:30" \}', 'hours = { start = "00:00", end = "00:01" }', text, flags=re.M
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hall.kiosk-test.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sample_prefill_code(config_path: Path, procedure: str = "juminhyo", language: str | None = None) -> str:
    """An ``MDG1:`` code a resident would bring, made with the forms package's own encoder."""
    from madoguchi.core.config import load_config
    from madoguchi.core.forms.payload import build_prefill

    cfg = load_config(config_path)
    values = {
        "name": "見本　太郎",
        "kana": "ミホン　タロウ",
        "address": "みどり市中央1-2-3",
        "birth_date": "1950-04-01",
        "copies": "2",
        "purpose": "bank",
    }
    return build_prefill(cfg, procedure, values, language=language)


def sample_checkin_code(reference: str = "K7QM4XJ2P") -> str:
    from madoguchi.core.forms.reservation_codes import encode_checkin_code

    return encode_checkin_code(reference, b"kiosk-test-key")


class StubCard(NoCardReader):
    """A card reader stand-in for screen tests: present and available, answers what it is told."""

    def __init__(self, present: bool = False) -> None:
        super().__init__()
        self.present = present

    def available(self) -> bool:
        return True

    def card_present(self) -> bool:
        return self.present

    def wait_card_tries(self, timeout: float) -> int | None:
        from madoguchi.devices.card.errors import CardError, CardErrorReason

        raise CardError(CardErrorReason.no_card, "stub")

    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData:
        from madoguchi.devices.card.errors import CardError, CardErrorReason

        raise CardError(CardErrorReason.no_card, "stub")


class StubScanner(NoScanner):
    """A camera that is there but shows nothing: the code option appears, codes are emitted by the test."""

    def available(self) -> bool:
        return True


def demo_camera_video(folder: Path, config_path: Path, extra_codes: tuple[str, ...] = ()) -> Path:
    """A looping camera video for the demo: a pre-filled 住民票 application in Japanese, the same in English,
    then ``extra_codes`` (e.g. a check-in code of a reservation the demo created), each held up in turn."""
    from madoguchi.devices.scanner.video_sim import write_video

    texts = [sample_prefill_code(config_path), sample_prefill_code(config_path, language="en"), *extra_codes]
    folder.mkdir(parents=True, exist_ok=True)
    return write_video(folder / "kiosk-demo-camera.avi", texts, seconds_per_code=4.0, gap_seconds=6.0)
